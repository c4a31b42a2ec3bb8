"""The only write path of community life: joining, projects, intents, matches,
introductions, the charter and notifications.

Pages, the API, the demo and the `community_tick` command all call these functions.
Each checks who acts and what state things are in, raises a `TribuError` whose message
names what is wrong, and writes nothing otherwise. Histories are only ever appended to.
"""

from datetime import date, datetime, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError
from tribu.core.words import Message
from tribu.ledger.models import Action, EconomicEvent, ResourceSpecification, Status
from tribu.ledger.services import Flow, is_counterparty, record_event, representation
from tribu.platforms.access import MEMBER_ROLES, may_see
from tribu.platforms.models import Membership, Platform, Role, TrialArea
from tribu.platforms.services import add_agent, free_slug, set_role

from . import matching
from .models import (
    Application,
    ApplicationStatus,
    ApplicationStep,
    CharterComment,
    CharterProposal,
    CharterVersion,
    CommentKind,
    CommunitySettings,
    Concern,
    ConcernResolution,
    Delivery,
    Intent,
    IntentKind,
    IntentStatus,
    Introduction,
    Match,
    MatchStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    Project,
    ProposalStatus,
    Resolution,
    StepKind,
    Visibility,
    Vouch,
    split_tags,
)

VOUCHING_ROLES = {Role.RESIDENT, Role.FACILITATOR, Role.HOST}
FACILITATORS = {Role.FACILITATOR}
DEFAULT_HELP_SPEC = "volunteer-hour"


def role_of(agent: Agent) -> str | None:
    membership = Membership.objects.filter(platform_id=agent.platform_id, agent=agent).first()
    return membership.role if membership else None


def members(platform: Platform, roles=MEMBER_ROLES):
    """The people holding one of `roles` in `platform`."""
    return Agent.objects.filter(
        platform=platform,
        kind=AgentKind.PERSON,
        memberships__platform=platform,
        memberships__role__in=list(roles),
    )


def settings_for(platform: Platform) -> CommunitySettings:
    return CommunitySettings.objects.get_or_create(platform=platform)[0]


def _require_role(agent: Agent, roles: set[str], what: str) -> None:
    if role_of(agent) not in roles:
        raise PermissionDenied(
            _("“%(slug)s” may not %(what)s here") % {"slug": agent.slug, "what": what}
        )


def _require_community(agent: Agent, what: str) -> None:
    """Members, and people on trial only where the stewards opened the community to them."""
    if not may_see(role_of(agent), agent.platform, TrialArea.COMMUNITY):
        raise PermissionDenied(
            _("“%(slug)s” may not %(what)s here") % {"slug": agent.slug, "what": what}
        )


def _same_platform(agent: Agent, obj) -> None:
    if agent.platform_id != obj.platform_id:
        raise NotFound(_("nothing like that in this platform"))


def _text(value: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TribuError(_("%(name)s: missing") % {"name": name})
    return value


def _url(name: str, platform: Platform, *args) -> str:
    return reverse(name, args=[platform.slug, *args])


# --- notifications --------------------------------------------------------------


def preference_of(agent: Agent) -> NotificationPreference:
    return NotificationPreference.objects.get_or_create(
        agent=agent, defaults={"platform_id": agent.platform_id}
    )[0]


def set_delivery(agent: Agent, delivery: str) -> NotificationPreference:
    if delivery not in Delivery.values:
        raise TribuError(
            _("delivery: expected one of %(choices)s") % {"choices": ", ".join(Delivery.values)}
        )
    preference = preference_of(agent)
    preference.delivery = delivery
    preference.save(update_fields=["delivery"])
    return preference


def notify(recipients, kind: str, text: "str | Message", url: str = "") -> list[Notification]:
    """In-app notifications; an e-mail at once for those who chose immediate delivery.
    A `Message` is kept in English with its values, to be shown in each reader's language."""
    made = []
    message, params = (text.msgid, text.params) if isinstance(text, Message) else ("", {})
    for agent in {a.pk: a for a in recipients if a is not None}.values():
        note = Notification.objects.create(
            platform_id=agent.platform_id,
            recipient=agent,
            kind=kind,
            text=str(text),
            message=message,
            params=params,
            url=url,
        )
        if preference_of(agent).delivery == Delivery.IMMEDIATE and _email(agent):
            transaction.on_commit(lambda n=note: _send_now(n.pk))
        made.append(note)
    return made


def _email(agent: Agent) -> str:
    """Where to write; none for addresses under .invalid (demo people), which RFC 2606
    reserves for names that can never receive mail."""
    email = agent.user.email if agent.user_id else ""
    return "" if not email or email.lower().endswith(".invalid") else email


def _send_now(notification_id: int) -> None:
    note = Notification.objects.select_related("recipient__user", "platform").get(
        pk=notification_id
    )
    send_mail(
        f"[{note.platform.name}] {note.get_kind_display()}",
        _mail_line(note),
        None,
        [_email(note.recipient)],
    )
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def _mail_line(note: Notification) -> str:
    from django.conf import settings

    return f"{note.text}\n{settings.SITE_ROOT}{note.url}" if note.url else note.text


def confirmations_to_give(agent: Agent, limit: int = 50) -> list[EconomicEvent]:
    """Proposed ledger flows that wait for `agent`'s confirmation (as the counterparty, or
    for an organization they represent)."""
    sides = [agent.pk, *agent.represents.values_list("pk", flat=True)]
    candidates = (
        EconomicEvent.objects.filter(
            Q(provider_id__in=sides) | Q(receiver_id__in=sides),
            platform_id=agent.platform_id,
            state__status=Status.PROPOSED,
            state__corrected=False,
        )
        .exclude(recorded_by=agent)
        .select_related("provider", "receiver", "recorded_by", "resource_conforms_to")
        .order_by("-recorded_at")[: limit * 2]
    )
    candidates = list(candidates)
    if not candidates:
        return []
    represents = representation(agent.platform_id)  # once, not per event
    return [e for e in candidates if is_counterparty(e, agent.pk, represents)][:limit]


def mark_read(agent: Agent, notification_id: int | None = None) -> int:
    unread = Notification.objects.filter(recipient=agent, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def send_digests(platform: Platform, now: datetime | None = None) -> int:
    """One e-mail per weekly reader whose week is over, listing what they were not sent."""
    now = now or timezone.now()
    sent = 0
    preferences = NotificationPreference.objects.filter(
        platform=platform, delivery=Delivery.WEEKLY
    ).select_related("agent__user")
    for preference in preferences:
        if not preference.digest_due(now):
            continue
        pending = Notification.objects.filter(recipient=preference.agent, emailed_at__isnull=True)
        lines = [_mail_line(n) for n in pending.order_by("created_at")]
        if lines and _email(preference.agent):
            send_mail(
                _("[%(name)s] Your weekly digest") % {"name": platform.name},
                "\n\n".join(lines),
                None,
                [_email(preference.agent)],
            )
            pending.update(emailed_at=now)
            sent += 1
        preference.last_digest_at = now
        preference.save(update_fields=["last_digest_at"])
    return sent


# --- joining by peer vouching ---------------------------------------------------


@transaction.atomic
def apply(
    platform: Platform, user, *, name: str, statement: str, now: datetime | None = None
) -> Application:
    """A logged-in person asks to join; they become a newcomer until vouched for."""
    statement = _text(statement, _("statement"))
    now = now or timezone.now()
    agent = Agent.objects.filter(platform=platform, user=user).order_by("pk").first()
    if agent is not None:
        _check_may_reapply(platform, agent, now)
    if agent is None:
        agent = add_agent(
            platform,
            slug=free_slug(platform, _text(name, _("name"))),
            name=name.strip(),
            role=Role.NEWCOMER,
            user=user,
            reason=_("applied to join"),
        )
    elif role_of(agent) in MEMBER_ROLES:
        raise Conflict(_("“%(slug)s” is already a member of this platform") % {"slug": agent.slug})
    else:
        set_role(agent, Role.NEWCOMER, reason=_("applied to join again"))
    application = Application.objects.create(
        platform=platform,
        agent=agent,
        statement=statement,
        created_at=now,
        trial_ends_at=now + timedelta(days=platform.trial_days),
    )
    _step(application, StepKind.APPLIED, agent, statement)
    if _vouch_requests_left(platform, now):
        notify(
            members(platform, VOUCHING_ROLES),
            NotificationKind.VOUCH_REQUEST,
            Message(
                gettext_noop("%(name)s applies to join and asks for your vouch."), name=agent.name
            ),
            _url("community-application", platform, application.pk),
        )
    return application


def _check_may_reapply(platform: Platform, agent: Agent, now: datetime) -> None:
    """After an upheld concern, applying again waits the platform's period: otherwise a
    refusal would be undone by the next application."""
    refused = (
        ApplicationStep.objects.filter(
            platform=platform, application__agent=agent, kind=StepKind.CONCERN_UPHELD
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if refused is None:
        return
    allowed = refused + timedelta(days=settings_for(platform).reapply_days)
    if now < allowed:
        raise Conflict(
            _("your application was refused: you may apply again from %(day)s")
            % {"day": formats.date_format(timezone.localdate(allowed), "DATE_FORMAT")}
        )


def _vouch_requests_left(platform: Platform, now: datetime) -> bool:
    """Vouching members are asked about at most so many applications a day; the others
    wait on the applications page, where members see them all."""
    since = now - timedelta(days=1)
    sent = (
        Notification.objects.filter(
            platform=platform,
            kind=NotificationKind.VOUCH_REQUEST,
            created_at__gt=since,
            created_at__lte=now,
        )
        .values("url")
        .distinct()
        .count()
    )
    return sent < settings_for(platform).vouch_requests_per_day


def _step(application: Application, kind: str, by: Agent | None, note: str = ""):
    return ApplicationStep.objects.create(
        platform_id=application.platform_id, application=application, kind=kind, by=by, note=note
    )


def _lock_open(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_open:
        raise Conflict(
            _("this application is already closed (%(status)s)")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def vouch(application: Application, voucher: Agent, note: str) -> Vouch:
    """A resident's word; the newcomer becomes a resident once enough words are given."""
    _same_platform(voucher, application)
    _require_role(voucher, VOUCHING_ROLES, _("vouch"))
    if voucher.pk == application.agent_id:
        raise PermissionDenied(_("nobody vouches for themselves"))
    note = _text(note, _("note"))
    application = _lock_open(application)
    if Vouch.objects.filter(application=application, voucher=voucher).exists():
        raise Conflict(
            _("“%(slug)s” has already vouched for this newcomer") % {"slug": voucher.slug}
        )
    try:
        with transaction.atomic():
            given = Vouch.objects.create(
                platform_id=application.platform_id,
                application=application,
                voucher=voucher,
                note=note,
            )
    except IntegrityError as exc:  # a concurrent double click
        raise Conflict(
            _("“%(slug)s” has already vouched for this newcomer") % {"slug": voucher.slug}
        ) from exc
    _step(application, StepKind.VOUCHED, voucher, note)
    _settle(application)
    return given


@transaction.atomic
def raise_concern(application: Application, author: Agent, text: str) -> Concern:
    _same_platform(author, application)
    _require_role(author, VOUCHING_ROLES, _("raise a concern"))
    if author.pk == application.agent_id:
        raise PermissionDenied(_("nobody raises a concern about themselves"))
    text = _text(text, _("concern"))
    application = _lock_open(application)
    concern = Concern.objects.create(
        platform_id=application.platform_id, application=application, author=author, text=text
    )
    _step(application, StepKind.CONCERN, author, text)
    notify(
        members(application.platform, FACILITATORS),
        NotificationKind.JOINING,
        Message(
            gettext_noop("%(author)s raised a concern about %(name)s."),
            author=author.name,
            name=application.agent.name,
        ),
        _url("community-application", application.platform, application.pk),
    )
    return concern


def open_concerns(application: Application):
    return application.concerns.filter(resolution__isnull=True)


@transaction.atomic
def withdraw_concern(concern: Concern, author: Agent, note: str = "") -> ConcernResolution:
    _same_platform(author, concern)
    if concern.author_id != author.pk:
        raise PermissionDenied(_("only its author withdraws a concern"))
    return _close_concern(concern, author, Resolution.WITHDRAWN, note.strip(), "")


@transaction.atomic
def decide_concern(
    concern: Concern, facilitator: Agent, outcome: str, *, reasons: str, advice: str
) -> ConcernResolution:
    """The facilitator's decision, after seeking advice, with its reasons: both recorded."""
    _same_platform(facilitator, concern)
    _require_role(facilitator, FACILITATORS, _("decide on a concern"))
    if outcome not in (Resolution.LIFTED, Resolution.UPHELD):
        raise TribuError(_("outcome: expected “lifted” or “upheld”"))
    return _close_concern(
        concern,
        facilitator,
        outcome,
        _text(reasons, _("reasons")),
        _text(advice, _("advice sought")),
    )


def _close_concern(concern, by, outcome, reasons, advice) -> ConcernResolution:
    application = _lock_open(concern.application)
    if ConcernResolution.objects.filter(concern=concern).exists():
        raise Conflict(_("this concern is already closed"))
    resolution = ConcernResolution.objects.create(
        platform_id=concern.platform_id,
        concern=concern,
        outcome=outcome,
        by=by,
        reasons=reasons,
        advice=advice,
    )
    kind = {
        Resolution.WITHDRAWN: StepKind.CONCERN_WITHDRAWN,
        Resolution.LIFTED: StepKind.CONCERN_LIFTED,
        Resolution.UPHELD: StepKind.CONCERN_UPHELD,
    }[outcome]
    _step(application, kind, by, "\n\n".join(t for t in (reasons, advice) if t))
    if outcome == Resolution.UPHELD:
        _end(application, by, _("a concern was upheld: %(reasons)s") % {"reasons": reasons})
    else:
        _settle(application)
    return resolution


def _settle(application: Application) -> None:
    """Accept the newcomer once vouches reach the platform's number and no concern is open."""
    platform = application.platform
    if application.vouches.count() < platform.vouches_required:
        return
    if open_concerns(application).exists():
        return
    names = ", ".join(v.voucher.name for v in application.vouches.select_related("voucher"))
    # Someone given another role meanwhile (by the host, say) keeps it: never a demotion.
    if role_of(application.agent) == Role.NEWCOMER:
        set_role(
            application.agent,
            Role.RESIDENT,
            reason=_("vouched for by %(names)s") % {"names": names},
        )
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ACCEPTED)
    application.status = ApplicationStatus.ACCEPTED
    _step(application, StepKind.ACCEPTED, None, names)
    notify(
        [application.agent],
        NotificationKind.JOINING,
        Message(gettext_noop("Welcome: you are now a resident of %(name)s."), name=platform.name),
        _url("community-application", platform, application.pk),
    )


def _end(application: Application, by: Agent | None, reason: str) -> None:
    if role_of(application.agent) == Role.NEWCOMER:  # only the trial's own role ends
        set_role(application.agent, Role.ALUMNI, by=by, reason=reason)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ENDED)
    application.status = ApplicationStatus.ENDED
    notify(
        [application.agent],
        NotificationKind.JOINING,
        _("Your application to %(name)s has ended: %(reason)s")
        % {"name": application.platform.name, "reason": reason},
        _url("community-application", application.platform, application.pk),
    )


def expire_trials(platform: Platform, now: datetime | None = None) -> list[Application]:
    """End the open applications whose trial period ran out without enough vouches."""
    now = now or timezone.now()
    ended = []
    for application in Application.objects.filter(
        platform=platform, status=ApplicationStatus.OPEN, trial_ends_at__lte=now
    ):
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=application.pk)
            if not application.is_open:
                continue
            _step(
                application,
                StepKind.EXPIRED,
                None,
                _("%(n)s of %(k)s vouches")
                % {"n": application.vouches.count(), "k": platform.vouches_required},
            )
            _end(application, None, _("the trial period ended without enough vouches"))
        ended.append(application)
    return ended


def leave(agent: Agent, reason: str = "") -> Membership:
    """A member leaves and becomes alumni; their history stays."""
    if role_of(agent) not in MEMBER_ROLES:
        raise Conflict(_("“%(slug)s” is not a member") % {"slug": agent.slug})
    if agent.kind != AgentKind.PERSON:
        raise TribuError(_("only people leave; organizations are ended by the host"))
    return set_role(agent, Role.ALUMNI, by=agent, reason=reason.strip() or _("left"))


# --- projects -------------------------------------------------------------------

PROJECT_FIELDS = ("title", "description", "skills", "themes", "needs", "visibility")


@transaction.atomic
def update_profile(agent: Agent, *, name: str, bio: str, is_public: bool) -> Agent:
    """One's own name, words about oneself, and whether non-members may see them."""
    agent.name = _text(name, _("name"))[:200]
    agent.bio = (bio or "").strip()
    agent.is_public = bool(is_public)
    agent.save(update_fields=["name", "bio", "is_public"])
    return agent


def save_project(owner: Agent, data: dict, project: Project | None = None) -> Project:
    """Create or edit one's own project."""
    _require_community(owner, _("publish a project"))
    if project is not None and project.owner_id != owner.pk:
        raise PermissionDenied(_("only its owner edits a project"))
    fields = {k: (data.get(k) or "").strip() for k in PROJECT_FIELDS}
    fields["title"] = _text(fields["title"], _("title"))
    fields["visibility"] = fields["visibility"] or Visibility.MEMBERS
    if fields["visibility"] not in Visibility.values:
        raise TribuError(_("visibility: expected “public” or “members”"))
    project = project or Project(platform_id=owner.platform_id, owner=owner)
    for key, value in fields.items():
        setattr(project, key, value)
    project.save()
    return project


# --- needs, offers and matches --------------------------------------------------


@transaction.atomic
def post_intent(
    agent: Agent, *, kind: str, title: str, description: str = "", tags: str = ""
) -> Intent:
    """Post a need or an offer; matching runs at once and tells whom it concerns."""
    _require_role(agent, MEMBER_ROLES, _("post needs and offers"))
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
    _require_role(by, FACILITATORS | {Role.HOST}, _("record introductions"))
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


# --- the living charter ---------------------------------------------------------


def current_charter(platform: Platform) -> CharterVersion | None:
    return CharterVersion.objects.filter(platform=platform).order_by("-number").first()


@transaction.atomic
def start_charter(platform: Platform, text: str, by: Agent | None = None) -> CharterVersion:
    """The first version, written by the founders before anyone could object to it."""
    if current_charter(platform) is not None:
        raise Conflict(_("this platform already has a charter: propose a change instead"))
    return CharterVersion.objects.create(
        platform=platform,
        number=1,
        text=_text(text, _("text")),
        adopted_by=by,
        note=_("First version"),
    )


@transaction.atomic
def propose_change(
    author: Agent, text: str, rationale: str, now: datetime | None = None
) -> CharterProposal:
    """Any member proposes a new text; the advice period starts now (`now` for imports
    and the demo, which replay proposals made earlier)."""
    _require_community(author, _("propose a charter change"))
    platform = author.platform
    base = current_charter(platform)
    text = _text(text, _("proposed text"))
    if base is not None and base.text.strip() == text:
        raise TribuError(_("proposed text: it is the same as the current charter"))
    now = now or timezone.now()
    proposal = CharterProposal.objects.create(
        platform=platform,
        author=author,
        base=base,
        text=text,
        rationale=_text(rationale, _("why")),
        opened_at=now,
        closes_at=now + timedelta(days=settings_for(platform).advice_days),
    )
    notify(
        [m for m in members(platform) if m.pk != author.pk],
        NotificationKind.CHARTER,
        Message(
            gettext_noop(
                "%(author)s proposes a change to the charter; advice is open until %(day)s."
            ),
            author=author.name,
            day=timezone.localdate(proposal.closes_at).isoformat(),
        ),
        _url("community-charter-proposal", platform, proposal.pk),
    )
    return proposal


def _open_proposal(proposal: CharterProposal) -> CharterProposal:
    locked = CharterProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.OPEN:
        raise Conflict(
            _("this proposal is already closed (%(status)s)")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def comment(
    proposal: CharterProposal, author: Agent, text: str, *, objection: bool = False
) -> CharterComment:
    _same_platform(author, proposal)
    _require_community(author, _("comment on the charter"))
    proposal = _open_proposal(proposal)
    kind = CommentKind.OBJECTION if objection else CommentKind.COMMENT
    return CharterComment.objects.create(
        platform_id=proposal.platform_id,
        proposal=proposal,
        author=author,
        kind=kind,
        text=_text(text, _("text")),
    )


@transaction.atomic
def withdraw_objection(objection: CharterComment, author: Agent, text: str = "") -> CharterComment:
    _same_platform(author, objection)
    if objection.kind != CommentKind.OBJECTION or objection.author_id != author.pk:
        raise PermissionDenied(_("only its author withdraws an objection"))
    _open_proposal(objection.proposal)
    if CharterComment.objects.filter(withdraws=objection).exists():
        raise Conflict(_("this objection is already withdrawn"))
    return CharterComment.objects.create(
        platform_id=objection.platform_id,
        proposal_id=objection.proposal_id,
        author=author,
        kind=CommentKind.WITHDRAWAL,
        text=text.strip() or _("Objection withdrawn"),
        withdraws=objection,
    )


def standing_objections(proposal: CharterProposal):
    return proposal.comments.filter(kind=CommentKind.OBJECTION, withdrawal__isnull=True)


@transaction.atomic
def adopt(
    proposal: CharterProposal, by: Agent | None, note: str = "", now: datetime | None = None
) -> CharterVersion:
    """Adopt a proposal as the next version: by the facilitator (who gives reasons when
    objections still stand), or by the system when the advice period passed without one."""
    if by is not None:
        _same_platform(by, proposal)
        _require_role(by, FACILITATORS, _("adopt charter changes"))
    proposal = _open_proposal(proposal)
    standing = standing_objections(proposal).exists()
    if by is None and (standing or proposal.closes_at > (now or timezone.now())):
        raise Conflict(
            _(
                "a proposal is adopted on its own only after its advice period, "
                "with no standing objection"
            )
        )
    if by is not None and standing and not note.strip():
        raise TribuError(_("note: objections still stand; give the reasons for adopting"))
    current = current_charter(proposal.platform)
    if (current and current.pk) != proposal.base_id:
        raise Conflict(
            _(
                "the charter changed since this proposal was made: "
                "propose the change again on the current text"
            )
        )
    proposal.status = ProposalStatus.ADOPTED
    proposal.save(update_fields=["status"])
    version = CharterVersion.objects.create(
        platform_id=proposal.platform_id,
        number=(current.number if current else 0) + 1,
        text=proposal.text,
        proposal=proposal,
        adopted_by=by,
        note=note.strip() or _("Adopted: no objection stood at the end of the advice period"),
    )
    notify(
        members(proposal.platform),
        NotificationKind.CHARTER,
        Message(gettext_noop("Version %(n)s of the charter is adopted."), n=version.number),
        _url("community-charter", proposal.platform),
    )
    return version


@transaction.atomic
def reject(proposal: CharterProposal, by: Agent, note: str) -> CharterProposal:
    _same_platform(by, proposal)
    _require_role(by, FACILITATORS, _("decide on charter changes"))
    note = _text(note, _("note"))
    proposal = _open_proposal(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.save(update_fields=["status"])
    CharterComment.objects.create(
        platform_id=proposal.platform_id,
        proposal=proposal,
        author=by,
        kind=CommentKind.COMMENT,
        text=note,
    )
    return proposal


def adopt_due(platform: Platform, now: datetime | None = None) -> list[CharterVersion]:
    """Adopt, oldest first, the proposals whose advice period passed with no objection."""
    now = now or timezone.now()
    adopted = []
    due = CharterProposal.objects.filter(
        platform=platform, status=ProposalStatus.OPEN, closes_at__lte=now
    ).order_by("opened_at", "pk")
    for proposal in due:
        if standing_objections(proposal).exists():
            continue
        try:
            adopted.append(adopt(proposal, None, now=now))
        except Conflict:  # based on a text another adoption just replaced
            continue
    return adopted


def tick(platform: Platform, now: datetime | None = None) -> dict:
    """What the periodic command does for one platform."""
    return {
        "expired": len(expire_trials(platform, now)),
        "adopted": len(adopt_due(platform, now)),
        "digests": send_digests(platform, now),
    }
