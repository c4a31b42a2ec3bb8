"""`tribu check`: the invariants of the ledger, each recomputed from the raw rows.

The services keep two projections (`EventState`, `LedgerMonth`) in step with the
append-only tables, and enforce who may confirm, which transitions are legal and which
flows carry money. These checks do not trust any of that: each one is a query (a GROUP BY
or an anti-join, never a loop over model instances) over the raw events and status
changes, so a bug in a service, a hand-edited projection or a missing trigger shows up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.guards import registered
from tribu.platforms.access import STEWARDS
from tribu.platforms.models import Membership, MembershipChange, Platform

from .models import EconomicEvent, EventState, EventStatusChange, LedgerMonth, Status

SHOWN = 5  # offending ids quoted in a failure message
# (previous status, new status); "" is "no previous change": the event being recorded.
LEGAL_TRANSITIONS = {
    ("", Status.PROPOSED),
    ("", Status.CONFIRMED),  # system events are confirmed when recorded
    (Status.PROPOSED, Status.CONFIRMED),
    (Status.PROPOSED, Status.DISPUTED),
    (Status.DISPUTED, Status.CONFIRMED),
    (Status.CONFIRMED, Status.DISPUTED),
}
QUANTITY_PLACES = Decimal("0.0001")
MONEY_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""


def _ids(queryset, field: str = "pk") -> list:
    return list(queryset.order_by(field).values_list(field, flat=True)[: SHOWN + 1])


def _quote(ids: list) -> str:
    shown = ", ".join(f"#{i}" for i in ids[:SHOWN])
    return shown + (", …" if len(ids) > SHOWN else "")


def _scoped(queryset, platform: Platform | None):
    return queryset if platform is None else queryset.filter(platform=platform)


# --- recomputations ---------------------------------------------------------------------


def _last_status():
    """The status of an event's latest change, as a subquery on the event."""
    latest = EventStatusChange.objects.filter(event=OuterRef("event_id")).order_by("-at", "-id")
    return Subquery(latest.values("status")[:1])


def _replaced_ids(platform: Platform | None) -> set[int]:
    """The events a correction replaces, recomputed from the raw chains of corrections.

    A correction replaces an unconfirmed flow at once; a confirmed flow only once a later
    link of its chain is confirmed (the counterparty's consent, or a steward's settlement).
    """
    events = _scoped(EconomicEvent.objects, platform)
    links = dict(events.filter(corrects__isnull=False).values_list("corrects_id", "id"))
    if not links:
        return set()
    in_chains = events.filter(
        Q(corrects__isnull=False) | Exists(EconomicEvent.objects.filter(corrects=OuterRef("pk")))
    )
    confirmed = set(
        in_chains.annotate(last=_last_status_of_event())
        .filter(last=Status.CONFIRMED)
        .values_list("pk", flat=True)
    )
    below: dict[int, bool] = {}  # event -> some later link of its chain is confirmed

    def confirmed_below(original: int) -> bool:
        path, node = [], original
        while node in links and node not in below:
            path.append(node)
            node = links[node]
        found = below.get(node, False)  # the newest link has nothing below it
        for event_id in reversed(path):
            found = found or links[event_id] in confirmed
            below[event_id] = found
        return below[original]

    return {o for o in links if o not in confirmed or confirmed_below(o)}


def _last_status_of_event():
    latest = EventStatusChange.objects.filter(event=OuterRef("pk")).order_by("-at", "-id")
    return Subquery(latest.values("status")[:1])


def check_event_states(platform: Platform | None) -> CheckResult:
    """Each event has a state row whose status, corrected and counted flags follow from the
    raw status changes and corrections."""
    name = _("projection: event states match the status history")
    missing = _ids(_scoped(EconomicEvent.objects, platform).filter(state__isnull=True))
    if missing:
        return CheckResult(
            name, False, _("events without a state: %(ids)s") % {"ids": _quote(missing)}
        )
    replaced = _replaced_ids(platform)
    states = _scoped(EventState.objects, platform).annotate(
        expected_status=_last_status(),
        expected_corrected=Case(
            When(event_id__in=replaced, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    expected_counted = Case(
        When(Q(expected_status=Status.CONFIRMED, expected_corrected=False), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    wrong = states.annotate(expected_counted=expected_counted).exclude(
        status=F("expected_status"),
        corrected=F("expected_corrected"),
        counted=F("expected_counted"),
    )
    ids = _ids(wrong, "event_id")
    if ids:
        return CheckResult(
            name,
            False,
            _("state differs from the history for events %(ids)s") % {"ids": _quote(ids)},
        )
    return CheckResult(name, True)


def _month_key(row: dict) -> tuple:
    month = row["month"]
    month = month.date() if hasattr(month, "date") else month
    return (row["platform_id"], month, row["spec"], row["provider_id"], row["receiver_id"])


def _sums(row: dict) -> tuple:
    return (
        Decimal(row["q"] or 0).quantize(QUANTITY_PLACES),
        Decimal(row["m"] or 0).quantize(MONEY_PLACES),
        Decimal(row["d"] or 0).quantize(MONEY_PLACES),
        row["n"] or 0,
    )


def _recomputed_months(platform: Platform | None) -> dict[tuple, tuple]:
    counted = (
        _scoped(EconomicEvent.objects, platform)
        .annotate(last=_last_status_of_event())
        .filter(last=Status.CONFIRMED)
        .exclude(pk__in=_replaced_ids(platform))
    )
    rows = (
        counted.annotate(month=TruncMonth("occurred_on"), spec=F("resource_conforms_to_id"))
        .values("platform_id", "month", "spec", "provider_id", "receiver_id")
        .annotate(
            q=Sum("resource_quantity"),
            m=Sum("money_amount"),
            d=Sum("declared_value"),
            n=Count("id"),
        )
    )
    return {_month_key(row): _sums(row) for row in rows}


def _stored_months(platform: Platform | None) -> dict[tuple, tuple]:
    rows = _scoped(LedgerMonth.objects, platform).values(
        "platform_id",
        "month",
        "provider_id",
        "receiver_id",
        spec=F("specification_id"),
        q=F("quantity"),
        m=F("money"),
        d=F("declared"),
        n=F("events"),
    )
    stored = {_month_key(row): _sums(row) for row in rows}
    empty = (
        Decimal(0).quantize(QUANTITY_PLACES),
        Decimal(0).quantize(MONEY_PLACES),
        Decimal(0).quantize(MONEY_PLACES),
        0,
    )
    # A month whose events all stopped counting keeps its row, with zero sums.
    return {key: sums for key, sums in stored.items() if sums != empty}


def check_ledger_months(platform: Platform | None) -> CheckResult:
    """The monthly sums equal one GROUP BY over the counted events."""
    name = _("projection: monthly sums match the counted events")
    expected, stored = _recomputed_months(platform), _stored_months(platform)
    wrong = sorted(
        set(expected) ^ set(stored)
        | {key for key in expected.keys() & stored.keys() if expected[key] != stored[key]},
        key=str,
    )
    if wrong:
        platform_id, month, *_rest = wrong[0]
        return CheckResult(
            name,
            False,
            _("%(n)s monthly sum(s) differ from the events, first: platform #%(p)s, %(m)s")
            % {"n": len(wrong), "p": platform_id, "m": month.strftime("%Y-%m")},
        )
    return CheckResult(name, True)


# --- structure and rules ----------------------------------------------------------------


def check_corrections(platform: Platform | None) -> CheckResult:
    name = _("corrections: same platform, at most one per event")
    events = _scoped(EconomicEvent.objects, platform)
    foreign = _ids(
        events.filter(corrects__isnull=False).exclude(corrects__platform_id=F("platform_id"))
    )
    if foreign:
        return CheckResult(
            name,
            False,
            _("events %(ids)s correct an event of another platform") % {"ids": _quote(foreign)},
        )
    twice = _ids(
        events.filter(corrects__isnull=False)
        .values("corrects_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1),
        "corrects_id",
    )
    if twice:
        return CheckResult(
            name, False, _("events %(ids)s are corrected more than once") % {"ids": _quote(twice)}
        )
    return CheckResult(name, True)


def _previous_status():
    earlier = EventStatusChange.objects.filter(event=OuterRef("event_id"), id__lt=OuterRef("id"))
    return Coalesce(Subquery(earlier.order_by("-id").values("status")[:1]), Value(""))


def _legal_transition() -> Q:
    legal = Q()
    for previous, status in LEGAL_TRANSITIONS:
        legal |= Q(previous=previous, status=status)
    return legal


def check_transitions(platform: Platform | None) -> CheckResult:
    """Every status change follows a legal transition from the one before it."""
    name = _("status changes: every transition is legal")
    changes = _scoped(EventStatusChange.objects, platform).annotate(previous=_previous_status())
    ids = _ids(changes.exclude(_legal_transition()), "event_id")
    if ids:
        return CheckResult(
            name, False, _("illegal status transitions in events %(ids)s") % {"ids": _quote(ids)}
        )
    return CheckResult(name, True)


def check_counterparty(platform: Platform | None) -> CheckResult:
    """Every confirmation or dispute after the recording came from someone acting for the
    counterparty, and never from the recorder."""
    name = _("confirmations: made by the counterparty")
    through = Agent.representatives.through.objects
    recorder_for_receiver = Q(event__recorded_by_id=F("event__receiver_id")) | Exists(
        through.filter(
            from_agent_id=OuterRef("event__receiver_id"),
            to_agent_id=OuterRef("event__recorded_by_id"),
        )
    )
    changes = (
        _scoped(EventStatusChange.objects, platform)
        .annotate(previous=_previous_status())
        .exclude(previous="")
        .annotate(
            counterparty=Case(
                When(recorder_for_receiver, then=F("event__provider_id")),
                default=F("event__receiver_id"),
            )
        )
        .annotate(
            role_then=_role_then(),
            represents=Exists(
                through.filter(
                    from_agent_id=OuterRef("counterparty"), to_agent_id=OuterRef("by_id")
                )
            ),
        )
    )
    wrong = changes.filter(
        Q(by_id=F("event__recorded_by_id")) | (~Q(by_id=F("counterparty")) & Q(represents=False))
    ).exclude(_settlement())
    ids = _ids(wrong, "event_id")
    if ids:
        return CheckResult(
            name,
            False,
            _(
                "events %(ids)s were confirmed or disputed by someone "
                "who does not act for the counterparty"
            )
            % {"ids": _quote(ids)},
        )
    return CheckResult(name, True)


def _role_then():
    """The role `by` held when the change was made, from the history of roles."""
    latest = MembershipChange.objects.filter(
        membership__agent_id=OuterRef("by_id"), at__lte=OuterRef("at")
    ).order_by("-at", "-id")
    return Subquery(latest.values("role")[:1])


def _settlement() -> Q:
    """A disputed correction confirmed, with a reason, by someone who was a steward then and
    is neither a party nor someone acting for one (changes annotated with `role_then`)."""
    through = Agent.representatives.through.objects
    acts_for_party = Exists(
        through.filter(
            Q(from_agent_id=OuterRef("event__provider_id"))
            | Q(from_agent_id=OuterRef("event__receiver_id")),
            to_agent_id=OuterRef("by_id"),
        )
    )
    party = Q(by_id=F("event__provider_id")) | Q(by_id=F("event__receiver_id")) | acts_for_party
    return (
        Q(previous=Status.DISPUTED, status=Status.CONFIRMED, event__corrects__isnull=False)
        & Q(role_then__in=STEWARDS)
        & ~Q(reason="")
        & ~party
    )


def check_amounts(platform: Platform | None) -> CheckResult:
    name = _("amounts: market flows carry money, nothing is negative")
    events = _scoped(EconomicEvent.objects, platform)
    no_money = _ids(events.filter(resource_conforms_to__market=True, money_amount__isnull=True))
    if no_money:
        return CheckResult(
            name,
            False,
            _("market events without a money amount: %(ids)s") % {"ids": _quote(no_money)},
        )
    negative = _ids(
        events.filter(
            Q(resource_quantity__lt=0)
            | Q(money_amount__lt=0)
            | Q(declared_value__lt=0)
            | Q(effort_quantity__lt=0)
        )
    )
    if negative:
        return CheckResult(
            name,
            False,
            _("events with a negative quantity or amount: %(ids)s") % {"ids": _quote(negative)},
        )
    return CheckResult(name, True)


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def expected_triggers() -> set[str]:
    return set().union(*(guard.trigger_names(connection.vendor) for guard in registered()))


def check_triggers(platform: Platform | None = None) -> CheckResult:
    name = _("append-only: the database triggers are installed")
    missing = sorted(expected_triggers() - installed_triggers())
    if missing:
        return CheckResult(
            name, False, _("missing triggers: %(names)s") % {"names": ", ".join(missing)}
        )
    return CheckResult(name, True)


def check_roles(platform: Platform | None) -> CheckResult:
    """Each membership's role is the one its latest recorded change gave it."""
    name = _("roles: each current role follows the history of roles")
    latest = MembershipChange.objects.filter(membership=OuterRef("pk")).order_by("-at", "-id")
    memberships = _scoped(Membership.objects, platform).annotate(
        recorded=Subquery(latest.values("role")[:1])
    )
    wrong = _ids(memberships.exclude(role=F("recorded")).exclude(recorded__isnull=True), "agent_id")
    wrong += _ids(memberships.filter(recorded__isnull=True), "agent_id")
    if wrong:
        return CheckResult(
            name,
            False,
            _("roles differ from their history for agents %(ids)s") % {"ids": _quote(wrong)},
        )
    return CheckResult(name, True)


def check_invoices(platform: Platform | None) -> CheckResult:
    """Each invoice's status (issued, paid) is the last entry of its history."""
    from tribu.spaces.invoice_history import disagreeing
    from tribu.spaces.models import Invoice

    name = _("invoices: each status follows the history of the invoice")
    wrong = _ids(disagreeing(_scoped(Invoice.objects, platform)), "number")
    if wrong:
        return CheckResult(
            name,
            False,
            _("invoices %(ids)s differ from their history") % {"ids": _quote(wrong)},
        )
    return CheckResult(name, True)


def check_chain(platform: Platform | None) -> CheckResult:
    """Each platform's hash chain recomputes from its history rows as they are now."""
    from .chain import verify

    name = _("hash chain: every history row is linked and unchanged")
    platforms = [platform] if platform is not None else Platform.objects.order_by("pk")
    for each in platforms:
        problems = verify(each)
        if problems:
            return CheckResult(
                name,
                False,
                _("the hash chain of %(slug)s breaks at %(where)s")
                % {"slug": each.slug, "where": ", ".join(problems[:SHOWN])},
            )
    return CheckResult(name, True)


def check_platforms(platform: Platform | None) -> CheckResult:
    """No row points at another platform's row: one query per foreign key between tenant
    tables. PostgreSQL's composite keys refuse such rows; SQLite relies on this check."""
    from tribu.core.tenancy import links

    name = _("platforms: every row points only at rows of its own platform")
    for link in links():
        rows = link.model._default_manager.filter(**{f"{link.field.name}__isnull": False})
        if platform is not None:
            rows = rows.filter(**{link.platform_path: platform.pk})
        wrong = _ids(rows.exclude(**{f"{link.field.name}__platform_id": F(link.platform_path)}))
        if wrong:
            return CheckResult(
                name,
                False,
                _("%(link)s points at another platform's row in %(ids)s")
                % {"link": link.label, "ids": _quote(wrong)},
            )
    return CheckResult(name, True)


CHECKS: tuple[Callable[[Platform | None], CheckResult], ...] = (
    check_triggers,
    check_chain,
    check_roles,
    check_invoices,
    check_platforms,
    check_event_states,
    check_ledger_months,
    check_corrections,
    check_transitions,
    check_counterparty,
    check_amounts,
)


def run_checks(platform: Platform | None = None) -> list[CheckResult]:
    """Every invariant, for one platform or for the whole database."""
    return [check(platform) for check in CHECKS]
