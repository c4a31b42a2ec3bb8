"""Joining by peer vouching: applications, vouches, concerns, trials that end, and
leaving."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.core.words import Message
from tribu.platforms.access import (
    FACILITATORS,
    MEMBER_ROLES,
    VOUCHING_ROLES,
    members,
    require_role,
    role_of,
)
from tribu.platforms.models import Membership, Platform, Role
from tribu.platforms.services import add_agent, free_slug, set_role

from ..models import (
    Application,
    ApplicationStatus,
    ApplicationStep,
    Concern,
    ConcernResolution,
    Notification,
    NotificationKind,
    Resolution,
    StepKind,
    Vouch,
)
from .common import _same_platform, _text, _url, settings_for
from .notifications import notify


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
    require_role(voucher, VOUCHING_ROLES, _("vouch"))
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
    require_role(author, VOUCHING_ROLES, _("raise a concern"))
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
    require_role(facilitator, FACILITATORS, _("decide on a concern"))
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
