"""Forecasts: what a platform's founders expect, as an impact map evaluated by the same
engine as the balance sheets, saved as versions that are never overwritten.

A forecast entry (what the page, the API and the CLI send):

    {"carrier": "company_host", "years": 1..3, "monthly_rent": "11300",
     "other_costs": "15600" (per year), "note": "",
     "lines": [{"key": "desk-month", "stakeholder": "host",
                "quantity": {"low": "18", "central": "36", "high": "54"},
                "price": "2500" (market lines only)}]}

Quantities are per year: one {low, central, high} for every year, or a list of them,
one per year of the forecast (year 1 first) when a year differs. A clean entry keeps
year 1 in ``quantity`` and, for such a line, every year in ``yearly``.

It becomes an impact-map document (DESIGN.md, "Impact map file") with the catalogue's
prices and adjustments of the day; the engine's public entry points (`parse_impact_map`,
`evaluate`, `project`, `sroi_with`) value it.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tribu.core.errors import NotFound, TribuError
from tribu.ledger.catalogue import current_values
from tribu.ledger.models import ResourceSpecification
from tribu.platforms.models import Platform
from tribu.valuation import evaluate, parse_impact_map, project, sroi_with
from tribu.valuation.breakeven import impact_map_break_even
from tribu.valuation.cvn import money
from tribu.valuation.projection import with_quantities

from .carriers import STAKEHOLDERS, TEMPLATES, template_lines
from .models import ForecastVersion

MAX_YEARS = 3
LEVELS = ("low", "central", "high")
ADJUSTMENTS = ("deadweight", "displacement", "attribution")
RENT_KEY = "rent"
TEXT_FIELDS = ("label", "name", "key", "stakeholder", "currency", "cvn_account")
DISCOUNT_RATE = "0.035"  # DESIGN.md's default for projections


def _number(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise TribuError(
            _("%(what)s: “%(v)s” is not a number") % {"what": what, "v": value}
        ) from None
    if not number.is_finite():
        raise TribuError(_("%(what)s: “%(v)s” is not a number") % {"what": what, "v": value})
    if number < 0:
        raise TribuError(_("%(what)s cannot be negative") % {"what": what})
    return number


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def carrier_of(value: str | None, platform: Platform) -> str:
    carrier = value or platform.carrier_profile
    if carrier not in TEMPLATES:
        raise TribuError(
            _("unknown kind of carrier “%(kind)s”: choose one of %(kinds)s")
            % {"kind": carrier, "kinds": ", ".join(sorted(TEMPLATES))}
        )
    return carrier


def _specs(platform: Platform) -> dict[str, ResourceSpecification]:
    return {s.slug: s for s in ResourceSpecification.objects.filter(platform=platform)}


def template_entry(platform: Platform, carrier: str | None = None, language: str = "fr") -> dict:
    """A forecast entry from the carrier's template, limited to the catalogue's kinds."""
    carrier = carrier_of(carrier, platform)
    specs = _specs(platform)
    rent = (platform.monthly_rent or Decimal(0)) + (platform.monthly_charges or Decimal(0))
    return {
        "carrier": carrier,
        "years": 1,
        "monthly_rent": str(rent),
        "other_costs": "0",
        "note": "",
        "lines": [line for line in template_lines(carrier) if line["key"] in specs],
    }


def _quantity_words(level: str) -> str:
    return {
        "low": _("the low quantity of “%(name)s”"),
        "central": _("the central quantity of “%(name)s”"),
        "high": _("the high quantity of “%(name)s”"),
    }[level]


def _clean_quantity(quantity: Any, name: str, year: int | None) -> dict:
    if not isinstance(quantity, dict):
        quantity = {level: quantity for level in LEVELS}
    words = {
        "name": name if year is None else _("%(name)s, year %(y)s") % {"name": name, "y": year}
    }
    low, central, high = (
        _number(quantity.get(level, ""), _quantity_words(level) % words) for level in LEVELS
    )
    if not low <= central <= high:
        raise TribuError(
            _("“%(name)s”: the quantities must go from low to high (%(l)s ≤ %(c)s ≤ %(h)s)")
            % {"name": words["name"], "l": low, "c": central, "h": high}
        )
    return {"low": _plain(low), "central": _plain(central), "high": _plain(high)}


def _clean_quantities(quantity: Any, name: str, years: int) -> dict:
    """{"quantity": year 1} and, when the years are given one by one, {"yearly": [...]}."""
    if not isinstance(quantity, list):
        return {"quantity": _clean_quantity(quantity, name, None)}
    if len(quantity) != years:
        raise TribuError(
            _("“%(name)s”: give one quantity per year of the forecast (%(n)s), got %(got)s")
            % {"name": name, "n": years, "got": len(quantity)}
        )
    yearly = [_clean_quantity(q, name, y + 1) for y, q in enumerate(quantity)]
    return {"quantity": yearly[0], "yearly": yearly}


def _clean_line(line: Any, specs: dict, index: int, years: int = 1) -> dict:
    if not isinstance(line, dict) or line.get("key") not in specs:
        key = line.get("key") if isinstance(line, dict) else line
        raise TribuError(
            _("line %(n)s: “%(key)s” is not in this platform’s catalogue")
            % {"n": index + 1, "key": key}
        )
    spec = specs[line["key"]]
    name = spec.name_fr or spec.slug
    clean = {
        "key": spec.slug,
        "stakeholder": line.get("stakeholder")
        if line.get("stakeholder") in STAKEHOLDERS
        else "host",
        **_clean_quantities(line.get("quantity"), name, years),
    }
    if spec.market:
        if line.get("price") in (None, ""):
            raise TribuError(_("“%(name)s” is billed: give its price per unit") % {"name": name})
        price = _number(line["price"], _("the price of “%(name)s”") % {"name": name})
        clean["price"] = _plain(price)
    return clean


def _start(value: Any) -> str | None:
    """The forecast's first day (ISO), if given: its quarters count from there."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise TribuError(
            _("the first day of the forecast: “%(v)s” is not a date (YYYY-MM-DD)") % {"v": value}
        ) from None


def clean_entry(platform: Platform, data: Any) -> dict:
    """A valid forecast entry, or a TribuError in the person's words."""
    if not isinstance(data, dict):
        raise TribuError(_("a forecast needs its years, its costs and its lines"))
    carrier = carrier_of(data.get("carrier"), platform)
    try:
        years = int(data.get("years", 1))
    except (TypeError, ValueError):
        years = 0
    if not 1 <= years <= MAX_YEARS:
        raise TribuError(_("a forecast runs over one to three years"))
    specs = _specs(platform)
    lines = data.get("lines") or []
    if not isinstance(lines, list) or not lines:
        raise TribuError(_("a forecast needs at least one expected benefit"))
    return {
        "carrier": carrier,
        "years": years,
        "start": _start(data.get("start")),
        "monthly_rent": _plain(_number(data.get("monthly_rent") or 0, _("the monthly rent"))),
        "other_costs": _plain(_number(data.get("other_costs") or 0, _("the other yearly costs"))),
        "note": str(data.get("note") or "")[:300],
        "lines": [_clean_line(line, specs, i, years) for i, line in enumerate(lines)],
    }


def _range(values, name: str) -> dict:
    return {level: str(getattr(values, f"{name}_{level}")) for level in LEVELS}


def _proxy(values, line: dict) -> dict | str:
    if "price" in line:
        return line["price"]
    central = values.proxy_central
    if central is None:  # declared amounts: the quantity is already money
        return "1"
    low = central if values.proxy_low is None else values.proxy_low
    high = central if values.proxy_high is None else values.proxy_high
    return {"low": str(low), "central": str(central), "high": str(high)}


def _quantity(quantity: dict) -> dict | str:
    """The engine's quantity: a plain number when exact, else the whole range."""
    return quantity["central"] if quantity["low"] == quantity["high"] else dict(quantity)


def _outcome(spec, values, line: dict, years: int, language: str) -> dict:
    yearly = line.get("yearly")
    outcome = {
        "key": spec.slug,
        "label": spec.name(language),
        "stakeholder": str(STAKEHOLDERS[line["stakeholder"]]),
        "quantity": [_quantity(q) for q in yearly] if yearly else _quantity(line["quantity"]),
        "proxy": _proxy(values, line),
        "duration_years": years,
        "market": spec.market,
        "headline": spec.headline,
    }
    for name in ADJUSTMENTS:
        outcome[name] = "0" if spec.market else _range(values, name)
    if spec.cvn_account:
        outcome["cvn_account"] = spec.cvn_account
    return outcome


def impact_map_document(platform: Platform, entry: dict, language: str = "fr") -> dict:
    """The impact-map document of a clean entry, with today's catalogue values."""
    specs, values = _specs(platform), current_values(platform.pk)
    years = entry["years"]
    yearly_rent = Decimal(entry["monthly_rent"]) * 12
    inputs = []
    for year in range(years):
        # Year k's costs are paid at its start: the first year is not discounted.
        inputs.append({"label": _("Rent and charges"), "amount": str(yearly_rent), "year": year})
        if Decimal(entry["other_costs"]):
            inputs.append({"label": _("Other costs"), "amount": entry["other_costs"], "year": year})
    outcomes = [
        _outcome(specs[line["key"]], values[specs[line["key"]].pk], line, years, language)
        for line in entry["lines"]
    ]
    return {
        "name": _("Forecast of %(name)s") % {"name": platform.name},
        "currency": platform.currency,
        "discount_rate": DISCOUNT_RATE,
        "inputs": inputs,
        "outcomes": outcomes,
        "simulation": {"draws": settings.TRIBU_REPORT_DRAWS, "seed": settings.TRIBU_REPORT_SEED},
    }


@transaction.atomic
def save_forecast(platform: Platform, user, data: Any, language: str = "fr") -> ForecastVersion:
    """A new version; nothing is written when the entry is wrong."""
    entry = clean_entry(platform, data)
    document = impact_map_document(platform, entry, language)
    document = _numbers(document)
    parse_impact_map(document)  # the engine accepts it, or nothing is saved
    last = ForecastVersion.objects.select_for_update().filter(platform=platform)
    number = (last.aggregate(n=Max("number"))["n"] or 0) + 1
    return ForecastVersion.objects.create(
        platform=platform,
        number=number,
        entry=entry,
        impact_map=document,
        note=entry["note"],
        created_by=user,
    )


def _numbers(value: Any) -> Any:
    """Money and quantities kept as strings become JSON numbers, as an impact-map file
    holds them (the engine reads a float through its shortest text: 0.1 stays 0.1)."""
    if isinstance(value, dict):
        return {k: (v if k in TEXT_FIELDS else _numbers(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return int(number) if number == number.to_integral_value() else float(number)
    return value


def version_of(platform: Platform, number: int | None = None) -> ForecastVersion:
    versions = ForecastVersion.objects.filter(platform=platform)
    version = versions.filter(number=number).first() if number else versions.last()
    if version is None:
        raise NotFound(
            _("no forecast version %(n)s for this platform") % {"n": number}
            if number
            else _("this platform has no forecast yet")
        )
    return version


def _quantity_bars(tornado: list[dict]) -> list[dict]:
    """The engine's quantity bars, named as the page and the API have named them."""
    return [
        {
            "key": bar["key"],
            "label": bar["outcome"],
            "parameter": "quantity",
            "low": bar["low"],
            "high": bar["high"],
            "ratio_low": bar["sroi_low"],
            "ratio_high": bar["sroi_high"],
            "swing": bar["swing"],
        }
        for bar in tornado
        if bar["parameter"] == "quantity" and bar["swing"] is not None
    ]


def _scenario(imap, level: str) -> dict:
    for index in range(len(imap.outcomes)):
        imap = with_quantities(imap, index, level)
    ratio = sroi_with(imap)
    return {"quantities": level, "ratio": float(ratio) if ratio is not None else None}


def _relabel(result: dict, specs: dict, language: str) -> None:
    """Lines named in the reader's language (a version keeps the names of its day)."""

    def name(key: str, fallback: str) -> str:
        return specs[key].name(language) if key in specs else fallback

    for line in [*result["lines"], *result["break_even"]["lines"], *result["quantity_tornado"]]:
        line["label"] = name(line["key"], line["label"])
    for lever in (result["break_even"]["pair"] or {}).get("levers", []):
        lever["label"] = name(lever["key"], lever["label"])
    for bar in result["tornado"]:
        bar["outcome"] = name(bar.get("key") or "", bar["outcome"])


def evaluate_version(
    version: ForecastVersion,
    draws: int | None = None,
    seed: int | None = None,
    language: str = "fr",
) -> dict:
    """Everything about one version: the engine's evaluation, the quantity ranges'
    effect, and what would make it pay off."""
    imap = parse_impact_map(version.impact_map)
    result = evaluate(imap, draws, seed)
    entry = version.entry
    central = project(imap)
    bounds = {
        i: (Decimal(line["quantity"]["low"]), Decimal(line["quantity"]["high"]))
        for i, line in enumerate(entry["lines"])
    }
    rent_pv = (
        sum(
            (
                i.amount / (1 + imap.discount_rate) ** i.year
                for i in imap.inputs
                if i.label == imap.inputs[0].label
            ),
            Decimal(0),
        )
        if imap.inputs
        else Decimal(0)
    )
    rent = {
        "key": RENT_KEY,
        "label": _("Monthly rent and charges"),
        "unit": imap.currency,
        "quantity": Decimal(entry["monthly_rent"]),
        "present_value": rent_pv,
    }
    be = impact_map_break_even(imap, central, bounds, rent)
    units = {o.key: o for o in imap.outcomes}
    specs = _specs(version.platform)
    for line in [*be["lines"], *(be["pair"] or {}).get("levers", [])]:
        if line["key"] not in units:
            line["unit"] = imap.currency  # the rent
            continue
        spec = specs.get(line["key"])
        declared = spec is not None and units[line["key"]].proxy.central == 1 and not spec.market
        line["unit"] = imap.currency if declared else (spec.unit if spec else "")
    if be["rent"] and be["rent"]["needed"] is not None:
        # The lever is the monthly rent; the page also says what it comes to in total.
        monthly = Decimal(be["rent"]["needed"])
        be["rent"]["needed_per_month"] = be["rent"]["needed"]
        be["rent"]["per_month"] = be["rent"]["quantity"]
        be["rent"]["needed"] = str(money(monthly * 12 * entry["years"]))
    result["break_even"] = be
    result["lines"] = [
        {
            "key": line["key"],
            "label": doc["label"],
            "stakeholder": doc["stakeholder"],
            "stakeholder_key": line["stakeholder"],
            "headline": doc["headline"],
            "quantity": line["quantity"],
            "yearly": line.get("yearly"),
            "value_year_1": str(money(projected["value_year_1"])),
            "present_value": str(money(projected["present_value"])),
        }
        for line, doc, projected in zip(
            entry["lines"], version.impact_map["outcomes"], central["outcomes"], strict=True
        )
    ]
    result["quantity_tornado"] = _quantity_bars(result["tornado"])
    result["quantity_scenarios"] = [_scenario(imap, level) for level in ("low", "high")]
    _relabel(result, specs, language)
    result["version"] = {
        "number": version.number,
        "created_at": version.created_at.isoformat(),
        # No account once restored from a backup without the accounts.
        "created_by": version.created_by.get_username() if version.created_by else "—",
        "note": version.note,
        "entry": entry,
        "platform": version.platform.slug,
        "status": version.platform.status,
        "illustrative": version.platform.is_demo,
    }
    return result
