"""Forecasts through the API: the carrier's template, versions (read by members,
written by stewards), one version evaluated, and forecast against actual."""

from typing import Any

from django.utils.translation import get_language
from ninja import Body, Query, Router, Schema, Status

from tribu.api.auth import TOKEN
from tribu.api.schemas import ERRORS, ErrorOut, Field
from tribu.platforms.access import STEWARDS, access_member

from . import services
from .actual import versus_actual
from .models import ForecastVersion

router = Router(tags=["forecasts"], auth=TOKEN)
PLATFORM = "/platforms/{slug}/forecasts"
MAX_DRAWS = 100_000


class TemplateQuery(Schema):
    carrier: str | None = Field(None, description="Kind of carrier; the platform's own by default.")


class EvaluationQuery(Schema):
    draws: int | None = Field(None, ge=1, le=MAX_DRAWS, description="Monte Carlo draws.")
    seed: int | None = Field(None, ge=0, le=2**63 - 1)


def _language() -> str:
    return (get_language() or "fr")[:2]


@router.get(
    PLATFORM + "/template",
    response={200: dict[str, Any], ERRORS: ErrorOut},
    summary="A forecast entry from the carrier's template (members)",
)
def template(request, slug: str, q: Query[TemplateQuery]):
    platform, _actor, _role = access_member(request.auth, slug)
    return services.template_entry(platform, q.carrier, _language())


@router.get(
    PLATFORM,
    response={200: list[dict[str, Any]], ERRORS: ErrorOut},
    summary="The forecast's versions, newest first (members)",
)
def versions(request, slug: str):
    platform, _actor, _role = access_member(request.auth, slug)
    return [
        {
            "number": v.number,
            "created_at": v.created_at.isoformat(),
            "note": v.note,
            "entry": v.entry,
        }
        for v in ForecastVersion.objects.filter(platform=platform).order_by("-number")
    ]


@router.post(
    PLATFORM,
    response={201: dict[str, Any], ERRORS: ErrorOut},
    summary="Save a new forecast version (stewards); nothing is overwritten",
    description=(
        "A line's `quantity` is {low, central, high} per year, the same every year, or a "
        "list of them, one per year of the forecast (year 1 first). 400 when the entry "
        "is wrong (the message names the field), 403 for a member who is not a steward, "
        "404 for an unknown platform."
    ),
)
def create(request, slug: str, entry: Body[dict[str, Any]]):
    platform, _actor, _role = access_member(request.auth, slug, STEWARDS)
    version = services.save_forecast(platform, request.auth, entry, _language())
    return Status(201, {"number": version.number, "entry": version.entry})


@router.get(
    PLATFORM + "/{number}",
    response={200: dict[str, Any], ERRORS: ErrorOut},
    summary="One version evaluated: central, envelope, Monte Carlo, tornado, break-even",
)
def evaluation(request, slug: str, number: int, q: Query[EvaluationQuery]):
    platform, _actor, _role = access_member(request.auth, slug)
    version = services.version_of(platform, number)
    return services.evaluate_version(version, q.draws, q.seed, _language())


@router.get(
    PLATFORM + "/{number}/actual",
    response={200: dict[str, Any], ERRORS: ErrorOut},
    summary="Forecast against actual, per line and per quarter",
)
def actual(request, slug: str, number: int):
    platform, _actor, _role = access_member(request.auth, slug)
    return versus_actual(services.version_of(platform, number), language=_language())
