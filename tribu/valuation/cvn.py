"""French in-kind accounts ("contributions volontaires en nature").

An association shows what it received in kind below its income statement: each
contribution is a use in class 86 and the matching resource in class 87, for the same
amount, so Σ86 = Σ87 and the result is unchanged.

The amount is quantity × central proxy, *before* the impact adjustments: the accounts
record what was received, at its value; deadweight, displacement and attribution are
questions of causation that belong to the impact figures, not to the books.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")

CLASS_86 = {
    "860": "Secours en nature",
    "861": "Mise à disposition gratuite de biens",
    "8611": "Mise à disposition gratuite de locaux",
    "8612": "Mise à disposition gratuite de matériel",
    "862": "Prestations",
    "864": "Personnel bénévole",
}
CLASS_87 = {
    "870": "Dons en nature",
    "871": "Prestations en nature",
    "875": "Bénévolat",
}
COUNTERPART = {
    "860": "870",
    "861": "871",
    "8611": "871",
    "8612": "871",
    "862": "871",
    "864": "875",
}

BASIS = "quantity × central proxy, before impact adjustments"


def money(value: Decimal) -> Decimal:
    """Rounded to the cent, half up, as accounts are kept."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _skip_reason(outcome: Any) -> str | None:
    if outcome.market:
        return "market line: already in the income statement"
    if not outcome.headline:
        return "off the headline"
    if getattr(outcome, "direction", "benefit") != "benefit":
        return "a cost borne, not a contribution received"
    return None


def _totals(entries: list[dict[str, Any]], side: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for entry in entries:
        totals[entry[side]] = totals.get(entry[side], Decimal("0.00")) + entry["amount"]
    return totals


def cvn(outcomes: Iterable[Any]) -> dict[str, Any]:
    """Entries in classes 86 / 87 for the non-market headline outcomes that name an
    account; the others that name one are listed in ``skipped`` with the reason."""
    entries, skipped = [], []
    for outcome in outcomes:
        account = outcome.cvn_account
        if account is None:
            continue
        reason = _skip_reason(outcome)
        if reason:
            skipped.append({"outcome": outcome.label, "account": account, "reason": reason})
            continue
        credit = COUNTERPART[account]
        entries.append(
            {
                "outcome": outcome.label,
                "key": outcome.key,
                "account_86": account,
                "label_86": CLASS_86[account],
                "account_87": credit,
                "label_87": CLASS_87[credit],
                "amount": money(outcome.quantity * outcome.proxy.central),
            }
        )
    by_86 = _totals(entries, "account_86")
    by_87 = _totals(entries, "account_87")
    # The two sides are summed from their own accounts, so Σ86 = Σ87 is checked,
    # not assumed.
    total_86 = sum(by_86.values(), Decimal("0.00"))
    total_87 = sum(by_87.values(), Decimal("0.00"))
    return {
        "basis": BASIS,
        "entries": entries,
        "accounts_86": by_86,
        "accounts_87": by_87,
        "class_86": total_86,
        "class_87": total_87,
        "result_unchanged": total_86 == total_87,
        "skipped": skipped,
    }


def cvn_json(block: dict[str, Any]) -> dict[str, Any]:
    """The block with every amount as a string with two decimals, as in the books."""
    return {
        **block,
        "entries": [{**entry, "amount": f"{entry['amount']:.2f}"} for entry in block["entries"]],
        "accounts_86": {k: f"{v:.2f}" for k, v in block["accounts_86"].items()},
        "accounts_87": {k: f"{v:.2f}" for k, v in block["accounts_87"].items()},
        "class_86": f"{block['class_86']:.2f}",
        "class_87": f"{block['class_87']:.2f}",
    }
