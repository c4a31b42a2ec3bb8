"""Needs and offers, the matches suggested between them, the help they turn into
(ledger flows), and the introductions facilitators record."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tribu.agents.models import Agent
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.core.words import Message
from tribu.ledger.models import Action, EconomicEvent, ResourceSpecification
from tribu.ledger.services import Flow, record_event
from tribu.platforms.access import (
    FACILITATORS,
    MEMBER_ROLES,
    STEWARDS,
    members,
    require_role,
)
from tribu.platforms.models import Platform

from .. import matching
from ..models import (
    Intent,
    IntentKind,
    IntentStatus,
    Introduction,
    Match,
    MatchStatus,
    NotificationKind,
    split_tags,
)
from .common import _same_platform, _text, _url
from .notifications import notify

DEFAULT_HELP_SPEC = "volunteer-hour"


@transaction.atomic
def post_intent(
    agent: Agent, *, kind: str, title: str, description: str = "", tags: str = ""
) -> Intent:
    """Post a need or an offer; matching runs at once and tells whom it concerns."""
    require_role(agent, MEMBER_ROLES, _("post needs and offers"))
    if kind not in IntentKind.values:
        raise TribuError(_("kind: expected “need” or “offer”"))
    intent = Intent.objects.create(
        platform_id=agent.platform_id,
        agent=agent,
        kind=kind,
        title=_text(title, _("title")),
        description=(description or "").strip(),
        tags=", ".join(split_tags(tags or "")),
    )
    refresh_matches(agent.platform)
    return intent


@transaction.atomic
def withdraw_intent(intent: Intent, agent: Agent) -> Intent:
    if intent.agent_id != agent.pk:
        raise PermissionDenied(_("only its author withdraws a need or an offer"))
    if intent.status != IntentStatus.OPEN:
        raise Conflict(_("this is already %(status)s") % {"status": intent.get_status_display()})
    intent.status = IntentStatus.WITHDRAWN
    intent.save(update_fields=["status"])
    return intent


def _doc(intent: Intent) -> matching.Doc:
    return matching.Doc(
        intent.pk,
        intent.agent_id,
        f"{intent.title}\n{intent.description}",
        frozenset(intent.tag_list()),
    )


def refresh_matches(platform: Platform) -> list[Match]:
    """Suggest offers for every open need; each new suggestion is told to both sides and
    to the facilitators. Pairs already suggested (even dismissed) are not suggested again."""
    open_intents = Intent.objects.filter(platform=platform, status=IntentStatus.OPEN)
    needs = list(open_intents.filter(kind=IntentKind.NEED).select_related("agent"))
    offers = list(open_intents.filter(kind=IntentKind.OFFER).select_related("agent"))
    known = set(Match.objects.filter(platform=platform).values_list("need_id", "offer_id"))
    by_pk = {i.pk: i for i in needs + offers}
    created = []
    for found in matching.suggest([_doc(n) for n in needs], [_doc(o) for o in offers]):
        if (found.need, found.offer) in known:
            continue
        match = Match.objects.create(
            platform=platform,
            need=by_pk[found.need],
            offer=by_pk[found.offer],
            score=found.score,
            shared_tags=", ".join(found.shared_tags),
            shared_words=", ".join(found.shared_words),
        )
        created.append(match)
        _tell_match(platform, match)
    return created


def _tell_match(platform: Platform, match: Match) -> None:
    text = Message(
        gettext_noop("“%(offer)s” (%(offerer)s) may answer “%(need)s” (%(needer)s) — %(reason)s"),
        offer=match.offer.title,
        offerer=match.offer.agent.name,
        need=match.need.title,
        needer=match.need.agent.name,
        reason=match.reason,
    )
    notify(
        [match.need.agent, match.offer.agent, *members(platform, FACILITATORS)],
        NotificationKind.MATCH,
        text,
        _url("community-intent", platform, match.need_id),
    )


def help_specifications(platform: Platform):
    """Kinds of value a piece of help can be recorded as: non-market, valued per unit."""
    return ResourceSpecification.objects.filter(platform=platform, market=False).order_by("slug")


@transaction.atomic
def mark_helped(
    match: Match,
    actor: Agent,
    *,
    hours,
    specification: ResourceSpecification | None = None,
    declared_value=None,
    note: str = "",
    occurred: date | None = None,
) -> EconomicEvent:
    """Turn a match into a proposed `deliverService` flow from the offerer to the needer.

    Either side may say it happened. The ledger asks the side that did not record it to
    confirm: when the needer clicks "this helped me" the event is recorded by the needer
    (they act for the receiver), so the offerer confirms that they did give that time;
    when the offerer records it, the needer — the receiver — confirms. Each flow is thus
    vouched for by both people before it counts in any balance sheet.
    """
    _same_platform(actor, match)
    needer, offerer = match.need.agent, match.offer.agent
    if actor.pk not in (needer.pk, offerer.pk):
        raise PermissionDenied(_("only the two sides of a match say that it helped"))
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status == MatchStatus.HELPED:
        raise Conflict(
            _("this match is already recorded as event #%(id)s") % {"id": match.event_id}
        )
    specification = specification or ResourceSpecification.objects.get(
        platform_id=match.platform_id, slug=DEFAULT_HELP_SPEC
    )
    if specification.market:
        raise TribuError(_("specification: help between members is recorded as non-market"))
    event, _created = record_event(
        match.need.platform,
        actor,
        Flow(
            action=Action.DELIVER_SERVICE,
            provider=offerer,
            receiver=needer,
            specification=specification,
            quantity=hours,
            declared_value=declared_value,
            occurred=occurred or timezone.localdate(),
            note=note.strip()
            or _("Help for “%(need)s” from “%(offer)s”")
            % {"need": match.need.title, "offer": match.offer.title},
            source=f"community:match:{match.pk}",
        ),
    )
    match.status, match.event = MatchStatus.HELPED, event
    match.save(update_fields=["status", "event"])
    Intent.objects.filter(pk=match.need_id).update(status=IntentStatus.FULFILLED)
    counterparty = offerer if actor.pk == needer.pk else needer
    notify(
        [counterparty],
        NotificationKind.CONFIRMATION,
        Message(
            gettext_noop(
                "%(who)s recorded that “%(offer)s” helped with “%(need)s”: please confirm."
            ),
            who=actor.name,
            offer=match.offer.title,
            need=match.need.title,
        ),
        _url("community-intent", match.need.platform, match.need_id),
    )
    return event


@transaction.atomic
def dismiss_match(match: Match, actor: Agent) -> Match:
    _same_platform(actor, match)
    if actor.pk not in (match.need.agent_id, match.offer.agent_id):
        raise PermissionDenied(_("only the two sides of a match dismiss it"))
    if match.status != MatchStatus.SUGGESTED:
        raise Conflict(_("this match is no longer a suggestion"))
    match.status = MatchStatus.DISMISSED
    match.save(update_fields=["status"])
    return match


# --- introductions --------------------------------------------------------------


def introduce(
    by: Agent, first: Agent, second: Agent, note: str = "", on: date | None = None
) -> Introduction:
    """The facilitator records "I introduced A to B"."""
    require_role(by, STEWARDS, _("record introductions"))
    for agent in (first, second):
        _same_platform(by, agent)
    if first.pk == second.pk:
        raise TribuError(_("an introduction is between two different agents"))
    return Introduction.objects.create(
        platform_id=by.platform_id,
        by=by,
        first=first,
        second=second,
        note=note.strip(),
        on=on or timezone.localdate(),
    )


def between(a_id: int, b_id: int) -> Q:
    return Q(provider_id=a_id, receiver_id=b_id) | Q(provider_id=b_id, receiver_id=a_id)
