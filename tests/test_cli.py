"""`tribu`: every subcommand through `main()`, and a reference that cannot fall behind."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from tests.factories import make_user, record
from tribu.cli import build_parser, main
from tribu.ledger.checks import CHECKS
from tribu.ledger.models import EventState
from tribu.ledger.services import confirm_event

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"
EXAMPLES = ROOT / "docs" / "examples"
CASES = Path(__file__).resolve().parent / "valuation" / "cases"


def cli(capsys, *argv) -> tuple[int, str, str]:
    """Run `tribu --language en ARGV…`; returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(["--language", "en", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def subcommands() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


# --- documentation ---------------------------------------------------------------------


def test_every_subcommand_is_documented_in_cli_md():
    """Datasette-style: adding a subcommand without documenting it fails here."""
    text = CLI_DOC.read_text(encoding="utf-8")
    headings = set(re.findall(r"^## `tribu ([a-z]+)", text, flags=re.MULTILINE))
    assert headings == set(subcommands())


def test_every_option_of_every_subcommand_is_documented():
    text = CLI_DOC.read_text(encoding="utf-8")
    sections = dict(
        re.findall(
            r"^## `tribu ([a-z]+)[^\n]*\n(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL
        )
    )
    for name, parser in subcommands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in sections[name], f"{name}: {option} is undocumented"


# --- commands --------------------------------------------------------------------------


def test_import_then_reimport_of_the_example_says_nothing_changed(db, capsys):
    code, out, _err = cli(capsys, "import", EXAMPLES / "platform.yaml")
    assert code == 0
    assert "created platform “la-fabrique”" in out
    assert "9 events recorded" in out
    code, out, _err = cli(capsys, "import", EXAMPLES / "platform.json")
    assert code == 0
    assert "nothing to import" in out and "9 events already imported" in out


def test_a_dry_run_checks_everything_and_writes_nothing(db, capsys):
    code, out, _err = cli(capsys, "import", EXAMPLES / "platform.yaml", "--dry-run")
    assert code == 0 and "dry run: nothing was written" in out
    code, _out, err = cli(capsys, "export", "x.json", "--platform", "la-fabrique")
    assert code == 2 and err == "error: no platform “la-fabrique”\n"


def test_a_bare_csv_table_goes_into_the_platform_named(tribe, capsys, tmp_path):
    table = tmp_path / "flows.csv"
    table.write_text(
        "key,provider,receiver,spec,quantity,date,recorded_by,status,confirmed_by\n"
        "n1,lieu,hote,hotel-night,2,2026-03-02,fanny,confirmed,hana\n",
        "utf-8",
    )
    code, out, _err = cli(capsys, "import", table, "--platform", "essai")
    assert code == 0 and "1 events recorded, 1 status changes" in out
    assert EventState.objects.get(event__import_key="n1").counted


def test_long_imports_report_progress_on_stderr(tribe, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("tribu.interchange.importing.PROGRESS_EVERY", 2)
    rows = [f"k{i},alice,bob,volunteer-hour,1,2026-03-0{i},alice" for i in range(1, 6)]
    table = tmp_path / "flows.csv"
    table.write_text(
        "key,provider,receiver,spec,quantity,date,recorded_by\n" + "\n".join(rows) + "\n", "utf-8"
    )
    code, _out, err = cli(capsys, "import", table, "--platform", "essai")
    assert code == 0
    assert err.splitlines() == [
        "imported 2 / 5 events",
        "imported 4 / 5 events",
        "imported 5 / 5 events",
    ]


def test_export_writes_canonical_json(tribe, capsys, tmp_path):
    record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    target = tmp_path / "essai.json"
    code, out, _err = cli(capsys, "export", target, "--platform", "essai")
    assert code == 0 and "(1 events)" in out
    text = target.read_text("utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _host_report(tribe, capsys, fmt):
    event = record(
        tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 4, on=date(2026, 3, 10)
    )
    confirm_event(event, tribe.hana)
    return cli(
        capsys,
        "report",
        "--platform",
        "essai",
        "--agent",
        "hote",
        "--from",
        "2026-01-01",
        "--to",
        "2027-01-01",
        "--format",
        fmt,
        "--draws",
        "500",
        "--seed",
        "7",
    )


def test_report_json_has_both_tiers_the_envelope_and_monte_carlo(tribe, capsys):
    code, out, _err = _host_report(tribe, capsys, "json")
    assert code == 0
    report = json.loads(out)
    assert {"tiers", "extended", "envelope", "monte_carlo", "switching_values"} <= set(report)
    assert report["monte_carlo"]["draws"] == 500 and report["monte_carlo"]["seed"] == 7
    line = report["tiers"]["non_market"]["benefits"]["lines"][0]
    assert line["quantity"] == "4" and "INSEE" in line["source"]


def test_report_text_explains_each_line_and_the_uncertainty(tribe, capsys):
    code, out, _err = _host_report(tribe, capsys, "text")
    assert code == 0
    for part in (
        "Tier 1 — market",
        "Tier 2 — non-market",
        "Extended total",
        "Envelope (not a confidence interval)",
        "probability the ratio exceeds 1",
        "Switching values",
        "4\u00a0nights × €180.00 × (1 − 20%)",
        "proxy source: INSEE",
    ):
        assert part in out, part


def test_report_csv_has_one_row_per_line(tribe, capsys):
    code, out, _err = _host_report(tribe, capsys, "csv")
    rows = out.splitlines()
    assert code == 0 and rows[0].startswith("section,key,label")
    keys = [r.split(",")[1] for r in rows[1:]]
    assert keys[:4] == ["market_revenue", "market_costs", "market_net", "hotel-night"]


def test_report_names_an_unknown_agent(tribe, capsys):
    code, _out, err = cli(capsys, "report", "--platform", "essai", "--agent", "zoe")
    assert code == 2 and err == "error: no agent “zoe” in this platform\n"


def test_sroi_evaluates_an_impact_map(capsys):
    code, out, _err = cli(capsys, "sroi", CASES / "sroi-basic.json", "--draws", "200")
    assert code == 0
    result = json.loads(out)
    assert result["monte_carlo"]["draws"] == 200 and result["central"]["sroi"] is not None


def test_check_passes_on_a_sound_ledger(tribe, capsys):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    confirm_event(event, tribe.hana)
    code, out, err = cli(capsys, "check", "--platform", "essai")
    assert code == 0 and err == ""
    assert len(out.splitlines()) == len(CHECKS) and all(
        line.startswith("OK") for line in out.splitlines()
    )


def test_check_fails_with_exit_1_when_a_projection_is_corrupted(tribe, capsys):
    event = record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)
    confirm_event(event, tribe.hana)
    EventState.objects.filter(event=event).update(status="disputed")  # an ordinary table
    code, out, err = cli(capsys, "check")
    assert code == 1
    assert (
        f"FAILED projection: event states match the status history: state differs from "
        f"the history for events #{event.pk}" in out
    )
    assert err.startswith("error: 1 ledger check(s) failed")


def test_token_prints_a_new_secret(db, capsys):
    make_user("tess")
    code, out, _err = cli(capsys, "token", "tess")
    assert code == 0 and out.startswith("tribu_")
    code, _out, err = cli(capsys, "token", "nobody")
    assert code == 2 and err == "error: no active user “nobody”\n"


def test_demo_passes_if_empty_and_names_what_it_built(db, capsys, monkeypatch):
    calls = []

    def fake_build(if_empty=False, log=print):
        calls.append(if_empty)
        return []

    monkeypatch.setattr("tribu.demo.build.build_demo", fake_build)
    assert cli(capsys, "demo", "--if-empty")[0] == 0
    assert calls == [True]


def test_serve_migrates_then_runs_the_server(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(
        "django.core.management.call_command", lambda *args, **kwargs: calls.append((args, kwargs))
    )
    assert cli(capsys, "serve", "--port", "8123")[0] == 0
    assert calls[0][0] == ("migrate",)
    assert calls[1] == (("runserver", "127.0.0.1:8123"), {"use_reloader": False})


def test_usage_errors_exit_2(capsys):
    assert main(["import"]) == 2
    assert "usage: tribu import" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command", ["demo", "serve", "import", "export", "report", "sroi", "check", "token"]
)
def test_every_subcommand_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert "usage: tribu" in capsys.readouterr().out


def test_messages_are_in_french_by_default(tribe, capsys):
    """French is the default language; `--language en` (or TRIBU_LANGUAGE) switches."""
    capsys.readouterr()
    assert main(["check", "--platform", "essai"]) == 0
    assert "OK     ajout seul : les déclencheurs de la base sont installés" in (
        capsys.readouterr().out
    )


def _message_ids(path: Path) -> set[str]:
    """Every literal passed to `_()` or `gettext()` in a module."""
    import ast

    calls = (
        node
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "gettext")
    )
    return {
        call.args[0].value for call in calls if call.args and isinstance(call.args[0], ast.Constant)
    }


def test_every_message_of_the_cli_the_import_and_the_checks_has_a_french_translation():
    from django.utils import translation

    modules = (
        "tribu/cli.py",
        "tribu/ledger/checks.py",
        *map(str, Path("tribu/interchange").glob("*.py")),
    )
    ids = set().union(*(_message_ids(ROOT / module) for module in modules))
    assert len(ids) > 100
    with translation.override("fr"):
        untranslated = sorted(m for m in ids if translation.gettext(m) == m)
    assert untranslated == []


def test_the_installed_command_runs_without_django_settings_in_the_environment():
    """`tribu` as a user types it: no DJANGO_SETTINGS_MODULE exported beforehand."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    script = "import sys; from tribu.cli import main; sys.exit(main(['--help']))"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "usage: tribu" in done.stdout
