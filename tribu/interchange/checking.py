"""Small checks on the values read from a file: each names where it is wrong."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.core.validation import moment_problem
from tribu.platforms.models import Platform

from .formats import Where


def _mapping(value, where: Where) -> dict:
    if not isinstance(value, dict):
        raise where.error(_("expected a mapping"))
    return value


def _list(value, where: Where) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error(_("expected a list"))
    return value


def _keys(item: dict, allowed: set[str], where: Where) -> None:
    unknown = sorted(str(k) for k in item if k not in allowed)
    if unknown:
        raise where.error(_("unknown field “%(f)s”") % {"f": unknown[0]})


def _text(item: dict, name: str, where: Where, required: bool = False) -> str:
    value = item.get(name)
    if value is None or value == "":
        if required:
            raise where.at(name).error(_("missing"))
        return ""
    if isinstance(value, (dict, list)):
        raise where.at(name).error(_("expected text"))
    return str(value)


def _bool(item: dict, name: str, where: Where, default: bool) -> bool:
    value = item.get(name, default)
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise where.at(name).error(_("expected true or false"))
    return value


def _number(item: dict, name: str, where: Where) -> Decimal | None:
    value = item.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise where.at(name).error(_("“%(v)s” is not a number") % {"v": value})
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise where.at(name).error(_("“%(v)s” is not a number") % {"v": value}) from exc
    if not number.is_finite():
        raise where.at(name).error(_("must be a finite number"))
    return number


def _zone(platform: Platform) -> ZoneInfo:
    try:
        return ZoneInfo(platform.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _moment(item: dict, name: str, where: Where, zone: ZoneInfo, *, dates: bool = False):
    """A datetime (naive ones are in the platform's time zone), or a date when `dates`."""
    value = item.get(name)
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            value = (
                date.fromisoformat(value)
                if dates and len(value) == 10
                else datetime.fromisoformat(value)
            )
        if isinstance(value, datetime):
            if timezone.is_naive(value):
                return value.replace(tzinfo=zone)
            wrong = moment_problem(value)
            if wrong:
                raise where.at(name).error(wrong)
            return value
        if isinstance(value, date) and dates:
            return value
    except ValueError:
        pass
    expected = "YYYY-MM-DD or YYYY-MM-DDTHH:MM" if dates else "YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
    raise where.at(name).error(
        _("“%(v)s” is not a valid date (expected %(f)s)") % {"v": value, "f": expected}
    )
