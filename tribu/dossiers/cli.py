"""`tribu dossier --platform SLUG --kind sponsor|investor|foundation --out FILE.pdf` and
`tribu receipt --platform SLUG --event ID --out FILE.pdf` (a company's gift receipt)."""

from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tribu.core.errors import NotFound, TribuError

from .services import KINDS


def add_parser(commands) -> None:
    cmd = commands.add_parser("dossier", help=_("a funding dossier as PDF"))
    cmd.add_argument("--platform", required=True, help=_("platform slug"))
    cmd.add_argument("--kind", required=True, choices=KINDS, help=_("kind of carrier"))
    cmd.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file to write"))
    cmd.add_argument("--gift", help=_("sponsor: the gift, in euros"))
    cmd.add_argument("--turnover", help=_("sponsor: the company's turnover excluding tax"))
    cmd.set_defaults(run=run)


def add_receipt_parser(commands) -> None:
    cmd = commands.add_parser(
        "receipt", help=_("a company's gift receipt (form 2041-MEC-SD, Cerfa 16216) as PDF")
    )
    cmd.add_argument("--platform", required=True, help=_("platform slug"))
    cmd.add_argument("--event", required=True, type=int, help=_("the gift's flow number"))
    cmd.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file to write"))
    cmd.set_defaults(run=run_receipt)


def _write(path: str, pdf: bytes) -> None:
    try:
        Path(path).write_bytes(pdf)
    except OSError as exc:
        raise TribuError(
            _("%(file)s: cannot write (%(e)s)") % {"file": path, "e": exc.strerror}
        ) from exc


def run_receipt(args) -> int:
    from tribu.platforms.models import Platform

    from .receipt import receipt_pdf

    platform = Platform.objects.filter(slug=args.platform).select_related("host").first()
    if platform is None:
        raise NotFound(_("no platform “%(slug)s”") % {"slug": args.platform})
    language = "en" if (get_language() or "fr").startswith("en") else "fr"
    _write(args.out, receipt_pdf(platform, args.event, language))
    print(_("receipt written to %(file)s") % {"file": args.out})
    return 0


def run(args) -> int:
    from tribu.platforms.models import Platform

    from .pdf import dossier_pdf

    platform = Platform.objects.filter(slug=args.platform).select_related("host").first()
    if platform is None:
        raise NotFound(_("no platform “%(slug)s”") % {"slug": args.platform})
    language = "en" if (get_language() or "fr").startswith("en") else "fr"
    _write(args.out, dossier_pdf(platform, args.kind, language, args.gift, args.turnover))
    print(_("dossier written to %(file)s") % {"file": args.out})
    return 0
