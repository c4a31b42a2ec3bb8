"""Forecast pages: the latest version evaluated, the versions, a new version (prefilled
from the last one or the carrier's template), and forecast against actual."""

from django.shortcuts import redirect, render

from tribu.core.errors import TribuError
from tribu.platforms.access import STEWARDS, access_member
from tribu.platforms.models import CarrierProfile
from tribu.web.context import language, platform_context
from tribu.web.errors import page

from . import services
from .actual import versus_actual
from .carriers import STAKEHOLDERS, TEMPLATES
from .charts import forecast_charts, ratio_draws
from .models import ForecastVersion


def _versions(platform):
    return ForecastVersion.objects.filter(platform=platform).order_by("-number")


@page
def forecast(request, slug: str, number: int | None = None):
    platform, _actor, _role = access_member(request.user, slug)
    versions = _versions(platform)
    if not versions.exists():
        return redirect("forecast-new", slug=platform.slug)
    version = services.version_of(platform, number)
    result = services.evaluate_version(version, language=language())
    return render(
        request,
        "forecasts/forecast.html",
        platform_context(
            request,
            platform,
            version=version,
            versions=versions,
            result=result,
            sheet={"break_even": result["break_even"], "currency": result["currency"]},
            cur=result["currency"],
            charts=forecast_charts(result, ratio_draws(version)),
        ),
    )


LATER_YEARS = range(2, services.MAX_YEARS + 1)


def _posted(post, name: str, i: int) -> str:
    values = post.getlist(name)
    return values[i] if i < len(values) else ""


def _quantity_from_post(post, i: int):
    """Year 1's range, or one range per year when a later year is filled in (a later
    year left blank repeats year 1)."""
    first = {level: _posted(post, level, i) for level in services.LEVELS}
    try:
        years = int(post.get("years") or 1)
    except ValueError:
        return first
    later = [
        {level: _posted(post, f"{level}{y}", i) for level in services.LEVELS}
        for y in LATER_YEARS
        if y <= years
    ]
    if not any(v.strip() for q in later for v in q.values()):
        return first
    return [first, *(q if any(v.strip() for v in q.values()) else first for q in later)]


def _entry_from_post(post) -> dict:
    keys = post.getlist("key")
    lines = [
        {
            "key": key,
            "stakeholder": post.getlist("stakeholder")[i],
            "quantity": _quantity_from_post(post, i),
            "price": post.getlist("price")[i],
        }
        for i, key in enumerate(keys)
        if not post.get(f"drop-{i}")
    ]
    for line in lines:
        if line["price"] == "":
            del line["price"]
    return {
        "carrier": post.get("carrier"),
        "years": post.get("years"),
        "monthly_rent": post.get("monthly_rent"),
        "other_costs": post.get("other_costs"),
        "note": post.get("note", ""),
        "lines": lines,
    }


def _later(line: dict) -> list[dict]:
    yearly = line.get("yearly") or []
    # A bad entry sent back to the form may still hold the raw list.
    if isinstance(line.get("quantity"), list):
        yearly = line["quantity"]
    return [{"year": y, "quantity": yearly[y - 1] if len(yearly) >= y else {}} for y in LATER_YEARS]


def _form_lines(platform, entry: dict) -> list[dict]:
    specs = services._specs(platform)
    return [
        {
            **line,
            "quantity": line["quantity"][0]
            if isinstance(line.get("quantity"), list) and line["quantity"]
            else line.get("quantity"),
            "later": _later(line),
            "label": specs[line["key"]].name(language()) if line["key"] in specs else line["key"],
            "unit": specs[line["key"]].unit if line["key"] in specs else "",
            "market": bool(line["key"] in specs and specs[line["key"]].market),
        }
        for line in entry["lines"]
    ]


@page
def new_forecast(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    error = None
    if request.method == "POST":
        entry = _entry_from_post(request.POST)
        try:
            version = services.save_forecast(platform, request.user, entry, language())
        except TribuError as exc:
            error = str(exc)
        else:
            return redirect("forecast-version", slug=platform.slug, number=version.number)
    else:
        last = _versions(platform).first()
        carrier = request.GET.get("carrier")
        if last is not None and not carrier:
            entry = last.entry
        else:
            try:
                entry = services.template_entry(platform, carrier, language())
            except TribuError as exc:
                error = str(exc)
                entry = services.template_entry(platform, None, language())
    status = 400 if error else 200
    return render(
        request,
        "forecasts/forecast_form.html",
        platform_context(
            request,
            platform,
            entry=entry,
            lines=_form_lines(platform, entry),
            error=error,
            carriers=[(c.value, c.label) for c in CarrierProfile if c.value in TEMPLATES],
            stakeholders=STAKEHOLDERS.items(),
            years=range(1, services.MAX_YEARS + 1),
        ),
        status=status,
    )


@page
def forecast_actual(request, slug: str, number: int):
    platform, _actor, _role = access_member(request.user, slug)
    version = services.version_of(platform, number)
    data = versus_actual(version, language=language())
    return render(
        request,
        "forecasts/actual.html",
        platform_context(request, platform, version=version, data=data, cur=platform.currency),
    )
