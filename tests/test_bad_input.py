"""Bad input through the CLI: exit code 2, one line naming the problem, nothing written."""

import json

import pytest

from tests.factories import make_tribe, record
from tests.test_cli import cli
from tribu.agents.models import Agent
from tribu.ledger.models import (
    CatalogueVersion,
    EconomicEvent,
    EventStatusChange,
    LedgerMonth,
    SpecificationValues,
)
from tribu.platforms.models import MembershipChange, Platform

TABLES = (
    Platform,
    Agent,
    MembershipChange,
    CatalogueVersion,
    SpecificationValues,
    EconomicEvent,
    EventStatusChange,
    LedgerMonth,
)


def snapshot() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in TABLES)


def event(**fields) -> dict:
    base = {
        "key": "k1",
        "provider": "alice",
        "receiver": "bob",
        "spec": "volunteer-hour",
        "quantity": 2,
        "date": "2026-03-10",
        "recorded_by": "alice",
    }
    return {**base, **fields}


def platform_file(tmp_path, events=(), catalogue=None, name="bad.json", slug="essai") -> str:
    data = {
        "platform": {"slug": slug, "name": "Essai", "cause_title": "Travail"},
        "events": list(events),
    }
    if catalogue:
        data["catalogue"] = catalogue
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return str(path)


def refused(capsys, *argv) -> str:
    """Run the command; assert exit 2, one `error:` line, and that nothing was written."""
    before = snapshot()
    code, _out, err = cli(capsys, *argv)
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert snapshot() == before
    return err.strip()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"provider": "zoe"}, "events[0].provider: no agent “zoe” in this platform"),
        (
            {"spec": "unicorn"},
            "events[0].spec: no specification “unicorn” in this platform",
        ),
        ({"quantity": -2}, "events[0]: quantity: -2 is negative"),
        ({"quantity": "deux"}, "events[0].quantity: “deux” is not a number"),
        ({"quantiy": 2}, "events[0]: unknown field “quantiy”"),
        ({"date": "10/03/2026"}, "events[0].date: “10/03/2026” is not a valid date"),
        ({"note": "a\x00b"}, "events[0].note: the NUL character is not allowed"),
        ({"note": "a\x1bb"}, "events[0].note: control characters are not allowed"),
        ({"quantity": "1e20"}, "events[0].quantity: too large: less than 100,000,000,000,000"),
        ({"money_amount": "1e17"}, "events[0].money_amount: too large"),
        (
            {"date": "2026-03-10T10:00+20:00"},
            "events[0].date: the time-zone offset +20:00 does not exist (at most ±14:00)",
        ),
        (
            {"begin": "2026-03-10T10:00-23:00", "end": "2026-03-10T12:00+01:00"},
            "events[0].begin: the time-zone offset -23:00 does not exist",
        ),
    ],
)
def test_it_names_the_bad_field_of_an_event(tribe, capsys, tmp_path, fields, message):
    error = refused(capsys, "import", platform_file(tmp_path, [event(**fields)]))
    assert error.startswith(f"error: bad.json, line 8: {message}")


def test_it_refuses_a_fraction_outside_0_1_in_a_catalogue_override(tribe, capsys, tmp_path):
    catalogue = {"overrides": {"hotel-night": {"deadweight_central": 1.5, "deadweight_high": 1.6}}}
    error = refused(capsys, "import", platform_file(tmp_path, catalogue=catalogue))
    assert error == (
        "error: bad.json, line 10: catalogue.overrides.hotel-night: hotel-night.deadweight: "
        "1.5 is not a fraction between 0 and 1"
    )


def test_it_refuses_low_central_high_out_of_order(tribe, capsys, tmp_path):
    catalogue = {"overrides": {"hotel-night": {"proxy_low": 200}}}  # central 180, high 250
    error = refused(capsys, "import", platform_file(tmp_path, catalogue=catalogue))
    assert error == (
        "error: bad.json, line 10: catalogue.overrides.hotel-night: hotel-night.proxy: "
        "low, central and high are out of order (200 / 180.00 / 250.00)"
    )


def test_zero_inputs_make_the_ratio_undefined_not_infinite(capsys, tmp_path):
    impact_map = {
        "name": "Zero",
        "inputs": [{"label": "Rent", "amount": 0, "year": 0}],
        "outcomes": [
            {
                "label": "Nights",
                "stakeholder": "host",
                "quantity": 10,
                "proxy": 100,
                "deadweight": 0,
                "displacement": 0,
                "attribution": 0,
                "drop_off": 0,
                "duration_years": 1,
            }
        ],
        "simulation": {"draws": 100, "seed": 1},
    }
    path = tmp_path / "zero.json"
    path.write_text(json.dumps(impact_map), encoding="utf-8")
    code, out, err = cli(capsys, "sroi", path)
    assert code == 2
    assert err == f"error: {path}: inputs: total is zero — the ratio is undefined\n"
    assert json.loads(out)["central"]["sroi"] is None
    assert "Infinity" not in out and "NaN" not in out


def test_malformed_yaml_names_the_line(tribe, capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "platform:\n  slug: essai\nevents:\n  - key: k1\n   provider: alice\n", encoding="utf-8"
    )
    error = refused(capsys, "import", path)
    assert error.startswith("error: bad.yaml, line 5: malformed YAML:")


def test_malformed_json_names_the_line(tribe, capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "platform": {"slug": "essai"},\n  "events": [,]\n}\n', encoding="utf-8")
    error = refused(capsys, "import", path)
    assert error == "error: bad.json, line 3: malformed JSON: Expecting value (column 14)"


def test_a_semantic_error_in_yaml_names_the_line_of_the_event(tribe, capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "platform:\n  slug: essai\nevents:\n"
        "  - {key: k1, provider: alice, receiver: bob, spec: volunteer-hour,\n"
        "     quantity: 1, date: 2026-03-10, recorded_by: alice}\n"
        "  - key: k2\n    provider: zoe\n    receiver: bob\n    recorded_by: alice\n",
        encoding="utf-8",
    )
    error = refused(capsys, "import", path)
    assert error == "error: bad.yaml, line 6: events[1].provider: no agent “zoe” in this platform"


def test_a_bad_csv_row_names_its_line_and_column(tribe, capsys, tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text(
        "key,provider,receiver,spec,quantity,date,recorded_by\n"
        "k1,alice,bob,volunteer-hour,1,2026-03-10,alice\n"
        "k2,alice,bob,volunteer-hour,abc,2026-03-10,alice\n",
        encoding="utf-8",
    )
    error = refused(capsys, "import", path, "--platform", "essai")
    assert error == "error: flows.csv, line 3: quantity: “abc” is not a number"


def test_a_csv_with_an_unknown_column_is_refused_at_line_1(tribe, capsys, tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text("key,provider,receiver,spec,qty,date,recorded_by\n", encoding="utf-8")
    error = refused(capsys, "import", path, "--platform", "essai")
    assert error == "error: flows.csv, line 1: unknown column “qty”"


def test_a_csv_table_needs_a_platform(tribe, capsys, tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text("key,provider,receiver,spec,quantity,recorded_by\n", encoding="utf-8")
    assert (
        refused(capsys, "import", path)
        == "error: flows.csv: a CSV events table needs --platform SLUG"
    )
    assert (
        refused(capsys, "import", path, "--platform", "nowhere") == "error: no platform “nowhere”"
    )


def test_it_refuses_to_correct_another_platforms_event(tribe, capsys, tmp_path):
    other = make_tribe("autre")
    theirs = record(
        other, other.alice, "volunteer-hour", other.alice, other.bob, 1, import_key="theirs"
    )
    for key in ("theirs", f"event-{theirs.pk}"):
        error = refused(capsys, "import", platform_file(tmp_path, [event(corrects=key)]))
        assert error == (
            f"error: bad.json, line 8: events[0].corrects: no event with key “{key}” "
            "in this platform"
        )


def test_it_refuses_a_confirmation_by_someone_not_the_counterparty(tribe, capsys, tmp_path):
    flows = [event(status="confirmed", confirmed_by="fanny")]  # bob is the counterparty
    error = refused(capsys, "import", platform_file(tmp_path, flows))
    assert error.startswith(
        "error: bad.json, line 8: events[0].confirmed_by: "
        "only the counterparty (Bob) may confirm event #"
    )


def test_a_half_valid_file_imports_nothing(db, capsys, tmp_path):
    """A new platform, agents and three good events, then one bad event: nothing stays."""
    data = {
        "platform": {"slug": "neuve", "name": "Neuve", "cause_title": "Travail", "host": "hote"},
        "agents": [
            {"slug": "hote", "name": "Hôte", "kind": "organization"},
            {"slug": "alice", "name": "Alice", "role": "resident"},
            {"slug": "bob", "name": "Bob", "role": "resident"},
        ],
        "events": [
            event(key="a"),
            event(key="b"),
            event(key="c", status="confirmed", confirmed_by="bob"),
            event(key="d", quantity=-1),
        ],
    }
    path = tmp_path / "half.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    error = refused(capsys, "import", path)
    assert error == "error: half.json, line 1: events[3]: quantity: -1 is negative"
    assert not Platform.objects.filter(slug="neuve").exists()


def test_a_missing_file_is_named(db, capsys):
    assert refused(capsys, "import", "nowhere.yaml") == "error: nowhere.yaml: no such file"


def test_a_platform_field_of_the_wrong_kind_is_named(db, capsys, tmp_path):
    data = {
        "platform": {
            "slug": "neuve",
            "name": "Neuve",
            "cause_title": "Travail",
            "carrier_profile": "pirate",
        }
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    error = refused(capsys, "import", path)
    assert error.startswith(
        "error: p.json, line 1: platform.carrier_profile: invalid value “pirate”"
    )


def test_a_new_platform_needs_a_name_and_a_cause(db, capsys, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("platform:\n  slug: neuve\n  name: Neuve\n", encoding="utf-8")
    assert refused(capsys, "import", path) == "error: p.yaml, line 2: platform.cause_title: missing"


def test_a_file_from_a_newer_version_is_refused(db, capsys, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps({"format": "tribu-platform", "version": 2, "platform": {"slug": "x"}}),
        encoding="utf-8",
    )
    assert (
        refused(capsys, "import", path)
        == "error: p.json, line 1: version: version 2 is newer than this Tribu reads (1)"
    )
