"""What goes in and out of the API. Input limits mirror the database columns, so that
anything the schema accepts can be stored on SQLite and PostgreSQL alike."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, model_validator
from pydantic_core import PydanticCustomError

from tribu.core.validation import MAX_OFFSET
from tribu.ledger.models import Action, Status

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_ID = 2**53  # within every database's integer and every JSON client's exact range
# Dates outside these years are refused: month arithmetic near year 9999 overflows.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _printable(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError("the NUL character is not allowed")
    return value


def _in_range(value: date | datetime) -> date | datetime:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}")
    offset = value.utcoffset() if isinstance(value, datetime) else None
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ValueError("the time-zone offset must be between -14:00 and +14:00")
    return value


DAY_WRITTEN = re.compile(r"\d{4}-\d{2}-\d{2}")
MOMENT_WRITTEN = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def _written(pattern: re.Pattern, kind: type, example: str):
    """Only the ISO form the document gives: pydantic would also take a number as seconds
    since 1970 (`?from=0` as 1 January 1970), which no one means."""

    def check(value):
        if isinstance(value, kind) or (isinstance(value, str) and pattern.fullmatch(value)):
            return value
        raise PydanticCustomError("written_as", "must be written {example}", {"example": example})

    return BeforeValidator(check)


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=50)]
Text = Annotated[str, AfterValidator(_printable)]
Day = Annotated[date, _written(DAY_WRITTEN, date, "YYYY-MM-DD"), AfterValidator(_in_range)]
Moment = Annotated[
    datetime,
    _written(MOMENT_WRITTEN, datetime, "YYYY-MM-DDTHH:MM (ISO 8601)"),
    AfterValidator(_in_range),
]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Fraction = Annotated[Decimal, Field(ge=0, le=1, max_digits=6, decimal_places=4)]
ActionName = Literal[tuple(Action.values)]  # type: ignore[valid-type]
StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]


class BodyIn(Schema):
    """A request body: a JSON object. Ninja's schemas read attributes from any object, so
    that a list or a number would pass as an object with every field left out."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        # Ninja's own validator runs first and wraps the input in a DjangoGetter.
        given = getattr(value, "_obj", value)
        if isinstance(given, dict | Schema):
            return value
        raise PydanticCustomError("object_expected", "must be a JSON object")


class ErrorOut(Schema):
    message: str
    status: int
    field: str | None = Field(None, description="The field whose value was refused, if one.")


class AgentRef(Schema):
    slug: str
    name: str


# --- platforms and agents ------------------------------------------------------


class PlatformOut(Schema):
    slug: str
    name: str
    cause_title: str
    manifesto: str
    address: str
    surface_m2: int | None
    capacity: int | None
    currency: str
    carrier_profile: str
    time_zone: str
    is_public: bool
    is_demo: bool = Field(description="The figures are illustrative, not real.")
    place: AgentRef | None
    host: AgentRef | None
    my_role: str | None = Field(None, description="The caller's role here, if a member.")


class AgentOut(Schema):
    slug: str
    name: str
    kind: str
    is_public: bool
    bio: str
    role: str | None


# --- catalogue -------------------------------------------------------------------


class RangeOut(Schema):
    low: Decimal | None
    central: Decimal | None
    high: Decimal | None


class SpecificationOut(Schema):
    slug: str
    name: str
    unit: str
    market: bool
    headline: bool
    cvn_account: str
    declared: bool = Field(description="Valued per event by its declared value.")
    proxy: RangeOut
    source: str
    source_date: date | None
    deadweight: RangeOut
    displacement: RangeOut
    attribution: RangeOut
    drop_off: RangeOut
    version: int = Field(description="The catalogue version these values come from.")


class VersionOut(Schema):
    number: int
    note: str
    created_by: AgentRef | None
    created_at: datetime


class CatalogueOut(Schema):
    version: VersionOut
    specifications: list[SpecificationOut]


class SpecificationChange(BodyIn):
    """Only the fields given change; the others carry over from the version in force."""

    proxy_low: Money | None = None
    proxy_central: Money | None = None
    proxy_high: Money | None = None
    source: Annotated[Text, Field(max_length=2000)] | None = None
    source_date: Day | None = None
    deadweight_low: Fraction | None = None
    deadweight_central: Fraction | None = None
    deadweight_high: Fraction | None = None
    displacement_low: Fraction | None = None
    displacement_central: Fraction | None = None
    displacement_high: Fraction | None = None
    attribution_low: Fraction | None = None
    attribution_central: Fraction | None = None
    attribution_high: Fraction | None = None
    drop_off_low: Fraction | None = None
    drop_off_central: Fraction | None = None
    drop_off_high: Fraction | None = None


class CatalogueEditIn(BodyIn):
    note: Annotated[Text, Field(max_length=300)] = ""
    changes: Annotated[dict[Slug, SpecificationChange], Field(min_length=1, max_length=500)]


# --- events ----------------------------------------------------------------------


class ValueOut(Schema):
    central: Decimal = Field(description="Central value, in the platform's currency.")
    explanation: str = Field(description="quantity × proxy × adjustments = value")
    source: str = Field(description="Where the proxy comes from.")
    market: bool


class EventOut(Schema):
    id: int
    action: str
    provider: AgentRef
    receiver: AgentRef
    specification: str
    specification_name: str
    quantity: Decimal
    unit: str
    effort_quantity: Decimal | None
    occurred_on: date
    has_point_in_time: datetime | None
    has_beginning: datetime | None
    has_end: datetime | None
    note: str
    evidence: str
    money_amount: Decimal | None
    currency: str
    declared_value: Decimal | None
    recorded_by: AgentRef
    recorded_at: datetime
    source: str
    status: str
    corrected: bool = Field(description="A later event replaces this one in every report.")
    counted: bool = Field(description="Confirmed and not corrected: counted in reports.")
    corrects: int | None = Field(description="The event this one corrects.")
    declared: bool = Field(
        False,
        description="Declared with evidence by a steward, not confirmed by the other party "
        "(an outside party who is not in Tribu); counted in the market tier.",
    )
    value: ValueOut = Field(description="Valued with the catalogue in force.")


class StatusChangeOut(Schema):
    status: str
    by: AgentRef
    reason: str
    at: datetime


class EventDetailOut(EventOut):
    counterparty: AgentRef = Field(description="Who may confirm or dispute it.")
    history: list[StatusChangeOut]
    corrected_by: list[int] = Field(description="The events that correct this one.")


class EventPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EventOut]


class EventIn(BodyIn):
    action: ActionName
    provider: Slug
    receiver: Slug
    specification: Slug
    quantity: Quantity
    occurred: Day | Moment = Field(description="A day, or the moment it began.")
    ends: Moment | None = Field(None, description="For a flow over a time span.")
    note: Annotated[Text, Field(max_length=5000)] = ""
    evidence: Annotated[Text, Field(max_length=500)] = ""
    money_amount: Money | None = None
    declared_value: Money | None = None
    effort_quantity: Quantity | None = None


class CorrectionIn(EventIn):
    reason: Annotated[Text, Field(max_length=5000)] = ""


class DisputeIn(BodyIn):
    reason: Annotated[Text, Field(min_length=1, max_length=5000)]


EventId = Annotated[int, Field(ge=1, le=MAX_ID)]


class EventFilters(Schema):
    start: Day | None = Field(None, alias="from", description="First day (included).")
    end: Day | None = Field(None, alias="to", description="Last day (excluded).")
    agent: Slug | None = Field(None, description="Provider or receiver.")
    spec: Slug | None = Field(None, description="Kind of value (specification slug).")
    status: StatusName | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


# The error statuses the API answers with (documented on every operation).
ERRORS = frozenset({400, 401, 403, 404, 409, 422})
