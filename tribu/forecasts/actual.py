"""Forecast against actual: each line's forecast per quarter beside what the ledger shows,
the gap split into quantity and price.

    gap = Qa·ua − Qf·uf = (Qa − Qf)·uf  [quantity]  +  (ua − uf)·Qa  [price]

Qf is a quarter of the yearly central quantity, uf the forecast's central value of one
unit (year one, undiscounted); Qa and ua come from the host's confirmed flows, valued by
the balance sheet's own code at today's catalogue values.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.core.errors import TribuError
from tribu.ledger.catalogue import current_values
from tribu.ledger.models import ResourceSpecification
from tribu.reports.aggregates import Period, sums_for
from tribu.reports.valuing import value_sums
from tribu.valuation import parse_impact_map, project

from .models import ForecastVersion

ZERO = Decimal(0)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def quarters(start: date, years: int, today: date) -> list[Period]:
    """The forecast's quarters that have begun by ``today``."""
    first = start.replace(day=1)
    periods = [
        Period(_add_months(first, 3 * q), _add_months(first, 3 * q + 3)) for q in range(4 * years)
    ]
    return [p for p in periods if p.start <= today]


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _actual(spec, values, sums, currency: str) -> tuple[Decimal, Decimal]:
    """(quantity, value) the ledger shows; declared lines count their money."""
    if sums is None:
        return ZERO, ZERO
    valued = value_sums(spec, values, sums, currency)
    if spec.market:
        return sums.quantity, valued.value
    declared = values is not None and values.proxy_central is None
    return (sums.declared if declared else sums.quantity), valued.value


def versus_actual(
    version: ForecastVersion, today: date | None = None, language: str = "fr"
) -> dict:
    platform = version.platform
    if platform.host is None:
        raise TribuError(_("this platform has no host yet: there is nothing to compare"))
    given = version.entry.get("start")
    start = date.fromisoformat(given) if given else None
    start = start or platform.opening_date or version.created_at.date()
    today = today or timezone.localdate()
    imap = parse_impact_map(version.impact_map)
    outcomes = project(imap)["outcomes"]
    specs = {s.slug: s for s in ResourceSpecification.objects.filter(platform=platform)}
    values = current_values(platform.pk)
    rows = []
    for number, period in enumerate(quarters(start, version.entry["years"], today)):
        received = sums_for(platform.pk, platform.host.pk, "receiver", period)
        for index, line in enumerate(version.entry["lines"]):
            spec = specs[line["key"]]
            # A line may expect a different quantity each year; its unit value is year 1's.
            years = line.get("yearly") or [line["quantity"]]
            qf = Decimal(years[min(number // 4, len(years) - 1)]["central"]) / 4
            first = Decimal(line["quantity"]["central"])
            uf = outcomes[index]["value_year_1"] / first if first else ZERO
            qa, va = _actual(spec, values.get(spec.pk), received.get(spec.pk), platform.currency)
            ua = va / qa if qa else uf
            rows.append(
                {
                    "quarter": period.start.isoformat(),
                    "key": spec.slug,
                    "label": spec.name(language),
                    "headline": spec.headline,
                    "forecast_quantity": f"{qf:.2f}",
                    "forecast_value": _money(qf * uf),
                    "actual_quantity": f"{qa:.2f}",
                    "actual_value": _money(va),
                    "gap": _money(va - qf * uf),
                    "quantity_effect": _money((qa - qf) * uf),
                    "price_effect": _money((ua - uf) * qa),
                }
            )
    return {"version": version.number, "from": start.isoformat(), "rows": rows}
