"""A platform's settings in their proper types, or an error in the founder's words.

`create_platform` cleans with these, so the web form, the API and the import refuse the
same input with the same message.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tribu.core.errors import Conflict, TribuError

from .models import CarrierProfile, CauseCategory, Platform

# What a founder states, and what a steward may change afterwards.
SETTINGS = (
    "name",
    "cause_title",
    "manifesto",
    "cause_category",
    "cause_detail",
    "carrier_profile",
    "address",
    "commune_code",
    "region_code",
    "surface_m2",
    "capacity",
    "monthly_rent",
    "monthly_charges",
    "opening_date",
    "is_public",
    "vouches_required",
    "trial_days",
)
MONEY = ("monthly_rent", "monthly_charges")
MAX_AMOUNT = Decimal(10) ** 10  # the columns hold 12 digits, 2 of them decimals
MAX_COUNT = 32_000  # what every counted column holds (vouches and trial days are small)
COUNTS = ("surface_m2", "capacity", "vouches_required", "trial_days")


def _money(value, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise TribuError(_("%(what)s must be an amount, for example 1200.") % {"what": what})
    if amount < 0:
        raise TribuError(_("%(what)s cannot be negative.") % {"what": what})
    if amount >= MAX_AMOUNT:
        raise TribuError(_("%(what)s is too large.") % {"what": what})
    return amount.quantize(Decimal("0.01"))


def _count(value, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise TribuError(_("%(what)s must be a whole number.") % {"what": what}) from None
    if number < 0:
        raise TribuError(_("%(what)s cannot be negative.") % {"what": what})
    if number > MAX_COUNT:
        raise TribuError(_("%(what)s is too large.") % {"what": what})
    return number


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise TribuError(_("The opening date must be a date, for example 2027-09-01.")) from None


def clean_settings(fields: dict, *, draft: bool) -> dict:
    """The settings in their proper types, or a `TribuError` in the founder's words."""
    labels = {
        "monthly_rent": _("The monthly rent"),
        "monthly_charges": _("The monthly service charges"),
        "surface_m2": _("The surface"),
        "capacity": _("The capacity"),
        "vouches_required": _("The number of vouches"),
        "trial_days": _("The trial period"),
    }
    clean = dict(fields)
    for name in set(MONEY) & set(fields):
        clean[name] = _money(fields[name], labels[name])
    for name in set(COUNTS) & set(fields):
        clean[name] = _count(fields[name], labels[name])
        if name in ("vouches_required", "trial_days") and clean[name] is None:
            raise TribuError(_("%(what)s must be a whole number.") % {"what": labels[name]})
    for name in ("name", "cause_title", "manifesto", "cause_detail", "address"):
        if name in fields:
            clean[name] = short_enough(str(fields[name] or "").strip(), name)
    for name in ("commune_code", "region_code", "cause_category", "carrier_profile"):
        if name in fields:
            clean[name] = str(fields[name] or "").strip()
    if "opening_date" in fields:
        clean["opening_date"] = _date(fields["opening_date"])
    _check_meaning(clean, draft)
    return clean


def _check_meaning(clean: dict, draft: bool) -> None:
    if "name" in clean and not clean["name"]:
        raise TribuError(_("Give the platform a name."))
    if "cause_title" in clean and not clean["cause_title"]:
        raise TribuError(_("Say in one line which Cause the place is dedicated to."))
    if clean.get("surface_m2") == 0:
        raise TribuError(_("The surface of the place must be more than 0 m²."))
    if clean.get("capacity") == 0:
        raise TribuError(_("The place must welcome at least one person."))
    if "cause_category" in clean and clean["cause_category"] not in CauseCategory.values:
        raise TribuError(_("Choose the kind of Cause from the list."))
    if "carrier_profile" in clean and clean["carrier_profile"] not in CarrierProfile.values:
        raise TribuError(_("Choose who carries the platform from the list."))
    codes = (("commune_code", r"[0-9][0-9AB][0-9]{3}"), ("region_code", r"[0-9]{2,3}"))
    for code, pattern in codes:
        value = str(clean.get(code) or "").strip()
        if value and not re.fullmatch(pattern, value):
            raise TribuError(_("The commune or region code is not an INSEE code."))
    opening = clean.get("opening_date")
    if draft and opening and opening < timezone.localdate():
        raise TribuError(
            _("A platform in preparation opens today or later: choose a date not in the past.")
        )


def free_platform_slug(wanted: str) -> str:
    """`wanted` if no platform uses it, else the first free `wanted-2`, `wanted-3`…"""
    base = slugify(wanted)[:45].strip("-") or "plateforme"
    slug, n = base, 1
    while Platform.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def check_slug_free(slug: str) -> None:
    if Platform.objects.filter(slug=slug).exists():
        raise Conflict(
            _("The address “%(slug)s” is already taken; “%(free)s” is free.")
            % {"slug": slug, "free": free_platform_slug(slug)}
        )


TEXT_LIMITS = {"name": 200, "cause_title": 200, "cause_detail": 200, "address": 300}


def short_enough(text: str, name: str = "", limit: int | None = None) -> str:
    limit = limit or TEXT_LIMITS.get(name)
    if limit and len(text) > limit:
        raise TribuError(
            _("“%(start)s…” is too long: %(n)s characters at most.")
            % {"start": text[:30], "n": limit}
        )
    return text
