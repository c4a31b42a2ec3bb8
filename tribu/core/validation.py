"""What a column can hold, checked before every write, the same on SQLite and PostgreSQL.

PostgreSQL refuses a NUL character, a time-zone offset beyond ±15:59 or a number wider than
its column, and SQLite stores them all; either way the value is wrong. Every save of the
project's models passes here (a `pre_save` receiver), and bulk writes call `problem` row by
row, so the web form, the API and the import refuse the same value with the same words.
"""

import functools
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from .errors import TribuError

# Real offsets run from -12:00 to +14:00.
MAX_OFFSET = timedelta(hours=14)
# Month arithmetic near year 9999 overflows; no one means a year outside these.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
# Tab, line feed and carriage return are text; other control characters are not.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


class InvalidValue(TribuError):
    """A value its column cannot hold; `field` is the field's name, the message its label."""

    def __init__(self, field: models.Field, problem: str):
        self.field = field.name
        label = str(field.verbose_name)
        super().__init__(_("%(field)s: %(problem)s") % {"field": label, "problem": problem})


def problem(field: models.Field, value) -> str | None:
    """Why `value` cannot go in `field`'s column, in the person's words; None when it can."""
    if value is None:
        return None
    if isinstance(field, (models.CharField, models.TextField)) and isinstance(value, str):
        return _text_problem(field, value)
    if isinstance(field, models.DecimalField) and isinstance(value, (Decimal, int, float)):
        return _decimal_problem(field, Decimal(str(value)))
    if isinstance(field, models.DateTimeField) and isinstance(value, datetime):
        return moment_problem(value)
    if isinstance(field, models.DateField) and isinstance(value, date):
        return year_problem(value.year)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        return _integer_problem(field, value)
    return None


def first_problem(model: type[models.Model], values: dict) -> tuple[models.Field, str] | None:
    """The first of `values` (by field name) its column cannot hold, for rows written in bulk."""
    for field in model._meta.concrete_fields:
        if field.name in values:
            found = problem(field, values[field.name])
            if found:
                return field, found
    return None


# The kinds of column `problem` may find fault with (a DateTimeField is a DateField).
CHECKED = (
    models.CharField,
    models.TextField,
    models.DecimalField,
    models.DateField,
    models.IntegerField,
)


@functools.cache
def checked_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The fields a save of `model` checks, in their order: worked out once per model,
    for every save of every model passes here."""
    return tuple(
        f for f in model._meta.concrete_fields if not f.primary_key and isinstance(f, CHECKED)
    )


@functools.cache
def decimal_steps(model: type[models.Model]) -> tuple[tuple[str, Decimal], ...]:
    """(attname, one unit of the last place) of each decimal column of `model`."""
    return tuple(
        (f.attname, Decimal(1).scaleb(-(f.decimal_places or 0)))
        for f in model._meta.concrete_fields
        if isinstance(f, models.DecimalField)
    )


def check_instance(instance: models.Model) -> None:
    for field in checked_fields(type(instance)):
        found = problem(field, getattr(instance, field.attname, None))
        if found:
            raise InvalidValue(field, found)


def check_before_save(sender, instance, raw=False, **kwargs) -> None:
    # `raw` saves load fixtures as they were dumped; every other save is checked.
    if not raw and sender.__module__.startswith("tribu."):
        check_instance(instance)
        round_decimals(instance)


def round_decimals(instance: models.Model) -> None:
    """Round to the column's places here, half to even, so that the row in memory (which
    the hash chain covers) is the row stored: engines round half-way cases differently."""
    for attname, step in decimal_steps(type(instance)):
        value = getattr(instance, attname, None)
        if isinstance(value, Decimal):
            setattr(instance, attname, value.quantize(step, rounding=ROUND_HALF_EVEN))


def _text_problem(field, value: str) -> str | None:
    if "\x00" in value:
        return _("the NUL character is not allowed")
    if CONTROL.search(value):
        return _("control characters are not allowed")
    limit = field.max_length
    if limit is not None and len(value) > limit:
        return _("at most %(limit)d characters (this one has %(count)d)") % {
            "limit": limit,
            "count": len(value),
        }
    return None


def _decimal_problem(field, value: Decimal) -> str | None:
    if not value.is_finite():
        return _("must be a number")
    # Further decimal places are rounded by the column, as they always were; only the
    # whole part can overflow it.
    whole_digits = (field.max_digits or 0) - (field.decimal_places or 0)
    if abs(value) >= Decimal(10) ** whole_digits:
        return _("too large: less than %(limit)s") % {"limit": f"{Decimal(10) ** whole_digits:,}"}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and value < validator.limit_value:
            return _("cannot be below %(limit)s") % {"limit": validator.limit_value}
    return None


def real_offset(value: datetime) -> None:
    """A form field's validator: an offset no time zone has is refused beside the field."""
    found = moment_problem(value)
    if found:
        raise ValidationError(found)


def moment_problem(value: datetime) -> str | None:
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return _("the time-zone offset %(offset)s does not exist (at most ±14:00)") % {
            "offset": value.strftime("%:z")
        }
    return year_problem(value.year)


def year_problem(year: int) -> str | None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return _("the year must be between %(first)d and %(last)d") % {
            "first": EARLIEST_YEAR,
            "last": LATEST_YEAR,
        }
    return None


def _integer_problem(field, value: int) -> str | None:
    low, high = INTEGER_RANGES.get(field.get_internal_type(), (None, None))
    if low is not None and not low <= value <= high:
        return _("must be between %(low)d and %(high)d") % {"low": low, "high": high}
    return None
