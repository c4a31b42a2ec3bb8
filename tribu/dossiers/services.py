"""Funding dossiers, one kind per carrier: everything a sponsor, an investor or a
foundation needs to say yes, gathered from the balance sheet, the forecast and the
ledger; every figure is the one the pages and the API show.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import TribuError
from tribu.forecasts.actual import versus_actual
from tribu.forecasts.models import ForecastVersion
from tribu.forecasts.services import evaluate_version
from tribu.platforms.access import STEWARDS
from tribu.platforms.models import Membership, Platform
from tribu.reports.balance import agent_balance, agent_balance_and_draws, default_period
from tribu.reports.flowmap import flow_map
from tribu.reports.xlsx import catalogue_assumptions

from .receipt import gifts
from .sponsorship import sponsorship

KINDS = ("sponsor", "investor", "foundation")
SPONSOR_STAKEHOLDERS = {"sponsor", "host"}
ZERO = Decimal(0)


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise TribuError(
            _("unknown kind of dossier “%(kind)s”: choose sponsor, investor or foundation")
            % {"kind": kind}
        )
    return kind


def _team(platform: Platform) -> list[str]:
    members = Membership.objects.filter(platform=platform, role__in=STEWARDS)
    return [m.agent.name for m in members.select_related("agent").order_by("agent__name")]


def _forecast(platform: Platform, language: str) -> dict | None:
    version = ForecastVersion.objects.filter(platform=platform).last()
    if version is None:
        return None
    return {"version": version, "result": evaluate_version(version, language=language)}


def _sponsor(platform, sheet, forecast, gift, turnover) -> dict:
    receives = []
    if forecast:
        receives = [
            line
            for line in forecast["result"]["lines"]
            if line["stakeholder_key"] in SPONSOR_STAKEHOLDERS
        ]
    tax = sponsorship(gift, turnover) if gift not in (None, "") else None
    return {"receives": receives, "tax": tax, "cvn": sheet["cvn"]}


def receipts(platform: Platform, period, language: str) -> list[dict]:
    """Gifts recorded from companies to the carrier, with what a company's receipt
    (form 2041-MEC-SD, Cerfa 16216) needs: who gave, when, how much, in which form."""
    events = gifts(platform).filter(occurred_on__gte=period.start, occurred_on__lt=period.end)
    rows = []
    for event in events.order_by("occurred_on", "pk"):
        amount = event.money_amount or event.declared_value
        if not amount:
            continue
        rows.append(
            {
                "donor": event.provider.name,
                "date": event.occurred_on.isoformat(),
                "amount": f"{amount:.2f}",
                "form": _("in cash") if event.money_amount else _("in kind"),
                "nature": event.resource_conforms_to.name(language),
                "event": event.pk,
            }
        )
    return rows


def _review(forecast) -> list[dict]:
    """The one-year review: each line's forecast against the ledger over its quarters."""
    if not forecast:
        return []
    data = versus_actual(forecast["version"])
    totals: dict[str, dict] = {}
    for row in data["rows"]:
        line = totals.setdefault(
            row["key"],
            {
                "label": row["label"],
                "forecast": ZERO,
                "actual": ZERO,
                "quantity": ZERO,
                "price": ZERO,
            },
        )
        line["forecast"] += Decimal(row["forecast_value"])
        line["actual"] += Decimal(row["actual_value"])
        line["quantity"] += Decimal(row["quantity_effect"])
        line["price"] += Decimal(row["price_effect"])
    return [
        {
            **line,
            **{k: f"{line[k]:.2f}" for k in ("forecast", "actual", "quantity", "price")},
            "gap": f"{line['actual'] - line['forecast']:.2f}",
        }
        for line in totals.values()
    ]


def carried_platforms(platform: Platform, language: str) -> list[dict]:
    """Every platform carried by the same people (a steward here is a steward there):
    the investor's portfolio view, each host's ratio beside the others."""
    stewards = Membership.objects.filter(
        platform=platform, role__in=STEWARDS, agent__user__isnull=False
    ).values("agent__user")
    others = (
        Platform.objects.filter(
            memberships__role__in=STEWARDS, memberships__agent__user__in=stewards
        )
        .exclude(host=None)
        .distinct()
        .order_by("name")
    )
    rows = []
    for other in others:
        sheet = agent_balance(other, other.host, language=language, draws=2000)
        rows.append(
            {
                "name": other.name,
                "cause": other.cause_title,
                "benefits": sheet["extended"]["benefits"],
                "costs": sheet["extended"]["costs"],
                "ratio": sheet["extended"]["ratio"],
                "p_above_1": sheet["monte_carlo"]["p_ratio_above_1"],
            }
        )
    return rows


def _investor(platform, period, language) -> dict:
    organizations = Agent.objects.filter(platform=platform, kind=AgentKind.ORGANIZATION)
    portfolio = {a.pk for a in organizations}
    data = flow_map(platform, period, language)
    between = [
        {**link, "value": f"{link['value']:.2f}"}
        for link in data["links"]
        if link["source"] in portfolio and link["target"] in portfolio
    ]
    between.sort(key=lambda link: -Decimal(link["value"]))
    return {
        "portfolio": [a.name for a in organizations.order_by("name")],
        "flows": between[:40],
        "platforms": carried_platforms(platform, language),
    }


def dossier(platform: Platform, kind: str, language: str = "fr", gift=None, turnover=None) -> dict:
    """Everything a dossier of ``kind`` shows; tax figures need a gift and a turnover."""
    check_kind(kind)
    if kind == "sponsor" and gift not in (None, "") and turnover in (None, ""):
        sponsorship(gift, turnover)  # says, in words, that the turnover is missing
    host = platform.host
    if host is None:
        raise TribuError(_("this platform has no host yet: a dossier needs its balance sheet"))
    period = default_period()
    sheet, draws = agent_balance_and_draws(platform, host, period, language=language)
    forecast = _forecast(platform, language)
    data = {
        "kind": kind,
        "platform": platform,
        "team": _team(platform),
        "sheet": sheet,
        "draws": draws,
        "forecast": forecast,
        "assumptions": catalogue_assumptions(platform, language),
        "made_on": timezone.localdate().isoformat(),
        "illustrative": platform.is_demo,
    }
    if kind == "sponsor":
        data["sponsor"] = _sponsor(platform, sheet, forecast, gift, turnover)
        data["sponsor"]["receipts"] = receipts(platform, period, language)
    elif kind == "investor":
        data["investor"] = _investor(platform, period, language)
    else:
        data["review"] = _review(forecast)
    return data
