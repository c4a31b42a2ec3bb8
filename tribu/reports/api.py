"""Reports: an agent's extended balance sheet (members), and the evaluation of an
impact-map file (any token holder; it reads no platform data)."""

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema

from tribu.api.access import agent_in
from tribu.api.auth import TOKEN
from tribu.api.impact_schema import ImpactMapIn
from tribu.api.schemas import ERRORS, Day, ErrorOut, Field, Slug
from tribu.api.throttle import spend_call
from tribu.core.errors import NotFound, TribuError
from tribu.platforms.access import access_member
from tribu.platforms.models import TrialArea
from tribu.valuation import evaluate, parse_impact_map
from tribu.valuation.model import RANGED

from . import exports
from .balance import agent_balance, parse_period

router = Router(tags=["reports"], auth=TOKEN)

# An on-line request must stay cheap: sensitivity analysis costs about
# outcomes² × years, Monte Carlo draws × outcomes × years.
MAX_DRAWS = 100_000
MAX_OUTCOMES = 50
MAX_INPUTS = 200
MAX_YEARS = 50
MAX_SEED = 2**63 - 1
# The work of one call, bounded as a whole (each ~1 s of CPU at most on a 2020s core):
# Monte Carlo draws × years of outcomes, and the sensitivity analysis's uncertain
# assumptions × (years of outcomes + inputs), each assumption costing some forty
# evaluations of the whole map. Larger maps are for `tribu sroi`, on one's own machine.
MAX_DRAWN_YEARS = 50_000_000
MAX_SENSITIVITY = 150_000


class BalanceQuery(Schema):
    agent: Slug | None = Field(None, description="Agent slug; the host by default.")
    start: Day | None = Field(None, alias="from", description="First day; 12 months ago.")
    end: Day | None = Field(None, alias="to", description="Day after the last one.")
    draws: int | None = Field(None, ge=1, le=MAX_DRAWS, description="Monte Carlo draws.")
    seed: int | None = Field(None, ge=0, le=MAX_SEED)


class SimulationQuery(Schema):
    draws: int | None = Field(None, ge=1, le=MAX_DRAWS, description="Overrides the file.")
    seed: int | None = Field(None, ge=0, le=MAX_SEED, description="Overrides the file.")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@router.get(
    "/platforms/{slug}/reports/balance",
    response={200: dict[str, Any], ERRORS: ErrorOut},
    summary="Extended balance sheet of an agent (members; the host by default)",
)
def balance(request, slug: Slug, q: Query[BalanceQuery]):
    platform, _actor, _role = access_member(request.auth, slug, area=TrialArea.BALANCES)
    agent = agent_in(platform, q.agent, "agent") if q.agent else platform.host
    if agent is None:
        raise NotFound(_("this platform has no host: name an agent"))
    period = parse_period(_iso(q.start), _iso(q.end))
    return agent_balance(
        platform, agent, period, language=get_language() or "fr", draws=q.draws, seed=q.seed
    )


CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "The balance sheet as CSV, one row per figure",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/platforms/{slug}/reports/balance.csv",
    response={ERRORS: ErrorOut},
    summary="The same balance sheet as CSV (members), as the web page and `tribu report` give it",
    openapi_extra=CSV_RESPONSE,
)
def balance_csv(request, slug: Slug, q: Query[BalanceQuery]):
    sheet = balance(request, slug, q)
    response = HttpResponse(exports.balance_csv(sheet), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.balance_csv_name(sheet)}"'
    return response


@router.get(
    "/platforms/{slug}/reports/balance.xlsx",
    response={200: None, ERRORS: ErrorOut},
    summary="The same balance sheet as an XLSX workbook (members)",
)
def balance_workbook(request, slug: Slug, q: Query[BalanceQuery]):
    from django.http import HttpResponse

    from tribu.reports.xlsx import balance_xlsx, catalogue_assumptions

    sheet = balance(request, slug, q)
    platform = access_member(request.auth, slug)[0]
    book = balance_xlsx(sheet, catalogue_assumptions(platform, get_language() or "fr"))
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return HttpResponse(book, content_type=kind)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def check_limits(imap, draws: int | None) -> None:
    """Refuse, before any computation, a map whose evaluation would tie up a worker: each
    dimension within its limit, then the work they make together."""
    draws = draws or imap.draws
    longest = max((o.duration_years for o in imap.outcomes), default=1)
    limits = [
        ("simulation.draws", draws, MAX_DRAWS),
        ("outcomes", len(imap.outcomes), MAX_OUTCOMES),
        ("inputs", len(imap.inputs), MAX_INPUTS),
        ("outcomes[].duration_years", longest, MAX_YEARS),
    ]
    for where, value, limit in limits:
        if value > limit:
            raise TribuError(
                _("%(where)s: %(value)s is above this API's limit of %(limit)s")
                % {"where": where, "value": value, "limit": limit}
            )
    years = sum(o.duration_years for o in imap.outcomes)
    if draws * years > MAX_DRAWN_YEARS:
        raise _too_many_draws(draws, years)
    ranged = sum(
        not getattr(o, name).is_exact for o in imap.outcomes if o.headline for name in RANGED
    )
    if ranged * (years + len(imap.inputs)) > MAX_SENSITIVITY:
        raise _too_uncertain(ranged, years, len(imap.inputs))


def _too_many_draws(draws: int, years: int) -> TribuError:
    return TribuError(
        _(
            "this map is too large to evaluate here: %(draws)s draws × %(years)s years "
            "of outcomes make %(work)s, above this API's limit of %(limit)s per call. "
            "Ask for fewer draws, or evaluate it with tribu sroi on your own machine."
        )
        % {
            "draws": _n(draws),
            "years": _n(years),
            "work": _n(draws * years),
            "limit": _n(MAX_DRAWN_YEARS),
        }
    )


def _too_uncertain(ranged: int, years: int, inputs: int) -> TribuError:
    return TribuError(
        _(
            "this map is too large to evaluate here: its %(ranged)s uncertain assumptions "
            "× (%(years)s years of outcomes + %(inputs)s inputs) make %(work)s steps of "
            "sensitivity analysis, above this API's limit of %(limit)s per call. Give "
            "fewer assumptions as ranges, or evaluate it with tribu sroi on your own "
            "machine."
        )
        % {
            "ranged": _n(ranged),
            "years": _n(years),
            "inputs": _n(inputs),
            "work": _n(ranged * (years + inputs)),
            "limit": _n(MAX_SENSITIVITY),
        }
    )


@router.post(
    "/reports/impact-map",
    response={200: dict[str, Any], ERRORS | {429}: ErrorOut},
    summary="Evaluate an impact map (SROI, Monte Carlo, sensitivity)",
    description=(
        f"Bounded per call: draws × years of outcomes at most {MAX_DRAWN_YEARS:,}, and "
        f"uncertain assumptions × (years of outcomes + inputs) at most {MAX_SENSITIVITY:,} "
        "(400 beyond). At most TRIBU_IMPACT_MAP_PER_MINUTE calls a minute per token "
        "(10 by default; 429 with Retry-After beyond)."
    ),
)
def impact_map(request, q: Query[SimulationQuery], payload: Body[ImpactMapIn]):
    spend_call("impact-map", request.api_token, settings.TRIBU_IMPACT_MAP_PER_MINUTE)
    imap = parse_impact_map(payload.as_file())
    check_limits(imap, q.draws)
    try:
        return finite(evaluate(imap, q.draws, q.seed))
    except ArithmeticError as exc:  # decimal overflow on absurdly large figures
        raise too_large() from exc


def too_large() -> TribuError:
    return TribuError(_("the figures are too large to evaluate: express them in larger units"))


def finite(result: dict) -> dict:
    """Floats overflow to infinity long before Decimals do; JSON has no infinity."""
    try:
        json.dumps(result, allow_nan=False, default=str)
    except ValueError as exc:
        raise too_large() from exc
    return result
