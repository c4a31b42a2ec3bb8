"""The impact-map file as the API receives it (``POST /api/reports/impact-map``).

The schema gives the shape (types, known fields: any other is refused) and the OpenAPI
document; the values are checked by the engine's own parser, the one `tribu sroi`
uses, so that both refuse the same maps with the same words.
"""

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool, StrictFloat, StrictInt, StrictStr

# The largest start year and the most yearly quantities an on-line request may carry.
MAX_YEARS = 50

Number = StrictInt | StrictFloat


class Closed(Schema):
    model_config = ConfigDict(extra="forbid")


class RangeIn(Closed):
    low: Number
    central: Number
    high: Number


Ranged = Annotated[
    Number | RangeIn,
    Field(description="A number (no uncertainty) or {low, central, high}, low ≤ central ≤ high."),
]
Fraction = Annotated[
    Number | RangeIn, Field(description="A fraction 0…1, or {low, central, high} of fractions.")
]


class InputIn(Closed):
    label: StrictStr
    amount: Number = Field(description="Money put in, ≥ 0.")
    year: StrictInt = Field(0, description="0 is not discounted; later years are.")
    stakeholder: StrictStr = Field("", description="Who puts it in.")


class OutcomeIn(Closed):
    label: StrictStr
    stakeholder: StrictStr = ""
    quantity: Number | Annotated[list[Number], Field(min_length=1, max_length=MAX_YEARS)] = Field(
        description=(
            "How many, in the first year (reduced by drop_off after it), or a list of "
            "yearly quantities from start_year on (then no drop_off)."
        )
    )
    proxy: Ranged
    deadweight: Fraction
    displacement: Fraction
    attribution: Fraction
    drop_off: Fraction = 0
    duration_years: StrictInt = Field(
        1, description="Years the outcome lasts (with yearly quantities: their number)."
    )
    start_year: StrictInt = Field(
        1, ge=1, le=MAX_YEARS, description="1: during the activity; 2 or later: after it."
    )
    market: StrictBool = False
    headline: StrictBool = True
    cvn_account: StrictStr | StrictInt | None = Field(
        None, description="French in-kind account: 860, 861, 8611, 8612, 862 or 864."
    )
    key: StrictStr = ""
    direction: Literal["benefit", "cost"] = "benefit"
    change: StrictStr = Field("", description="The change, in the stakeholder's words.")
    output: StrictStr = Field("", description="The activity, in numbers.")
    indicator: StrictStr = ""
    indicator_source: StrictStr = ""
    proxy_label: StrictStr = Field("", description="What the financial proxy is.")
    proxy_source: StrictStr = Field("", description="Where the proxy's value comes from.")


class SimulationIn(Closed):
    draws: StrictInt = 10000
    seed: StrictInt = 2026


class ImpactMapIn(Closed):
    """An impact map (docs/impact-map.md). Fields not listed here are refused. A value
    map spreadsheet to start from is served at /static/tribu/value-map-template.xlsx
    (in French: /static/tribu/modele-carte-de-la-valeur.xlsx)."""

    name: StrictStr
    currency: StrictStr = "EUR"
    discount_rate: Number = 0.035
    discounting: Literal["end_of_year", "mid_year"] = Field(
        "end_of_year",
        description="end_of_year: year t is divided by (1 + r)^t; mid_year: by (1 + r)^(t − 0.5).",
    )
    inputs: list[InputIn]
    outcomes: list[OutcomeIn]
    simulation: SimulationIn = Field(default_factory=SimulationIn)

    def as_file(self) -> dict[str, Any]:
        """The map as the file would hold it: only what the request said, so that the
        engine applies its own defaults."""
        return self.model_dump(exclude_unset=True)
