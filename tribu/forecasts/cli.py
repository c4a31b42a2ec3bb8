"""`tribu forecast`: the carrier's template, a new version from a file, one version
evaluated, or forecast against actual — as JSON, through the same services as the pages."""

import json
import sys
from pathlib import Path

from django.utils.translation import gettext as _

from tribu.core.errors import NotFound, TribuError

from . import services
from .actual import versus_actual


def add_parser(commands) -> None:
    cmd = commands.add_parser(
        "forecast", help=_("a platform's forecast: template, versions, actual")
    )
    cmd.add_argument("--platform", required=True, help=_("platform slug"))
    cmd.add_argument(
        "--template", action="store_true", help=_("print the carrier's template entry")
    )
    cmd.add_argument(
        "--carrier", help=_("kind of carrier for the template (the platform's own by default)")
    )
    cmd.add_argument("--save", metavar="FILE.json", help=_("save FILE.json as a new version"))
    cmd.add_argument("--as", dest="username", help=_("the steward saving the version (user name)"))
    cmd.add_argument("--version", type=int, help=_("the version to show (the newest by default)"))
    cmd.add_argument(
        "--actual", action="store_true", help=_("forecast against actual, per quarter")
    )
    cmd.add_argument("--draws", type=int, help=_("Monte Carlo draws"))
    cmd.set_defaults(run=run)


def _user(username: str | None):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username or "").first()
    if user is None:
        raise TribuError(_("say who saves the forecast with --as and a user name"))
    return user


def _steward(platform, user) -> None:
    from tribu.platforms.access import STEWARDS, role_in

    if role_in(user, platform) not in STEWARDS:
        raise TribuError(_("only the platform's stewards save a forecast"))


def _entry(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TribuError(
            _("%(file)s: cannot read (%(e)s)") % {"file": path, "e": exc.strerror}
        ) from exc
    except json.JSONDecodeError as exc:
        raise TribuError(_("%(file)s: not JSON (%(e)s)") % {"file": path, "e": exc.msg}) from exc


def run(args) -> int:
    from tribu.platforms.models import Platform

    platform = Platform.objects.filter(slug=args.platform).select_related("host").first()
    if platform is None:
        raise NotFound(_("no platform “%(slug)s”") % {"slug": args.platform})
    if args.draws is not None and args.draws < 1:
        raise TribuError(_("--draws must be at least 1"))
    if args.template:
        result = services.template_entry(platform, args.carrier)
    elif args.save:
        user = _user(args.username)
        _steward(platform, user)
        version = services.save_forecast(platform, user, _entry(args.save))
        result = {"number": version.number, "entry": version.entry}
    elif args.actual:
        result = versus_actual(services.version_of(platform, args.version))
    else:
        result = services.evaluate_version(services.version_of(platform, args.version), args.draws)
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False, default=str)
    print()
    return 0
