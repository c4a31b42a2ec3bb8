"""Residency terms: a resident's agreement, and the days they contribute in exchange
(`work` events in the ledger). Time balances are `tribu.spaces.residency`."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError
from tribu.ledger.models import EconomicEvent
from tribu.ledger.models import ResourceSpecification as Spec
from tribu.ledger.services import Flow, acts_for, record_event
from tribu.platforms.access import STEWARDS, agent_is_steward, check_member
from tribu.platforms.models import Platform

from ..models import (
    ResidencyAgreement,
)
from .settings import _same_platform, place_of

HOURS_PER_DAY = 7  # a French working day (35 hours a week)
MAX_RESIDENCY_MONTHS = 12
CONTRIBUTION_SPECS = ("contribution-day", "volunteer-hour")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


def create_agreement(
    platform: Platform,
    actor: Agent,
    resident: Agent,
    *,
    start: date,
    end: date,
    days_owed_per_month,
    note: str = "",
) -> ResidencyAgreement:
    """A resident's terms; a facilitator or the host sets them, for at most twelve months."""
    check_member(platform, actor, STEWARDS)
    _same_platform(platform, resident, "resident")
    if end <= start:
        raise TribuError(
            _("the end (%(end)s) must come after the start (%(start)s)")
            % {"end": end, "start": start}
        )
    latest = add_months(start, MAX_RESIDENCY_MONTHS)
    if end > latest:
        raise TribuError(
            _("a residency lasts at most 12 months: end by %(latest)s") % {"latest": latest}
        )
    days = Decimal(str(days_owed_per_month))
    if not Decimal(0) <= days <= Decimal(31):
        raise TribuError(_("days owed per month: between 0 and 31, not %(d)s") % {"d": days})
    overlapping = ResidencyAgreement.objects.filter(
        platform=platform, resident=resident, start__lt=end, end__gt=start
    ).first()
    if overlapping:
        raise Conflict(
            _("%(name)s already has an agreement from %(start)s to %(end)s")
            % {"name": resident.name, "start": overlapping.start, "end": overlapping.end}
        )
    return ResidencyAgreement.objects.create(
        platform=platform,
        resident=resident,
        start=start,
        end=end,
        days_owed_per_month=days,
        note=note,
    )


def contribution_spec(platform: Platform) -> Spec:
    specs = {s.slug: s for s in Spec.objects.filter(platform=platform, slug__in=CONTRIBUTION_SPECS)}
    for slug in CONTRIBUTION_SPECS:
        if slug in specs:
            return specs[slug]
    raise NotFound(_("the catalogue has no “contribution-day” nor “volunteer-hour”"))


def log_contribution(
    platform: Platform, actor: Agent, resident: Agent, *, day: date, days, note: str = ""
) -> EconomicEvent:
    """Days a resident gave in exchange for the residency: a `work` event to the host that
    carries the place (the place itself when there is none), proposed until someone who
    acts for it confirms."""
    _same_platform(platform, resident, "resident")
    if not (acts_for(actor, resident) or agent_is_steward(actor)):
        raise PermissionDenied(
            _("“%(actor)s” may not log contributions for %(name)s")
            % {"actor": actor.slug, "name": resident.name}
        )
    agreement = ResidencyAgreement.objects.filter(
        platform=platform, resident=resident, start__lte=day, end__gt=day
    ).first()
    if agreement is None:
        raise TribuError(
            _("%(name)s has no residency agreement on %(day)s")
            % {"name": resident.name, "day": day}
        )
    days = Decimal(str(days))
    if days <= 0:
        raise TribuError(_("days: must be above zero"))
    spec = contribution_spec(platform)
    quantity = days * HOURS_PER_DAY if spec.unit == "hour" else days
    event, _created = record_event(
        platform,
        actor,
        Flow(
            action="work",
            provider=resident,
            receiver=platform.host or place_of(platform),
            specification=spec,
            quantity=quantity,
            occurred=day,
            effort_quantity=days * HOURS_PER_DAY,
            note=note,
            source=f"residency:{agreement.pk}",
        ),
    )
    return event
