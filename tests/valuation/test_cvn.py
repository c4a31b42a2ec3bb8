"""French in-kind accounts: the README's examples and the account mapping."""

from decimal import Decimal

import pytest

from tribu.valuation import ImpactMap, Input, Outcome, Range, cvn, evaluate


def _in_kind(label, quantity, proxy, account, **flags) -> Outcome:
    zero = Range.exact(0)
    return Outcome(
        label, "association", Decimal(quantity), Range.exact(Decimal(proxy)),
        zero, zero, zero, zero, cvn_account=account, **flags,
    )  # fmt: skip


def test_volunteers_and_lent_space():
    block = cvn(
        [
            _in_kind("Volunteer hours", 120, "12.02", "864"),
            _in_kind("Event space lent for free", 10, 1200, "8611"),
        ]
    )
    volunteers, space = block["entries"]
    assert (volunteers["account_86"], volunteers["account_87"]) == ("864", "875")
    assert volunteers["amount"] == Decimal("1442.40")
    assert (volunteers["label_86"], volunteers["label_87"]) == ("Personnel bénévole", "Bénévolat")
    assert (space["account_86"], space["account_87"]) == ("8611", "871")
    assert space["amount"] == Decimal("12000.00")
    assert space["label_86"] == "Mise à disposition gratuite de locaux"
    assert space["label_87"] == "Prestations en nature"
    assert block["class_86"] == block["class_87"] == Decimal("13442.40")
    assert block["result_unchanged"] is True


def test_a_small_associations_own_example():
    block = cvn([_in_kind("Volunteer hours", 10, 30, "864")])
    assert block["entries"][0]["amount"] == Decimal("300.00")
    assert block["accounts_86"] == {"864": Decimal("300.00")}
    assert block["accounts_87"] == {"875": Decimal("300.00")}


@pytest.mark.parametrize(
    ("account", "label_86", "counterpart", "label_87"),
    [
        ("860", "Secours en nature", "870", "Dons en nature"),
        ("861", "Mise à disposition gratuite de biens", "871", "Prestations en nature"),
        ("8611", "Mise à disposition gratuite de locaux", "871", "Prestations en nature"),
        ("8612", "Mise à disposition gratuite de matériel", "871", "Prestations en nature"),
        ("862", "Prestations", "871", "Prestations en nature"),
        ("864", "Personnel bénévole", "875", "Bénévolat"),
    ],
)
def test_account_mapping(account, label_86, counterpart, label_87):
    (entry,) = cvn([_in_kind("x", 1, 1, account)])["entries"]
    assert (entry["label_86"], entry["account_87"], entry["label_87"]) == (
        label_86,
        counterpart,
        label_87,
    )


def test_amounts_are_quantity_times_central_proxy_rounded_to_the_cent():
    zero = Range.exact(0)
    outcome = Outcome(
        "Hours", "", Decimal("3"), Range(10, Decimal("10.005"), 20),
        Range.exact("0.5"), zero, zero, zero, cvn_account="864",
    )  # fmt: skip
    # 30.015 → 30.02 (half up), and the 50 % deadweight does not touch the books.
    assert cvn([outcome])["entries"][0]["amount"] == Decimal("30.02")


def test_market_off_headline_and_plain_lines_are_left_out():
    block = cvn(
        [
            _in_kind("Sold", 1, 100, "862", market=True),
            _in_kind("Press", 1, 100, "862", headline=False),
            _in_kind("Help given", 1, 100, "864", direction="cost"),
            _in_kind("Counted", 2, 50, "862"),
            _in_kind("No account", 5, 50, None),
        ]
    )
    assert [e["outcome"] for e in block["entries"]] == ["Counted"]
    assert [s["outcome"] for s in block["skipped"]] == ["Sold", "Press", "Help given"]
    assert block["class_86"] == Decimal("100.00")


def test_evaluate_gives_the_accounts_as_money_strings():
    imap = ImpactMap(
        name="association",
        inputs=(Input("rent", 1000),),
        outcomes=(
            _in_kind("Volunteer hours", 120, "12.02", "864"),
            _in_kind("Event space", 10, 1200, "8611"),
        ),
    )
    block = evaluate(imap, draws=10)["cvn"]
    assert [e["amount"] for e in block["entries"]] == ["1442.40", "12000.00"]
    assert block["class_86"] == block["class_87"] == "13442.40"
    assert block["accounts_87"] == {"875": "1442.40", "871": "12000.00"}
