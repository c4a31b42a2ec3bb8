"""`tribu`: the command line, one more front door to the same services as the web and the API.

Exit codes: 0 success, 1 a ledger check failed, 2 bad input (one line on stderr,
`error: <what is wrong>`, naming the file, line and field where they apply). A command
that fails on bad input writes nothing. The reference is docs/cli.md.
"""

import argparse
import json
import os
import sys
from pathlib import Path

# Before any tribu import: some modules mark messages for translation when imported, which
# reads Django's settings. Typed at a shell, `tribu` has no DJANGO_SETTINGS_MODULE.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from tribu.core.formats import (  # noqa: E402
    format_amount_of,
    format_date,
    format_explanation,
    format_money,
    format_number,
    format_percent,
    format_ratio,
)
from tribu.core.words import readable  # noqa: E402
from tribu.reports.exports import balance_csv  # noqa: E402

OK, CHECK_FAILED, BAD_INPUT = 0, 1, 2
LANGUAGES = ["fr", "en"]


class UsageError(Exception):
    """Bad arguments: reported like bad input, with exit code 2."""


def _(message: str) -> str:
    from django.utils.translation import gettext

    return gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    from django.utils.translation import ngettext as translate

    return translate(singular, plural, count)


def main(argv: list[str] | None = None) -> int:
    language = _setup(_language_asked(argv))
    from django.utils import translation

    from tribu.core.errors import TribuError

    with translation.override(language):
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help, or argparse's own usage error (already printed)
            return int(exc.code or 0)
        try:
            return args.run(args)
        except (TribuError, UsageError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return BAD_INPUT


def _language_asked(argv: list[str] | None) -> str | None:
    """--language, read before the full parser so that its help can be translated."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--language")
    known, _rest = early.parse_known_args(argv)
    return known.language if known.language in LANGUAGES else None


def _setup(language: str | None) -> str:
    """Django, and the language of messages: --language, TRIBU_LANGUAGE or the default."""
    import django
    from django.conf import settings

    django.setup()
    return language or os.environ.get("TRIBU_LANGUAGE") or settings.LANGUAGE_CODE


def build_parser() -> argparse.ArgumentParser:
    """The commands and their options; help texts in the active language."""
    parser = argparse.ArgumentParser(
        prog="tribu", description=_("Found, run and prove value platforms.")
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help=_("language of messages and reports (default: fr, or TRIBU_LANGUAGE)"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _add_demo,
        _add_serve,
        _add_import,
        _add_export,
        _add_report,
        _add_sroi,
        _add_check,
        _add_token,
        _add_invite,
        _add_forecast,
        _add_dossier,
    ):
        add(commands)
    return parser


def _add_forecast(commands) -> None:
    from tribu.forecasts.cli import add_parser

    add_parser(commands)


def _add_dossier(commands) -> None:
    from tribu.dossiers.cli import add_parser, add_receipt_parser

    add_parser(commands)
    add_receipt_parser(commands)


def _add_demo(commands) -> None:
    demo = commands.add_parser("demo", help=_("build the two demo platforms (illustrative data)"))
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help=_("do nothing when the database already holds a platform"),
    )
    demo.set_defaults(run=cmd_demo)


def _add_serve(commands) -> None:
    serve = commands.add_parser("serve", help=_("migrate the database, then serve the web site"))
    serve.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    serve.add_argument("--port", type=int, default=8000, help=_("port to listen on"))
    serve.set_defaults(run=cmd_serve)


def _add_import(commands) -> None:
    imp = commands.add_parser(
        "import", help=_("import a platform file (JSON, YAML) or a CSV events table")
    )
    imp.add_argument("file", help=_("FILE.json, FILE.yaml or FILE.csv"))
    imp.add_argument("--platform", help=_("the platform a bare CSV events table goes into"))
    imp.add_argument("--dry-run", action="store_true", help=_("check everything, write nothing"))
    imp.set_defaults(run=cmd_import)


def _add_export(commands) -> None:
    exp = commands.add_parser("export", help=_("export a platform as lossless canonical JSON"))
    exp.add_argument("file", help=_("FILE.json to write"))
    scope = exp.add_mutually_exclusive_group(required=True)
    scope.add_argument("--platform", help=_("platform slug"))
    scope.add_argument("--all", action="store_true", help=_("a complete backup of every platform"))
    exp.add_argument(
        "--format",
        choices=("tribu", "valueflows", "backup"),
        default="tribu",
        help=_(
            "tribu (the platform file), valueflows (ValueFlows 1.0 JSON-LD) "
            "or backup (everything, restored as it was)"
        ),
    )
    exp.add_argument(
        "--with-passwords",
        action="store_true",
        help=_("with --all: carry the accounts' password hashes"),
    )
    exp.set_defaults(run=cmd_export)


def _add_report(commands) -> None:
    report = commands.add_parser("report", help=_("an agent's extended balance sheet"))
    report.add_argument("--platform", required=True, help=_("platform slug"))
    report.add_argument("--agent", required=True, help=_("agent slug (usually the host)"))
    report.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        help=_("first day (default: twelve whole months ago)"),
    )
    report.add_argument(
        "--to",
        dest="end",
        metavar="YYYY-MM-DD",
        help=_("day after the last (default: first day of this month)"),
    )
    report.add_argument(
        "--format",
        choices=["json", "text", "csv", "xlsx"],
        default="text",
        help=_("output format (default: text)"),
    )
    report.add_argument("--draws", type=int, help=_("Monte Carlo draws"))
    report.add_argument("--seed", type=int, help=_("Monte Carlo seed"))
    report.set_defaults(run=cmd_report)


def _add_sroi(commands) -> None:
    sroi = commands.add_parser("sroi", help=_("evaluate an impact-map file (SROI), as JSON"))
    sroi.add_argument(
        "file", help=_("FILE.json (the impact-map format) or FILE.xlsx (a value map)")
    )
    sroi.add_argument("--draws", type=int, help=_("Monte Carlo draws (overrides the file)"))
    sroi.add_argument("--seed", type=int, help=_("Monte Carlo seed (overrides the file)"))
    sroi.add_argument(
        "--format",
        choices=["json", "xlsx", "impact-map"],
        default="json",
        help=_(
            "json: the evaluation (default); xlsx: a value map with the figures; "
            "impact-map: the impact-map file itself"
        ),
    )
    sroi.add_argument(
        "--output", help=_("file to write (for xlsx, FILE.xlsx beside the input by default)")
    )
    sroi.set_defaults(run=cmd_sroi)


def _add_check(commands) -> None:
    check = commands.add_parser("check", help=_("verify the ledger invariants"))
    check.add_argument("--platform", help=_("only this platform (default: all)"))
    check.set_defaults(run=cmd_check)


def _add_token(commands) -> None:
    token = commands.add_parser("token", help=_("issue an API token for a user"))
    token.add_argument("username", help=_("the user's login name"))
    token.add_argument(
        "--revoke",
        metavar="PREFIX",
        help=_("end this user's token(s) starting with PREFIX (as listed on /me/tokens/)"),
    )
    token.set_defaults(run=cmd_token)


def _add_invite(commands) -> None:
    invite = commands.add_parser(
        "invite", help=_("claim links for the people an import created with an e-mail")
    )
    invite.add_argument("--platform", required=True, help=_("the platform's slug"))
    invite.add_argument("--send", action="store_true", help=_("also e-mail each link"))
    invite.set_defaults(run=cmd_invite)


# --- commands -----------------------------------------------------------------------------


def cmd_demo(args) -> int:
    from tribu.demo.build import build_demo

    built = build_demo(if_empty=args.if_empty, log=print)
    for platform in built:
        print(
            _("created demo platform “%(slug)s” (%(name)s)")
            % {"slug": platform.slug, "name": platform.name}
        )
    return OK


def cmd_serve(args) -> int:
    from django.conf import settings
    from django.core.management import call_command

    # Migrating also creates the cache the workers share (login limits, reports).
    call_command("migrate", interactive=False, verbosity=0)
    if settings.DEBUG:
        print(
            _(
                "Development server, with DEBUG on (error pages show details): for trying "
                "Tribu only. To run it for real, see docs/deploy.md."
            ),
            file=sys.stderr,
        )
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return OK


def _progress(done: int, total: int) -> None:
    from tribu.interchange.importing import PROGRESS_EVERY

    if total >= PROGRESS_EVERY:
        print(
            _("imported %(done)s / %(total)s events")
            % {"done": f"{done:,}", "total": f"{total:,}"},
            file=sys.stderr,
            flush=True,
        )


def cmd_import(args) -> int:
    from tribu.interchange import import_events_csv, import_file

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(_("%(file)s: no such file") % {"file": args.file})
    if path.suffix.lower() in (".csv", ".xlsx"):
        if not args.platform:
            raise UsageError(
                _("%(file)s: a CSV events table needs --platform SLUG") % {"file": path.name}
            )
        summary = import_events_csv(path, args.platform, dry_run=args.dry_run, progress=_progress)
    else:
        if args.platform:
            raise UsageError(
                _("--platform is only for CSV events tables; a platform file names its platform")
            )
        summary = import_file(path, dry_run=args.dry_run, progress=_progress)
    for line in summary_lines(summary, args.dry_run):
        print(line)
    return OK


def summary_lines(summary, dry_run: bool) -> list[str]:
    lines = list(summary.notes)
    counts = {
        "platform": summary.platform,
        "agents": summary.agents,
        "roles": summary.roles,
        "represents": summary.representations,
        "versions": summary.catalogue_versions,
        "resources": summary.resources,
        "events": summary.events,
        "changes": summary.status_changes,
        "skipped": summary.skipped,
    }
    if not summary.changed:
        lines.append(
            _(
                "nothing to import: “%(platform)s” is already up to date "
                "(%(skipped)s events already imported)"
            )
            % counts
        )
        return lines
    if summary.created_platform:
        lines.append(_("created platform “%(platform)s”") % counts)
    lines.append(
        _(
            "%(agents)s agents, %(roles)s role changes, %(represents)s representations, "
            "%(versions)s catalogue versions, %(resources)s resources"
        )
        % counts
    )
    lines.append(
        _(
            "%(events)s events recorded, %(changes)s status changes, %(skipped)s events "
            "already imported"
        )
        % counts
    )
    if dry_run:
        lines.append(_("dry run: nothing was written"))
    return lines


def _platform(slug: str):
    from tribu.core.errors import NotFound
    from tribu.platforms.models import Platform

    platform = Platform.objects.filter(slug=slug).select_related("host").first()
    if platform is None:
        raise NotFound(_("no platform “%(slug)s”") % {"slug": slug})
    return platform


def cmd_export(args) -> int:
    from tribu.interchange import export_file

    if args.with_passwords and not args.all:
        raise UsageError(_("--with-passwords goes with --all only"))
    platform = None if args.all else _platform(args.platform)
    kind = "backup" if args.all else args.format
    options = {"passwords": args.with_passwords} if kind == "backup" else {}
    path = Path(args.file)
    try:
        events = export_file(platform, path, kind, **options)
    except OSError as exc:
        raise UsageError(
            _("%(file)s: cannot write (%(e)s)") % {"file": args.file, "e": exc.strerror}
        ) from exc
    print(
        _("exported “%(slug)s” (%(n)s events) to %(file)s")
        % {"slug": platform.slug if platform else "*", "n": events, "file": args.file}
    )
    return OK


def cmd_report(args) -> int:
    from django.utils.translation import get_language

    from tribu.platforms.access import agent_in
    from tribu.reports.balance import agent_balance, parse_period

    platform = _platform(args.platform)
    agent = agent_in(platform, args.agent)
    if args.draws is not None and args.draws < 1:
        raise UsageError(_("--draws must be at least 1"))
    period = parse_period(args.start, args.end)
    result = agent_balance(
        platform, agent, period, language=get_language() or "fr", draws=args.draws, seed=args.seed
    )
    if args.format == "xlsx":
        from tribu.reports.xlsx import balance_xlsx, catalogue_assumptions

        book = balance_xlsx(result, catalogue_assumptions(platform, get_language() or "fr"))
        sys.stdout.buffer.write(book)
        return OK
    print(FORMATTERS[args.format](result), end="")
    return OK


def cmd_sroi(args) -> int:
    from django.utils.translation import get_language

    from tribu.reports.sroi import run

    if args.draws is not None and args.draws < 1:
        raise UsageError(_("--draws must be at least 1"))
    done = run(args.file, args.draws, args.seed, args.format, args.output, get_language())
    if done.code != OK:
        print(done.text, file=sys.stderr)
        return done.code
    if args.format != "impact-map":
        undefined = _undefined_ratio(done)
        if undefined:
            if args.format == "json" and done.path is None:
                print(done.text, end="")
            print(f"error: {args.file}: {undefined}", file=sys.stderr)
            return BAD_INPUT
    if done.path is not None:
        done.path.write_bytes(done.content or b"")
    print(done.text, end="" if done.path is None else "\n")
    return OK


def _undefined_ratio(done) -> str:
    """The engine's note when the ratio is undefined (zero inputs), else ""."""
    central = done.result["central"]
    if central.get("sroi") is None:
        return str(central.get("note") or _("the ratio is undefined"))
    return ""


def cmd_check(args) -> int:
    from tribu.ledger.checks import run_checks

    platform = _platform(args.platform) if args.platform else None
    results = run_checks(platform)
    for result in results:
        status = "OK" if result.ok else "FAILED"
        print(f"{status:<7}{result.name}" + (f": {result.detail}" if result.detail else ""))
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(
            "error: "
            + _("%(n)s ledger check(s) failed: %(names)s")
            % {"n": len(failed), "names": "; ".join(failed)},
            file=sys.stderr,
        )
        return CHECK_FAILED
    return OK


def cmd_token(args) -> int:
    from django.conf import settings

    from tribu.api.tokens import active_user, issue_token, revoke_token

    if args.revoke:
        count = revoke_token(active_user(args.username), args.revoke)
        print(
            _("%(n)s token(s) starting with %(prefix)s revoked")
            % {"n": count, "prefix": args.revoke}
        )
        return OK
    print(issue_token(args.username))
    print(_("valid for %(days)s days") % {"days": settings.TRIBU_TOKEN_DAYS}, file=sys.stderr)
    return OK


def cmd_invite(args) -> int:
    from tribu.platforms.founding import platform_by_slug
    from tribu.platforms.invitations import claims_to_send, link, send

    claims = claims_to_send(platform_by_slug(args.platform))
    for claim in claims:
        if args.send:
            send(claim)
        print(f"{claim.agent.slug}\t{claim.email}\t{link(claim)}")
    if not claims:
        print(_("nobody is waiting for a claim link"))
    return OK


# --- report formats --------------------------------------------------------------------------


def report_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _ratio(value) -> str:
    return _("undefined") if value is None else format_ratio(value)


def _lines(result: dict):
    """Every valued line of the balance sheet with the group it belongs to."""
    non_market = result["tiers"]["non_market"]
    for group in ("benefits", "costs", "off_headline"):
        for line in non_market[group]["lines"]:
            yield group, line


def report_text(result: dict) -> str:
    from tribu.reports.payoff import payoff_text

    context, currency = result.get("context", {}), result["currency"]
    out = [
        _("Extended balance sheet — %(agent)s, %(platform)s, %(start)s → %(end)s")
        % {
            "agent": context.get("agent_name", ""),
            "platform": context.get("platform", ""),
            "start": format_date(context.get("from")),
            "end": format_date(context.get("to")),
        }
    ]
    if context.get("illustrative"):
        out.append(_("Illustrative data (demo platform)."))
    out += _text_market(result, currency) + _text_non_market(result, currency)
    out += _text_result(result, currency) + payoff_text(result) + _text_switching(result)
    return "\n".join(out) + "\n"


def _text_market(result: dict, currency: str) -> list[str]:
    market = result["tiers"]["market"]
    lines = market.get("lines", {})

    def items(group: str) -> list[str]:
        # Each kind of money with its flows: learning expeditions, rent, facilitation…
        return [
            "    "
            + _("%(label)s: %(v)s (%(detail)s)")
            % {
                "label": m["label"],
                "v": format_money(m["amount"], currency),
                "detail": ngettext("%(q)s, %(n)s flow", "%(q)s, %(n)s flows", m["event_count"])
                % {"q": format_amount_of(m["quantity"], m["unit"]), "n": m["event_count"]},
            }
            for m in lines.get(group, [])
        ]

    return [
        "",
        _("Tier 1 — market (exact money)"),
        "  " + _("revenue: %(v)s") % {"v": format_money(market["revenue"], currency)},
        *items("revenue"),
        "  " + _("costs:   %(v)s") % {"v": format_money(market["costs"], currency)},
        *items("costs"),
        "  " + _("net:     %(v)s") % {"v": format_money(market["net"], currency)},
    ]


def _text_non_market(result: dict, currency: str) -> list[str]:
    out = ["", _("Tier 2 — non-market (valued at central values)")]
    titles = {
        "benefits": _("benefits"),
        "costs": _("costs in kind"),
        "off_headline": _("shown apart, not counted in any total"),
    }
    non_market = result["tiers"]["non_market"]
    for group, title in titles.items():
        block = non_market[group]
        if not block["lines"]:
            continue
        out.append(
            "  "
            + _("%(title)s: %(total)s")
            % {"title": title, "total": format_money(block["total"], currency)}
        )
        for line in block["lines"]:
            out += _text_line(line, currency)
    if len(out) == 2:
        out.append("  " + _("no valued flow in this period"))
    return out


def _text_line(line: dict, currency: str) -> list[str]:
    """A line, its envelope, how it was reached and where its proxy comes from."""
    value = line["value"]
    out = [
        "    "
        + _("%(label)s: %(value)s [%(low)s – %(high)s]")
        % {
            "label": line["label"],
            "value": format_money(value["central"], currency),
            "low": format_money(value["low"], currency),
            "high": format_money(value["high"], currency),
        },
        "      "
        + format_explanation(
            line["quantity"],
            line["unit"],
            line["proxy"],
            line["adjustments"].values(),
            value["central"],
            currency,
        ),
    ]
    if line.get("source"):
        out.append("      " + _("proxy source: %(s)s") % {"s": _source_text(line["source"])})
    return out


def _source_text(source: str) -> str:
    """A source "text (YYYY-MM-DD)" in the reader's language, its date as a date."""
    text, _sep, day = source.rpartition(" (")
    if text and len(day) == 11 and day.endswith(")"):
        return f"{readable(text)} ({format_date(day[:10])})"
    return readable(source)


def _text_result(result: dict, currency: str) -> list[str]:
    ext, env, mc = result["extended"], result["envelope"], result["monte_carlo"]
    out = [
        "",
        readable(ext["label"]),
        "  "
        + _("benefits %(b)s, costs %(c)s, net %(n)s, ratio %(r)s")
        % {
            "b": format_money(ext["benefits"], currency),
            "c": format_money(ext["costs"], currency),
            "n": format_money(ext["net"], currency),
            "r": _ratio(ext["ratio"]),
        },
    ]
    if ext.get("note"):
        out.append("  " + readable(ext["note"]))
    out += [
        "",
        _("Envelope (not a confidence interval): %(note)s") % {"note": readable(env["note"])},
    ]
    for name, title in (("pessimistic", _("pessimistic")), ("optimistic", _("optimistic"))):
        out.append(
            f"  {title}: "
            + _("net %(n)s, ratio %(r)s")
            % {"n": format_money(env[name]["net"], currency), "r": _ratio(env[name]["ratio"])}
        )
    ratio = mc.get("ratio") or {}
    out += [
        "",
        _(
            "Monte Carlo: %(d)s draws, seed %(s)s — ratio P5 %(p5)s, P50 %(p50)s, "
            "P95 %(p95)s; probability the ratio exceeds 1: %(p)s "
            "(standard error %(se)s)"
        )
        % {
            "d": format_number(mc["draws"]),
            "s": mc["seed"],
            "p5": _ratio(ratio.get("p5")),
            "p50": _ratio(ratio.get("p50")),
            "p95": _ratio(ratio.get("p95")),
            "p": _percent(mc.get("p_ratio_above_1")),
            "se": _small(mc.get("standard_error")),
        },
    ]
    if mc.get("note"):
        out.append("  " + readable(mc["note"]))
    return out


def _small(value) -> str:
    return _("undefined") if value is None else format_number(value, 4)


def _percent(value) -> str:
    return _("undefined") if value is None else format_percent(value, digits=1)


def _text_switching(result: dict) -> list[str]:
    out = ["", _("Switching values (the value of one assumption at which the ratio reaches 1)")]
    entries = result.get("switching_values", [])
    for entry in entries:
        if entry.get("value") is not None:
            out.append(
                "  "
                + _("%(label)s — %(param)s: %(value)s (central %(central)s)")
                % {
                    "label": entry["label"],
                    "param": entry.get("parameter", ""),
                    "value": format_number(entry["value"], 3, trim=True),
                    "central": format_number(entry["central"], 3, trim=True),
                }
            )
    unreachable = sum(1 for entry in entries if entry.get("value") is None)
    if not entries:
        out.append("  " + _("none: no valued line"))
    if unreachable:
        out.append(
            "  "
            + _("%(n)s assumption(s) cannot bring the ratio to 1 on their own") % {"n": unreachable}
        )
    return out


FORMATTERS = {"json": report_json, "text": report_text, "csv": balance_csv}

if __name__ == "__main__":
    sys.exit(main())
