"""The indicator set `tribu-indicators/1` of one platform and one year (docs/observatory.md).

Everything here reads aggregates (COUNT, SUM, GROUP BY, the monthly projection through
the balance sheet service): never a loop over events or people. Nothing personal leaves:
no names of people, no notes, no amount per person — counts and platform totals only.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tribu.ledger.catalogue import current_values
from tribu.ledger.models import EconomicEvent, EventState, Status
from tribu.platforms.access import OCCUPANT_ROLES
from tribu.platforms.models import MembershipChange, Platform, Role
from tribu.reports.aggregates import Period
from tribu.reports.balance import agent_balance, default_period
from tribu.spaces.models import Gathering, GatheringKind, Registration, RegistrationStatus

SCHEMA = "tribu-indicators/1"
WITHDRAWAL_SCHEMA = "tribu-withdrawal/1"
VOLUNTEER_SPEC = "volunteer-hour"
MIN_PEOPLE = 3  # frequency rule: below this, a total about people would describe someone
MAX_SHARE = Decimal("0.85")  # dominance rule: no one person above 85 % of a published total
# Why a figure was withheld (the document's `quality.withheld`), as the observatory page's rules.
# A complement is withheld because, with the totals, it would give away a withheld figure.
FREQUENCY, DOMINANCE, COMPLEMENT = "frequency", "dominance", "complement"
REASONS = (FREQUENCY, DOMINANCE, COMPLEMENT)
ROLES = [role.value for role in Role]

# Every field of the document: (section, name, type, meaning, Commune Mesure's name).
# Types: int, number, ratio (a finite number ≥ 0), share (0…1), text, date, counts
# (a map of names to counts), amounts (a map of names to money). A None value means
# "not recorded". The Commune Mesure names are those of its places/schema.json.
FIELDS = [
    ("place", "cause_category", "text", _("The Cause's category, from a short common list."), None),
    (
        "place",
        "carrier_profile",
        "text",
        _("Who carries the place (company host, association, community lab…)."),
        None,
    ),
    (
        "place",
        "surface_m2",
        "int",
        _("Total surface of the place, in square metres."),
        "blocs.presentation.donnees.surface",
    ),
    ("place", "capacity", "int", _("How many people the place can hold at once."), None),
    (
        "place",
        "opening_date",
        "date",
        _("The day the place opened."),
        "blocs.presentation.donnees.date_ouverture",
    ),
    ("place", "region_code", "text", _("INSEE code of the region."), None),
    ("place", "commune_code", "text", _("INSEE code of the commune."), "address.city"),
    (
        "activity",
        "members_by_role",
        "counts",
        _("Members at the end of the year (today, for a year not over), by role."),
        None,
    ),
    (
        "activity",
        "occupants",
        "int",
        _(
            "Hosts, facilitators and residents at the end of the period: "
            "the people who work in the place."
        ),
        "blocs.presentation.donnees.nombre_occupants",
    ),
    ("activity", "newcomers", "int", _("People who joined during the period."), None),
    (
        "activity",
        "flows_recorded",
        "int",
        _("Flows of value recorded in the ledger during the period."),
        None,
    ),
    (
        "activity",
        "flows_confirmed_share",
        "share",
        _("Share of those flows their counterparty confirmed."),
        None,
    ),
    (
        "activity",
        "public_gatherings",
        "int",
        _("Public gatherings held (talks, workshops, apéros…)."),
        "evenements.publics.nombre",
    ),
    (
        "activity",
        "public_attendance",
        "int",
        _("Registrations to public gatherings."),
        "evenements.publics.personnes accueillies",
    ),
    (
        "activity",
        "private_gatherings",
        "int",
        _("Private gatherings held."),
        "evenements.prives.nombre",
    ),
    (
        "activity",
        "private_attendance",
        "int",
        _("Registrations to private gatherings."),
        "evenements.prives.personnes accueillies",
    ),
    (
        "activity",
        "learning_expeditions",
        "int",
        _("Learning expeditions held (visits by outside organisations)."),
        None,
    ),
    (
        "activity",
        "volunteers",
        "int",
        _("Distinct people who gave volunteer hours."),
        "blocs.moyens.donnees.benevoles",
    ),
    (
        "activity",
        "volunteer_hours",
        "number",
        _(
            "Confirmed volunteer hours (not given when fewer than 3 people gave them, "
            "or one gave more than 85 % of them)."
        ),
        None,
    ),
    ("economics", "currency", "text", _("Currency of every amount."), None),
    (
        "economics",
        "market_revenue",
        "number",
        _("Market revenue of the host in the period (money received)."),
        "blocs.moyens.donnees.fonctionnement.Recettes",
    ),
    (
        "economics",
        "market_costs",
        "number",
        _("Market costs of the host in the period (rent and other money paid)."),
        None,
    ),
    (
        "economics",
        "non_market_value",
        "amounts",
        _("Central value of the non-market benefits the host received, by kind."),
        None,
    ),
    (
        "economics",
        "extended_benefits",
        "number",
        _("Market revenue plus valued non-market benefits, at central values."),
        None,
    ),
    (
        "economics",
        "extended_costs",
        "number",
        _("Market costs plus costs in kind, at central values."),
        None,
    ),
    (
        "economics",
        "ratio",
        "ratio",
        _("Extended ratio: extended benefits ÷ extended costs, central values."),
        None,
    ),
    (
        "economics",
        "ratio_p5",
        "ratio",
        _("5th percentile of the ratio over the Monte Carlo draws."),
        None,
    ),
    ("economics", "ratio_p50", "ratio", _("Median of the ratio over the Monte Carlo draws."), None),
    (
        "economics",
        "ratio_p95",
        "ratio",
        _("95th percentile of the ratio over the Monte Carlo draws."),
        None,
    ),
    (
        "economics",
        "p_ratio_above_1",
        "share",
        _("Probability that the ratio exceeds 1 (share of draws)."),
        None,
    ),
    ("economics", "draws", "int", _("Number of Monte Carlo draws."), None),
    ("economics", "catalogue_version", "int", _("Version of the price catalogue used."), None),
    ("quality", "events_confirmed", "int", _("Events recorded in the period and confirmed."), None),
    (
        "quality",
        "events_declared_only",
        "int",
        _("Events recorded in the period and still only declared (proposed)."),
        None,
    ),
    ("quality", "events_disputed", "int", _("Events recorded in the period and disputed."), None),
    (
        "quality",
        "events_per_line",
        "counts",
        _("Number of counted events behind each kind of value."),
        None,
    ),
    (
        "quality",
        "withheld",
        "reasons",
        _(
            "Figures left empty so that no one's own amount leaves, each with why: fewer "
            "than 3 people gave it (frequency), one gave more than 85 % of it (dominance), or "
            "with the totals it would reveal another withheld figure (complement)."
        ),
        None,
    ),
]
# Fields a document from an older instance may lack; checked when present.
OPTIONAL_FIELDS = {("quality", "withheld")}

SECTIONS = ("place", "activity", "economics", "quality")


def year_period(year: int, today: date | None = None) -> Period:
    """The calendar year, cut at the end of the last whole month when it is not over."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return Period(start, min(end, default_period(today).end))


def place_block(platform: Platform) -> dict:
    return {
        "cause_category": platform.cause_category,
        "carrier_profile": platform.carrier_profile,
        "surface_m2": platform.surface_m2,
        "capacity": platform.capacity,
        "opening_date": platform.opening_date.isoformat() if platform.opening_date else None,
        "region_code": platform.region_code,
        "commune_code": platform.commune_code,
    }


def members_by_role(platform: Platform, end: date) -> dict[str, int]:
    """Roles as of `end`, from the role history: each membership's newest change before it."""
    newest = (
        MembershipChange.objects.filter(platform=platform, at__date__lt=end)
        .values("membership_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    rows = (
        MembershipChange.objects.filter(id__in=newest)
        .values("role")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(ROLES, 0)
    counts.update({row["role"]: row["n"] for row in rows})
    return counts


def gatherings_block(platform: Platform, period: Period) -> dict:
    held = Gathering.objects.filter(
        platform=platform,
        cancelled=False,
        booking__start__date__gte=period.start,
        booking__start__date__lt=period.end,
    )
    counts = held.aggregate(
        public=Count("id", filter=Q(is_public=True)),
        private=Count("id", filter=Q(is_public=False)),
        expeditions=Count("id", filter=Q(kind=GatheringKind.LEARNING_EXPEDITION)),
    )
    attendance = (
        Registration.objects.filter(gathering__in=held, status=RegistrationStatus.REGISTERED)
        .values("gathering__is_public")
        .annotate(n=Count("id"))
        .order_by()
    )
    people = {row["gathering__is_public"]: row["n"] for row in attendance}
    return {
        "public_gatherings": counts["public"],
        "public_attendance": people.get(True, 0),
        "private_gatherings": counts["private"],
        "private_attendance": people.get(False, 0),
        "learning_expeditions": counts["expeditions"],
    }


def _events(platform: Platform, period: Period):
    return EconomicEvent.objects.filter(
        platform=platform, occurred_on__gte=period.start, occurred_on__lt=period.end
    )


def status_counts(platform: Platform, period: Period) -> dict[str, int]:
    rows = (
        EventState.objects.filter(
            platform=platform,
            event__occurred_on__gte=period.start,
            event__occurred_on__lt=period.end,
            corrected=False,
        )
        .values("status")
        .annotate(n=Count("event_id"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in Status.values}


def secrecy(amounts: list[Decimal]) -> str | None:
    """Why a total of what distinct people gave must not leave (None: it may).

    One or two givers, and the total is someone's own amount (frequency); one giver above
    85 %, and the total minus a little is theirs (dominance)."""
    given = [amount for amount in amounts if amount and amount > 0]
    if not given:
        return None
    if len(given) < MIN_PEOPLE:
        return FREQUENCY
    if max(given) > MAX_SHARE * sum(given):
        return DOMINANCE
    return None


def volunteering(platform: Platform, period: Period, withheld: dict) -> dict:
    rows = (
        _events(platform, period)
        .filter(state__counted=True, resource_conforms_to__slug=VOLUNTEER_SPEC)
        .values("provider_id")
        .annotate(hours=Sum("resource_quantity"))
        .order_by()
    )
    hours = [row["hours"] or Decimal(0) for row in rows]
    reason = secrecy(hours)
    if reason:
        withheld["activity.volunteer_hours"] = reason
    total = None if reason else _num(sum(hours, Decimal(0)))
    return {"volunteers": len(hours), "volunteer_hours": total}


def given_by_kind(platform: Platform, period: Period, receiver_id: int) -> dict:
    """What each provider gave `receiver`, per kind: one GROUP BY over the counted events by
    kind and provider. The amount is what the line values — the declared amounts where the
    catalogue gives no price, else quantities — so a provider's share of it is its share of
    the line's value, every adjustment being a common factor."""
    declared = {pk for pk, row in current_values(platform.pk).items() if row.proxy_central is None}
    rows = (
        _events(platform, period)
        .filter(state__counted=True, receiver_id=receiver_id)
        .values("resource_conforms_to_id", "resource_conforms_to__slug", "provider_id")
        .annotate(q=Sum("resource_quantity"), d=Sum("declared_value"))
        .order_by()
    )
    given: dict[str, dict[int, Decimal]] = {}
    for row in rows:
        measure = "d" if row["resource_conforms_to_id"] in declared else "q"
        kind = given.setdefault(row["resource_conforms_to__slug"], {})
        kind[row["provider_id"]] = row[measure] or Decimal(0)
    return given


def _value_by_provider(given: dict, central: dict, kinds) -> list[Decimal]:
    """Each provider's share of the value of `kinds` taken together."""
    value: dict[int, Decimal] = {}
    for kind in kinds:
        amounts = given.get(kind, {})
        total = sum(amounts.values(), Decimal(0))
        for provider, amount in amounts.items() if total else ():
            value[provider] = value.get(provider, Decimal(0)) + amount / total * central[kind]
    return list(value.values())


def complements(given: dict, central: dict, reasons: dict) -> dict[str, str]:
    """Withheld kinds, together, are the host's benefits less the published kinds: their sum
    must pass the rules too, else the smallest published kind is withheld with them."""
    hidden, extra = set(reasons), {}
    published = sorted((k for k in central if k not in hidden), key=lambda k: central[k])
    while hidden and published and secrecy(_value_by_provider(given, central, hidden)):
        kind = published.pop(0)
        hidden.add(kind)
        extra[kind] = COMPLEMENT
    return extra


def events_per_line(platform: Platform, period: Period) -> dict[str, int]:
    rows = (
        _events(platform, period)
        .filter(state__counted=True)
        .values("resource_conforms_to__slug")
        .annotate(n=Count("id"))
        .order_by("resource_conforms_to__slug")
    )
    return {row["resource_conforms_to__slug"]: row["n"] for row in rows}


def roles_day(period: Period) -> date:
    """Roles are read at the end of a year that is over; for the current year, today
    (its figures stop at the last whole month, but its members are who they are now)."""
    if period.end.month == 1 and period.end.day == 1:
        return period.end
    return timezone.localdate() + timedelta(days=1)


def activity_block(
    platform: Platform, period: Period, statuses: dict[str, int], withheld: dict
) -> dict:
    day = roles_day(period)
    roles = members_by_role(platform, day)
    joined = MembershipChange.objects.filter(
        platform=platform,
        previous_role="",
        at__date__gte=period.start,
        at__date__lt=day,
    ).count()
    recorded = sum(statuses.values())
    confirmed = statuses[Status.CONFIRMED]
    return {
        "members_by_role": roles,
        "occupants": sum(roles[role] for role in OCCUPANT_ROLES),
        "newcomers": joined,
        "flows_recorded": recorded,
        "flows_confirmed_share": round(confirmed / recorded, 4) if recorded else None,
        **gatherings_block(platform, period),
        **volunteering(platform, period, withheld),
    }


def _num(value) -> float:
    """Money and quantities as JSON numbers, to the cent: the canonical form signs them."""
    return float(Decimal(value).quantize(Decimal("0.01")))


def _stat(block: dict | None, name: str) -> float | None:
    return round(block[name], 4) if block and block.get(name) is not None else None


def non_market_value(platform: Platform, period: Period, lines: list, withheld: dict) -> dict:
    """The host's non-market benefits by kind; a kind one or two members (or one dominant
    member) stand behind is left empty, and `withheld` says why."""
    given = given_by_kind(platform, period, platform.host_id)
    central = {line["key"]: Decimal(str(line["value"]["central"])) for line in lines}
    reasons = {k: r for k in central if (r := secrecy(list(given.get(k, {}).values())))}
    reasons |= complements(given, central, reasons)
    for kind, reason in reasons.items():
        withheld[f"economics.non_market_value.{kind}"] = reason
    if secrecy(_value_by_provider(given, central, central)):
        withheld.update(dict.fromkeys(TOTAL_FIELDS, COMPLEMENT))
    return {kind: None if kind in reasons else _num(value) for kind, value in central.items()}


# Extended benefits less market revenue is the whole non-market total; with the costs,
# the ratio and its percentiles give it back too: all go when that total fails the rules.
TOTAL_FIELDS = [
    f"economics.{name}"
    for name in ("extended_benefits", "ratio", "ratio_p5", "ratio_p50", "ratio_p95")
] + ["economics.p_ratio_above_1"]


def _hide_totals(block: dict, withheld: dict) -> dict:
    return {
        name: None if f"economics.{name}" in withheld else value for name, value in block.items()
    }


def economics_block(platform: Platform, period: Period, draws: int, withheld: dict) -> dict:
    """The host's extended balance sheet over the period, from the reports service."""
    if platform.host is None:
        return {"currency": platform.currency} | dict.fromkeys(
            [name for section, name, *_ in FIELDS if section == "economics"][1:]
        )
    sheet = agent_balance(platform, platform.host, period, draws=draws)
    market = sheet["tiers"]["market"]
    lines = sheet["tiers"]["non_market"]["benefits"]["lines"]
    interval = sheet["monte_carlo"]["ratio"]
    ratio = sheet["extended"]["ratio"]
    values = non_market_value(platform, period, lines, withheld)
    block = {
        "currency": platform.currency,
        "market_revenue": _num(market["revenue"]),
        "market_costs": _num(market["costs"]),
        "non_market_value": values,
        "extended_benefits": _num(sheet["extended"]["benefits"]),
        "extended_costs": _num(sheet["extended"]["costs"]),
        "ratio": round(ratio, 4) if ratio is not None else None,
        "ratio_p5": _stat(interval, "p5"),
        "ratio_p50": _stat(interval, "p50"),
        "ratio_p95": _stat(interval, "p95"),
        "p_ratio_above_1": _stat(sheet["monte_carlo"], "p_ratio_above_1"),
        "draws": sheet["monte_carlo"]["draws"],
        "catalogue_version": sheet["context"]["catalogue_version"],
    }
    return _hide_totals(block, withheld)


def quality_block(
    platform: Platform, period: Period, statuses: dict[str, int], withheld: dict
) -> dict:
    return {
        "events_confirmed": statuses[Status.CONFIRMED],
        "events_declared_only": statuses[Status.PROPOSED],
        "events_disputed": statuses[Status.DISPUTED],
        "events_per_line": events_per_line(platform, period),
        "withheld": dict(sorted(withheld.items())),
    }


def indicators(platform: Platform, year: int, draws: int = 2000) -> dict:
    """The document's sections for `platform` in `year` (without identity or signature)."""
    period = year_period(year)
    statuses = status_counts(platform, period)
    withheld: dict[str, str] = {}  # filled by the blocks, read by the quality block
    activity = activity_block(platform, period, statuses, withheld)
    economics = economics_block(platform, period, draws, withheld)
    return {
        "year": year,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "complete_year": period.end == date(year + 1, 1, 1),
        "illustrative": platform.is_demo,
        "place": place_block(platform),
        "activity": activity,
        "economics": economics,
        "quality": quality_block(platform, period, statuses, withheld),
    }


def years_with_events(platform: Platform) -> list[int]:
    """Years in which the platform recorded flows, newest first (what may be published)."""
    days = EconomicEvent.objects.filter(platform=platform).aggregate(
        first=Min("occurred_on"), last=Max("occurred_on")
    )
    if days["first"] is None:
        return []
    last = min(days["last"].year, default_period().end.year)
    return list(range(last, days["first"].year - 1, -1))
