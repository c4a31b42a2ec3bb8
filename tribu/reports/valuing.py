"""How one ledger line or one group of flows is valued, in the engine's own terms.

Pages show a value next to each event and each arrow of the flow map; they value it
with the same BalanceLine and formula as the balance sheet, so that the figures agree.
"""

from dataclasses import dataclass
from decimal import Decimal

from tribu.core.formats import format_explanation, format_money
from tribu.ledger.models import EconomicEvent, ResourceSpecification, SpecificationValues
from tribu.valuation import BalanceLine
from tribu.valuation.balance import explanation
from tribu.valuation.projection import year_one_value

from .aggregates import Sums
from .balance import balance_line

ASSUMPTIONS = ("proxy", "deadweight", "displacement", "attribution")


@dataclass(frozen=True)
class Valued:
    value: Decimal
    text: str  # quantity × proxy × adjustments = value, or the money amount
    source: str  # where the proxy comes from
    market: bool
    readable: str = ""  # the same, written for people in the active language


def central_value(line: BalanceLine) -> Decimal:
    return year_one_value(line.quantity, {n: getattr(line, n).central for n in ASSUMPTIONS})


def line_for(
    spec: ResourceSpecification, values: SpecificationValues, sums: Sums, language: str
) -> BalanceLine:
    return balance_line(spec, values, sums, "benefit", language)


def value_sums(
    spec: ResourceSpecification,
    values: SpecificationValues | None,
    sums: Sums,
    currency: str,
    language: str = "fr",
) -> Valued:
    """The central value of summed flows of one kind: money for market ones."""
    if spec.market or values is None:
        money = format_money(sums.money, currency)
        return Valued(sums.money, f"{sums.money} {currency}", "", True, money)
    line = line_for(spec, values, sums, language)
    value = central_value(line)
    readable = format_explanation(
        line.quantity,
        line.unit,
        line.proxy.central,
        [getattr(line, name).central for name in ASSUMPTIONS[1:]],
        value,
        currency,
    )
    return Valued(value, explanation(line, value, currency), values.proxy_source, False, readable)


def value_event(
    event: EconomicEvent,
    values: dict[int, SpecificationValues],
    currency: str,
    language: str = "fr",
) -> Valued:
    sums = Sums(
        event.resource_quantity,
        event.money_amount or Decimal(0),
        event.declared_value or Decimal(0),
        1,
    )
    spec = event.resource_conforms_to
    return value_sums(spec, values.get(spec.pk), sums, currency, language)
