"""Community through the API: applications and vouches, needs and offers and their
matches, the charter, one's own profile, projects and notifications. Mount with
`api.add_router("", tribu.community.api.router)`.

Every endpoint fetches through `community.access` (or `platforms.access`) and writes
through `community.services`, exactly as the pages do; `TribuError`s become JSON errors
through the API's handlers.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tribu.agents.models import Agent
from tribu.api.access import agent_in
from tribu.api.auth import PUBLIC, TOKEN, user_of
from tribu.api.schemas import ERRORS, BodyIn, ErrorOut, Text
from tribu.core.errors import NotFound
from tribu.ledger.models import ResourceSpecification
from tribu.platforms.access import (
    STEWARDS,
    access_member,
    access_platform,
    acting_agent,
    role_of,
)
from tribu.platforms.models import TrialArea

from . import access, services
from .models import (
    Application,
    CharterProposal,
    CharterVersion,
    Delivery,
    Intent,
    IntentStatus,
    Match,
    Notification,
    Project,
    Visibility,
)

router = Router(tags=["community"])
PLATFORM = "/platforms/{slug}"


class ApplyIn(BodyIn):
    name: Annotated[Text, Field(max_length=200)]
    statement: Text


class StepOut(Schema):
    kind: str
    by: str | None
    note: str
    at: datetime


class ApplicationOut(Schema):
    id: int
    agent: str
    statement: str
    status: str
    vouches: int
    vouches_required: int
    open_concerns: int
    trial_ends_at: datetime
    steps: list[StepOut]


class NoteIn(BodyIn):
    note: Text


class TextIn(BodyIn):
    text: Text


class IdOut(Schema):
    id: int


class IntentIn(BodyIn):
    kind: Text
    title: Annotated[Text, Field(max_length=200)]
    description: Text = ""
    tags: Annotated[Text, Field(max_length=300)] = ""


class IntentOut(Schema):
    id: int
    kind: str
    agent: str
    title: str
    description: str
    tags: list[str]
    status: str
    created_at: datetime


class MatchOut(Schema):
    id: int
    need: int
    offer: int
    needer: str
    offerer: str
    score: float
    reason: str
    status: str
    event: int | None


class HelpedIn(BodyIn):
    hours: Decimal
    specification: Text | None = None
    declared_value: Decimal | None = None
    note: Text = ""


class CharterVersionOut(Schema):
    number: int
    text: str
    adopted_at: datetime
    adopted_by: str | None
    note: str


class ProposalIn(BodyIn):
    text: Text
    rationale: Text


class ProposalOut(Schema):
    id: int
    author: str
    text: str
    rationale: str
    status: str
    opened_at: datetime
    closes_at: datetime
    standing_objections: int


class CommentIn(BodyIn):
    text: Text
    objection: bool = False


def application_out(a: Application) -> dict:
    return {
        "id": a.pk,
        "agent": a.agent.slug,
        "statement": a.statement,
        "status": a.status,
        "vouches": a.vouches.count(),
        "vouches_required": a.platform.vouches_required,
        "open_concerns": services.open_concerns(a).count(),
        "trial_ends_at": a.trial_ends_at,
        "steps": [
            {"kind": s.kind, "by": s.by.slug if s.by else None, "note": s.note, "at": s.at}
            for s in a.steps.select_related("by")
        ],
    }


def intent_out(i: Intent) -> dict:
    return {
        "id": i.pk,
        "kind": i.kind,
        "agent": i.agent.slug,
        "title": i.title,
        "description": i.description,
        "tags": i.tag_list(),
        "status": i.status,
        "created_at": i.created_at,
    }


def match_out(m: Match) -> dict:
    return {
        "id": m.pk,
        "need": m.need_id,
        "offer": m.offer_id,
        "needer": m.need.agent.slug,
        "offerer": m.offer.agent.slug,
        "score": m.score,
        "reason": m.reason,
        "status": m.status,
        "event": m.event_id,
    }


def proposal_out(p: CharterProposal) -> dict:
    return {
        "id": p.pk,
        "author": p.author.slug,
        "text": p.text,
        "rationale": p.rationale,
        "status": p.status,
        "opened_at": p.opened_at,
        "closes_at": p.closes_at,
        "standing_objections": services.standing_objections(p).count(),
    }


# --- joining --------------------------------------------------------------------


@router.post(
    PLATFORM + "/applications", response={201: ApplicationOut, ERRORS: ErrorOut}, auth=TOKEN
)
def apply(request, slug: str, data: ApplyIn):
    """Ask to join: the caller becomes a newcomer until residents vouch for them."""
    platform = access_platform(user_of(request), slug)
    application = services.apply(
        platform, user_of(request), name=data.name, statement=data.statement
    )
    return Status(201, application_out(application))


@router.get(
    PLATFORM + "/applications", response={200: list[ApplicationOut], ERRORS: ErrorOut}, auth=TOKEN
)
def list_applications(request, slug: str, status: Text | None = None):
    platform, actor, _role = access_member(user_of(request), slug, area="own")
    rows = access.visible_applications(user_of(request), platform, actor).select_related(
        "agent", "platform"
    )
    if status:
        rows = rows.filter(status=status)
    return [application_out(a) for a in rows]


@router.get(
    PLATFORM + "/applications/{application_id}",
    response={200: ApplicationOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def get_application(request, slug: str, application_id: int):
    application, _actor = access.access_application(user_of(request), slug, application_id)
    return application_out(application)


@router.post(
    PLATFORM + "/applications/{application_id}/vouches",
    response={201: ApplicationOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def vouch(request, slug: str, application_id: int, data: NoteIn):
    application, actor = access.access_application(user_of(request), slug, application_id)
    services.vouch(application, actor, data.note)
    application.refresh_from_db()
    return Status(201, application_out(application))


@router.post(
    PLATFORM + "/applications/{application_id}/concerns",
    response={201: IdOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def raise_concern(request, slug: str, application_id: int, data: TextIn):
    application, actor = access.access_application(user_of(request), slug, application_id)
    return Status(201, {"id": services.raise_concern(application, actor, data.text).pk})


# --- needs, offers, matches -----------------------------------------------------


@router.get(PLATFORM + "/intents", response={200: list[IntentOut], ERRORS: ErrorOut}, auth=TOKEN)
def list_intents(request, slug: str, kind: Text | None = None):
    platform, _actor, _role = access_member(user_of(request), slug, area="intents")
    rows = Intent.objects.filter(platform=platform, status=IntentStatus.OPEN).select_related(
        "agent"
    )
    if kind:
        rows = rows.filter(kind=kind)
    return [intent_out(i) for i in rows]


@router.post(PLATFORM + "/intents", response={201: IntentOut, ERRORS: ErrorOut}, auth=TOKEN)
def post_intent(request, slug: str, data: IntentIn):
    _platform, actor, _role = access_member(user_of(request), slug, area="intents")
    intent = services.post_intent(
        actor, kind=data.kind, title=data.title, description=data.description, tags=data.tags
    )
    return Status(201, intent_out(intent))


@router.get(
    PLATFORM + "/intents/{intent_id}/matches",
    response={200: list[MatchOut], ERRORS: ErrorOut},
    auth=TOKEN,
)
def list_matches(request, slug: str, intent_id: int):
    intent, _actor = access.access_intent(user_of(request), slug, intent_id)
    rows = Match.objects.filter(Q(need=intent) | Q(offer=intent), platform_id=intent.platform_id)
    return [match_out(m) for m in rows.select_related("need__agent", "offer__agent")]


@router.post(
    PLATFORM + "/matches/{match_id}/helped", response={201: MatchOut, ERRORS: ErrorOut}, auth=TOKEN
)
def helped(request, slug: str, match_id: int, data: HelpedIn):
    """ "This helped me": a proposed deliverService flow, for the other side to confirm."""
    match, actor = access.access_match(user_of(request), slug, match_id)
    spec = None
    if data.specification:
        spec = ResourceSpecification.objects.filter(
            platform_id=match.platform_id, slug=data.specification
        ).first()
        if spec is None:
            raise NotFound(
                _("no specification “%(slug)s” in this platform") % {"slug": data.specification}
            )
    services.mark_helped(
        match,
        actor,
        hours=data.hours,
        specification=spec,
        declared_value=data.declared_value,
        note=data.note,
    )
    match.refresh_from_db()
    return Status(201, match_out(match))


# --- the charter ----------------------------------------------------------------


@router.get(
    PLATFORM + "/charter", response={200: list[CharterVersionOut], ERRORS: ErrorOut}, auth=PUBLIC
)
def charter_versions(request, slug: str):
    """Every adopted version, oldest first; the last is the current charter."""
    platform = access_platform(user_of(request), slug)
    return [
        {
            "number": v.number,
            "text": v.text,
            "adopted_at": v.adopted_at,
            "adopted_by": v.adopted_by.slug if v.adopted_by else None,
            "note": v.note,
        }
        for v in CharterVersion.objects.filter(platform=platform).select_related("adopted_by")
    ]


@router.get(
    PLATFORM + "/charter/proposals", response={200: list[ProposalOut], ERRORS: ErrorOut}, auth=TOKEN
)
def list_proposals(request, slug: str):
    platform, _actor, _role = access_member(user_of(request), slug, area="charter")
    return [
        proposal_out(p)
        for p in CharterProposal.objects.filter(platform=platform).select_related("author")
    ]


@router.post(
    PLATFORM + "/charter/proposals", response={201: ProposalOut, ERRORS: ErrorOut}, auth=TOKEN
)
def propose(request, slug: str, data: ProposalIn):
    _platform, actor, _role = access_member(user_of(request), slug, area=TrialArea.COMMUNITY)
    return Status(201, proposal_out(services.propose_change(actor, data.text, data.rationale)))


@router.post(
    PLATFORM + "/charter/proposals/{proposal_id}/comments",
    response={201: IdOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def comment(request, slug: str, proposal_id: int, data: CommentIn):
    access_member(user_of(request), slug, area=TrialArea.COMMUNITY)
    proposal, actor = access.access_proposal(user_of(request), slug, proposal_id)
    made = services.comment(proposal, actor, data.text, objection=data.objection)
    return Status(201, {"id": made.pk})


class OptionalNoteIn(BodyIn):
    note: Text = ""


class DecisionIn(BodyIn):
    decision: Literal["adopt", "reject"]
    note: Text = ""


class ConcernDecisionIn(BodyIn):
    outcome: Text
    reasons: Text
    advice: Text


class IntroductionIn(BodyIn):
    first: Text
    second: Text
    note: Text = ""
    on: date | None = None


# --- the actions the pages offer, each through the same service ----------------


def _acted(fetch, request, slug: str, pk: int, act, *args, **kwargs) -> dict:
    """Fetch what the caller may act on, act through the service, answer what was made."""
    target, actor = fetch(user_of(request), slug, pk)
    return {"id": act(target, actor, *args, **kwargs).pk}


@router.post(
    PLATFORM + "/charter/proposals/{proposal_id}/decision",
    response={200: IdOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def decide_proposal(request, slug: str, proposal_id: int, data: DecisionIn):
    """The facilitator adopts (the new version's id) or rejects (the proposal's id)."""
    decide = services.reject if data.decision == "reject" else services.adopt
    return _acted(access.access_proposal, request, slug, proposal_id, decide, data.note)


@router.post(
    PLATFORM + "/charter/comments/{comment_id}/withdrawal",
    response={201: IdOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def withdraw_objection(request, slug: str, comment_id: int, data: OptionalNoteIn):
    made = _acted(
        access.access_comment, request, slug, comment_id, services.withdraw_objection, data.note
    )
    return Status(201, made)


@router.post(
    PLATFORM + "/concerns/{concern_id}/withdrawal",
    response={201: IdOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def withdraw_concern(request, slug: str, concern_id: int, data: OptionalNoteIn):
    made = _acted(
        access.access_concern, request, slug, concern_id, services.withdraw_concern, data.note
    )
    return Status(201, made)


@router.post(
    PLATFORM + "/concerns/{concern_id}/decision",
    response={201: IdOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def decide_concern(request, slug: str, concern_id: int, data: ConcernDecisionIn):
    made = _acted(
        access.access_concern,
        request,
        slug,
        concern_id,
        services.decide_concern,
        data.outcome,
        reasons=data.reasons,
        advice=data.advice,
    )
    return Status(201, made)


@router.post(PLATFORM + "/leave", response={200: IdOut, ERRORS: ErrorOut}, auth=TOKEN)
def leave(request, slug: str, data: OptionalNoteIn):
    """Leave the platform (become alumni); the answer is the agent's id."""
    _platform, actor, _role = access_member(user_of(request), slug)
    services.leave(actor, data.note)
    return {"id": actor.pk}


@router.post(
    PLATFORM + "/intents/{intent_id}/withdraw",
    response={200: IntentOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def withdraw_intent(request, slug: str, intent_id: int):
    intent, actor = access.access_intent(user_of(request), slug, intent_id)
    return intent_out(services.withdraw_intent(intent, actor))


@router.post(
    PLATFORM + "/matches/{match_id}/dismiss",
    response={200: MatchOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def dismiss_match(request, slug: str, match_id: int):
    match, actor = access.access_match(user_of(request), slug, match_id)
    return match_out(services.dismiss_match(match, actor))


@router.post(PLATFORM + "/introductions", response={201: IdOut, ERRORS: ErrorOut}, auth=TOKEN)
def introduce(request, slug: str, data: IntroductionIn):
    """A steward records "I introduced A to B" (for the facilitation dashboard)."""
    platform, actor, _role = access_member(user_of(request), slug, roles=STEWARDS)
    first = agent_in(platform, data.first, "first")
    second = agent_in(platform, data.second, "second")
    made = services.introduce(actor, first, second, data.note, data.on)
    return Status(201, {"id": made.pk})


# --- one's own agent, projects and notifications ---------------------------------


class MeOut(Schema):
    slug: str
    name: str
    bio: str
    is_public: bool
    role: str | None


class ProfileIn(BodyIn):
    name: Text = Field(max_length=200)
    bio: Text = ""
    is_public: bool = False


class ProjectIn(BodyIn):
    title: Text = Field(max_length=200)
    description: Text = ""
    skills: Text = Field("", max_length=300)
    themes: Text = Field("", max_length=300)
    needs: Text = ""
    visibility: Literal[tuple(Visibility.values)] = Visibility.MEMBERS  # type: ignore[valid-type]


class ProjectOut(Schema):
    id: int
    owner: str
    title: str
    description: str
    skills: str
    themes: str
    needs: str
    visibility: str


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None


class ReadIn(BodyIn):
    notification: int | None = Field(None, description="Only this one; none: all of them.")


class ReadOut(Schema):
    marked: int


class PreferenceIn(BodyIn):
    delivery: Literal[tuple(Delivery.values)]  # type: ignore[valid-type]


class PreferenceOut(Schema):
    delivery: str


def me_out(agent: Agent) -> dict:
    return {
        "slug": agent.slug,
        "name": agent.name,
        "bio": agent.bio,
        "is_public": agent.is_public,
        "role": role_of(agent),
    }


def project_out(p: Project) -> dict:
    return {
        "id": p.pk,
        "owner": p.owner.slug,
        "title": p.title,
        "description": p.description,
        "skills": p.skills,
        "themes": p.themes,
        "needs": p.needs,
        "visibility": p.visibility,
    }


@router.get(PLATFORM + "/me", response={200: MeOut, ERRORS: ErrorOut}, auth=TOKEN)
def my_agent(request, slug: str):
    """The caller's own agent in this platform (an applicant's too)."""
    platform = access_platform(user_of(request), slug)
    agent = acting_agent(user_of(request), platform)
    if agent is None:
        raise NotFound(_("you have no agent in %(name)s") % {"name": platform.name})
    return me_out(agent)


@router.put(PLATFORM + "/me", response={200: MeOut, ERRORS: ErrorOut}, auth=TOKEN)
def edit_profile(request, slug: str, data: ProfileIn):
    """One's own name, words about oneself, and whether non-members may see them."""
    _platform, me, _role = access_member(user_of(request), slug, area="own")
    saved = services.update_profile(me, name=data.name, bio=data.bio, is_public=data.is_public)
    return me_out(saved)


@router.post(PLATFORM + "/projects", response={201: ProjectOut, ERRORS: ErrorOut}, auth=TOKEN)
def create_project(request, slug: str, data: ProjectIn):
    _platform, me, _role = access_member(user_of(request), slug, area=TrialArea.COMMUNITY)
    return Status(201, project_out(services.save_project(me, data.dict())))


@router.put(
    PLATFORM + "/projects/{project_id}", response={200: ProjectOut, ERRORS: ErrorOut}, auth=TOKEN
)
def edit_project(request, slug: str, project_id: int, data: ProjectIn):
    """Its owner edits a project (every field, as the page's form does)."""
    _platform, me, _role = access_member(user_of(request), slug, area=TrialArea.COMMUNITY)
    project = access.access_project(user_of(request), slug, project_id)
    return project_out(services.save_project(me, data.dict(), project))


@router.get(
    PLATFORM + "/notifications",
    response={200: list[NotificationOut], ERRORS: ErrorOut},
    auth=TOKEN,
)
def list_notifications(request, slug: str):
    """The caller's last hundred notifications, newest first."""
    _platform, me, _role = access_member(user_of(request), slug, area="own")
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "text": n.shown,
            "url": n.url,
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in Notification.objects.filter(recipient=me)[:100]
    ]


@router.post(
    PLATFORM + "/notifications/read", response={200: ReadOut, ERRORS: ErrorOut}, auth=TOKEN
)
def mark_read(request, slug: str, data: ReadIn):
    _platform, me, _role = access_member(user_of(request), slug, area="own")
    return {"marked": services.mark_read(me, data.notification)}


@router.put(
    PLATFORM + "/notifications/preference",
    response={200: PreferenceOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def set_delivery(request, slug: str, data: PreferenceIn):
    """Whether notifications are e-mailed at once or in a weekly digest."""
    _platform, me, _role = access_member(user_of(request), slug, area="own")
    return {"delivery": services.set_delivery(me, data.delivery).delivery}
