"""What the facilitator asks every morning: who is new, who needs whom, who is isolated,
what did the tribe create this month — each answer one or two aggregate queries."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.ledger.catalogue import current_values
from tribu.ledger.models import EconomicEvent, ResourceSpecification
from tribu.platforms.access import MEMBER_ROLES, STEWARDS
from tribu.platforms.models import Platform, Role

from .models import (
    Application,
    ApplicationStatus,
    Concern,
    Intent,
    IntentKind,
    IntentStatus,
    Introduction,
    Match,
    MatchStatus,
)
from .services import between

STALE_NEED_DAYS = 14
QUIET_DAYS = 30
REFERRAL = "business-referral"
LABEL_ROOM = 210  # room for a name of about 32 characters beside the circle


def awaiting_vouches(platform: Platform):
    return (
        Application.objects.filter(platform=platform, status=ApplicationStatus.OPEN)
        .select_related("agent")
        .annotate(vouch_count=Count("vouches"))
        .order_by("trial_ends_at")
    )


def open_concerns(platform: Platform):
    return Concern.objects.filter(
        platform=platform, resolution__isnull=True, application__status=ApplicationStatus.OPEN
    ).select_related("author", "application__agent")


def stale_needs(platform: Platform, today: date | None = None):
    """Open needs older than two weeks that no offer has been suggested for."""
    since = timezone.now() - timedelta(days=STALE_NEED_DAYS)
    live_match = Match.objects.filter(need=OuterRef("pk")).exclude(status=MatchStatus.DISMISSED)
    return (
        Intent.objects.filter(
            platform=platform, kind=IntentKind.NEED, status=IntentStatus.OPEN, created_at__lt=since
        )
        .exclude(Exists(live_match))
        .select_related("agent")
    )


def _exchanged(platform: Platform, a_id: int, b_id: int) -> bool:
    return EconomicEvent.objects.filter(between(a_id, b_id), platform=platform).exists()


def suggested_introductions(platform: Platform, limit: int = 10) -> list[dict]:
    """Pairs whose need and offer match but who never exchanged nor were introduced."""
    pairs: dict[tuple[int, int], dict] = {}
    matches = (
        Match.objects.filter(platform=platform, status=MatchStatus.SUGGESTED)
        .select_related("need__agent", "offer__agent")
        .order_by("-score")
    )
    introduced = {
        frozenset(p)
        for p in Introduction.objects.filter(platform=platform).values_list("first_id", "second_id")
    }
    for match in matches:
        a, b = match.need.agent, match.offer.agent
        key = (a.pk, b.pk)
        if key in pairs or frozenset(key) in introduced or _exchanged(platform, *key):
            continue
        pairs[key] = {"needer": a, "offerer": b, "match": match}
        if len(pairs) >= limit:
            break
    return list(pairs.values())


def quiet_members(platform: Platform, today: date | None = None) -> list[dict]:
    """Members who took part in no flow for thirty days, with their role and their last
    flow's date; the host's staff and the facilitators are not the ones to look after."""
    since = (today or timezone.localdate()) - timedelta(days=QUIET_DAYS)
    recent = EconomicEvent.objects.filter(platform=platform, occurred_on__gte=since).filter(
        Q(provider=OuterRef("pk")) | Q(receiver=OuterRef("pk"))
    )
    last = (
        EconomicEvent.objects.filter(platform=platform)
        .filter(Q(provider=OuterRef("pk")) | Q(receiver=OuterRef("pk")))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    staff = platform.host.representatives.all() if platform.host else Agent.objects.none()
    people = (
        Agent.objects.filter(
            platform=platform,
            kind=AgentKind.PERSON,
            memberships__platform=platform,
            memberships__role__in=list(MEMBER_ROLES - STEWARDS),
        )
        .exclude(Exists(recent))
        .exclude(pk__in=staff.values("pk"))
        .annotate(last_flow=Subquery(last), member_role=F("memberships__role"))
        .order_by("name")
    )
    return [{"agent": a, "role": Role(a.member_role).label, "last": a.last_flow} for a in people]


def _not_host(platform: Platform) -> Q:
    excluded = [pk for pk in (platform.host_id, platform.place_id) if pk]
    return ~Q(provider_id__in=excluded) & ~Q(receiver_id__in=excluded)


def synergies(platform: Platform, today: date | None = None) -> dict:
    """Counted flows this month between members, the host and the place left out."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    rows = (
        EconomicEvent.objects.filter(
            _not_host(platform),
            platform=platform,
            state__counted=True,
            occurred_on__gte=start,
            occurred_on__lte=today,
        )
        .values("resource_conforms_to_id", "unit")
        .annotate(n=Count("id"), q=Sum("resource_quantity"), d=Sum("declared_value"))
        .order_by("resource_conforms_to_id")
    )
    specs = {s.pk: s for s in ResourceSpecification.objects.filter(platform=platform)}
    values = current_values(platform.pk)
    lines = [_valued(specs[r["resource_conforms_to_id"]], values, r) for r in rows]
    return {
        "since": start,
        "lines": lines,
        "events": sum(r["events"] for r in lines),
        "value": sum((r["value"] for r in lines), Decimal(0)),
    }


def _valued(spec, values, row) -> dict:
    """Central value of a line: quantity × central proxy, or the declared amounts."""
    proxy = getattr(values.get(spec.pk), "proxy_central", None)
    value = (row["q"] or 0) * proxy if proxy is not None else (row["d"] or Decimal(0))
    return {
        "spec": spec,
        "events": row["n"],
        "quantity": row["q"],
        "unit": row["unit"],
        "value": Decimal(value).quantize(Decimal("0.01")),
    }


def introduction_outcomes(platform: Platform) -> list[dict]:
    """For each introduction, what the two sides exchanged since (counted flows only):
    one grouped aggregate per introduction, valued at the central proxies."""
    specs = {s.pk: s for s in ResourceSpecification.objects.filter(platform=platform)}
    values = current_values(platform.pk)
    outcomes = []
    for intro in Introduction.objects.filter(platform=platform).select_related(
        "first", "second", "by"
    ):
        rows = (
            EconomicEvent.objects.filter(
                between(intro.first_id, intro.second_id),
                platform=platform,
                state__counted=True,
                occurred_on__gte=intro.on,
            )
            .values("resource_conforms_to_id", "unit")
            .annotate(n=Count("id"), q=Sum("resource_quantity"), d=Sum("declared_value"))
            .order_by("resource_conforms_to_id")
        )
        lines = [_valued(specs[r["resource_conforms_to_id"]], values, r) for r in rows]
        outcomes.append(
            {
                "introduction": intro,
                "lines": lines,
                "events": sum(line["events"] for line in lines),
                "referrals": sum(line["events"] for line in lines if line["spec"].slug == REFERRAL),
                "value": sum((line["value"] for line in lines), Decimal(0)),
            }
        )
    return outcomes


def time_balances(platform: Platform) -> tuple[list | None, str]:
    """Residents' time balances from the spaces app, when it provides them."""
    try:
        from tribu.spaces.residency import time_balances as balances
    except ImportError:
        return None, _("Time balances will appear here once residencies are recorded.")
    return list(balances(platform)), ""


# --- the network picture --------------------------------------------------------


@dataclass
class Edge:
    provider: int
    receiver: int
    events: int


def flow_edges(platform: Platform, since: date | None = None) -> list[Edge]:
    qs = EconomicEvent.objects.filter(platform=platform, state__counted=True)
    if since:
        qs = qs.filter(occurred_on__gte=since)
    rows = (
        qs.values("provider_id", "receiver_id")
        .annotate(n=Count("id"))
        .order_by("provider_id", "receiver_id")
    )
    return [Edge(r["provider_id"], r["receiver_id"], r["n"]) for r in rows]


def network_svg(platform: Platform, since: date | None = None, radius: int = 220) -> str:
    """Who helped whom: agents on a circle, one arrow per direction, thicker for more flows.

    Drawn on the server so the same picture serves the page and a PDF, with no script.
    Names are written outwards along their radius, so neighbours never overlap; room is
    left all around the circle for them.
    """
    edges = flow_edges(platform, since)
    ids = sorted({e.provider for e in edges} | {e.receiver for e in edges})
    title = escape(_("Who helped whom"))
    if not ids:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 400 40" '
            f'aria-label="{title}"><text x="10" y="25">'
            f"{escape(_('No confirmed flow yet.'))}</text></svg>"
        )
    names = dict(Agent.objects.filter(pk__in=ids).values_list("pk", "name"))
    width = height = 2 * (radius + LABEL_ROOM)
    cx, cy = width / 2, height / 2
    angles = np.linspace(0, 2 * math.pi, num=len(ids), endpoint=False) - math.pi / 2
    xy = np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)])
    where = {pk: xy[i] for i, pk in enumerate(ids)}
    heaviest = max(e.events for e in edges)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{title}" class="network"><title>{title}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="5" '
        'markerHeight="5" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" '
        'fill="#2f7d4f"/></marker></defs>',
    ]
    for edge in edges:
        parts.append(_edge(edge, where, heaviest, names))
    for pk, angle in zip(ids, angles, strict=True):
        x, y = where[pk]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#1f5f8b"/>')
        parts.append(_radial_label(names.get(pk, "?"), cx, cy, radius + 10, angle))
    parts.append("</svg>")
    return "".join(parts)


def _radial_label(name: str, cx: float, cy: float, distance: float, angle: float) -> str:
    """A name along its radius, read left to right on both halves of the circle."""
    x, y = cx + distance * math.cos(angle), cy + distance * math.sin(angle)
    degrees = math.degrees(angle)
    left = math.cos(angle) < -1e-9
    rotation = degrees + 180 if left else degrees
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" dy="4" text-anchor="{"end" if left else "start"}" '
        f'transform="rotate({rotation:.1f} {x:.1f} {y:.1f})" font-size="12">'
        f"{escape(name)}</text>"
    )


def _edge(edge: Edge, where, heaviest: int, names) -> str:
    (x1, y1), (x2, y2) = where[edge.provider], where[edge.receiver]
    # Bend each arrow a little to its side, so A→B and B→A do not hide each other.
    mx, my = (x1 + x2) / 2 - (y2 - y1) * 0.12, (y1 + y2) / 2 + (x2 - x1) * 0.12
    width = 1 + 5 * edge.events / heaviest
    label = escape(
        _("%(a)s → %(b)s: %(n)s flows")
        % {"a": names.get(edge.provider, "?"), "b": names.get(edge.receiver, "?"), "n": edge.events}
    )
    return (
        f'<path d="M{x1:.1f} {y1:.1f} Q{mx:.1f} {my:.1f} {x2:.1f} {y2:.1f}" fill="none" '
        f'stroke="#2f7d4f" stroke-opacity=".6" stroke-width="{width:.1f}" '
        f'marker-end="url(#arrow)"><title>{label}</title></path>'
    )
