"""Residency time balances: days of contribution owed under each agreement, and given.

Owed accrues by whole months completed since the agreement started (a resident owes
nothing in the first month until it is over); given is read from the ledger: the `work`
events the resident recorded for the host or the place during the agreement, confirmed and not
corrected — those still waiting for confirmation are shown apart as pending.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from tribu.ledger.models import EconomicEvent, Status
from tribu.platforms.models import Platform

from .models import ResidencyAgreement
from .services import CONTRIBUTION_SPECS, HOURS_PER_DAY, add_months


def months_completed(start: date, until: date) -> int:
    months = (until.year - start.year) * 12 + until.month - start.month
    while months > 0 and add_months(start, months) > until:
        months -= 1
    return max(months, 0)


def _contributed_days(agreement: ResidencyAgreement) -> tuple[Decimal, Decimal]:
    """(confirmed days, pending days) of work the resident gave the place."""
    events = EconomicEvent.objects.filter(
        platform_id=agreement.platform_id,
        action="work",
        provider_id=agreement.resident_id,
        receiver_id__in=[agreement.platform.place_id, agreement.platform.host_id],
        resource_conforms_to__slug__in=CONTRIBUTION_SPECS,
        occurred_on__gte=agreement.start,
        occurred_on__lt=agreement.end,
        state__corrected=False,
    ).select_related("resource_conforms_to", "state")
    given = pending = Decimal(0)
    for event in events:
        days = event.resource_quantity
        if event.resource_conforms_to.unit == "hour":
            days = days / HOURS_PER_DAY
        if event.state.status == Status.CONFIRMED:
            given += days
        elif event.state.status == Status.PROPOSED:
            pending += days
    return given, pending


def agreement_balance(agreement: ResidencyAgreement, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    until = min(today, agreement.end)
    months = months_completed(agreement.start, until) if until > agreement.start else 0
    owed = agreement.days_owed_per_month * months
    given, pending = _contributed_days(agreement)
    total_months = months_completed(agreement.start, agreement.end)
    return {
        "agreement_id": agreement.pk,
        "resident": agreement.resident.slug,
        "resident_name": agreement.resident.name,
        "start": agreement.start,
        "end": agreement.end,
        "active": agreement.start <= today < agreement.end,
        "days_owed_per_month": agreement.days_owed_per_month,
        "months_completed": months,
        "owed": owed,
        "owed_whole_term": agreement.days_owed_per_month * total_months,
        "given": given.quantize(Decimal("0.01")),
        "pending": pending.quantize(Decimal("0.01")),
        "balance": (given - owed).quantize(Decimal("0.01")),
    }


def time_balances(platform: Platform, today: date | None = None) -> list[dict]:
    """One dict per residency agreement of `platform` (residents by name, then start date).

    Keys: agreement_id, resident (slug), resident_name, start, end, active (bool),
    days_owed_per_month, months_completed, owed (days owed to date), owed_whole_term,
    given (confirmed days), pending (days awaiting confirmation), balance (given − owed;
    negative means the resident is behind). Quantities are Decimal days.
    """
    agreements = ResidencyAgreement.objects.filter(platform=platform).select_related(
        "resident", "platform"
    )
    return [agreement_balance(a, today) for a in agreements]
