"""Founding through the API: invitations, accepting one, declared costs, adding members and
the photo of the place. Mount with `api.add_router("", tribu.platforms.api.router)`;
creating and editing a platform live beside its other endpoints in
`tribu.api.routers.platforms`.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile

from tribu.agents.models import Agent
from tribu.api.auth import TOKEN
from tribu.api.schemas import ERRORS, BodyIn, Day, ErrorOut, Slug, Text
from tribu.core.errors import NotFound
from tribu.ledger import declared
from tribu.ledger.models import Action, ResourceSpecification
from tribu.ledger.services import Flow
from tribu.web import members
from tribu.web.members import ADDABLE_ROLES, signed_up

from . import founding, invitations, photos
from .access import STEWARDS, access_member, role_of
from .models import Role

router = Router(tags=["founding"], auth=TOKEN)


class InviteIn(BodyIn):
    email: Text
    name: Text = ""
    role: Text = "newcomer"


class InvitationOut(Schema):
    email: str
    role: str
    expires_at: datetime
    claim: bool


class JoinedOut(Schema):
    platform: str
    agent: str
    role: str | None


class DeclareIn(BodyIn):
    provider: Slug
    receiver: Slug
    specification: Slug
    amount: Decimal
    occurred: Day
    evidence_kind: Text
    evidence: Text
    note: Text = ""
    monthly: bool = False
    months: int | None = None


class DeclaredOut(Schema):
    events: list[int]


def invitation_out(invitation) -> dict:
    return {
        "email": invitation.email,
        "role": invitation.role,
        "expires_at": invitation.expires_at,
        "claim": invitation.agent_id is not None,
    }


@router.post(
    "/platforms/{slug}/invitations",
    response={201: InvitationOut, ERRORS: ErrorOut},
    summary="Invite someone by e-mail (stewards); the link is e-mailed",
)
def invite(request, slug: Slug, data: InviteIn):
    platform, actor, _role = access_member(request.auth, slug, roles=STEWARDS)
    invitation = invitations.invite(platform, actor, data.email, name=data.name, role=data.role)
    return Status(201, invitation_out(invitation))


@router.post(
    "/invitations/{token}/accept",
    response={200: JoinedOut, ERRORS: ErrorOut},
    summary="Accept an invitation or a claim link with the caller's account",
)
def accept(request, token: str):
    agent = invitations.accept(token, request.auth)
    role = role_of(agent)
    return {"platform": agent.platform.slug, "agent": agent.slug, "role": role}


def _agent(platform, slug: str) -> Agent:
    agent = Agent.objects.filter(platform=platform, slug=slug).first()
    if agent is None:
        raise NotFound(_("no agent “%(slug)s” in this platform") % {"slug": slug})
    return agent


@router.post(
    "/platforms/{slug}/declared-flows",
    response={201: DeclaredOut, ERRORS: ErrorOut},
    summary="Declare a market flow with an outside party, with evidence (stewards)",
)
def declare(request, slug: Slug, data: DeclareIn):
    platform, actor, _role = access_member(request.auth, slug, roles=STEWARDS)
    spec = ResourceSpecification.objects.filter(platform=platform, slug=data.specification).first()
    if spec is None:
        raise NotFound(
            _("no specification “%(slug)s” in this platform") % {"slug": data.specification}
        )
    provider, receiver = _agent(platform, data.provider), _agent(platform, data.receiver)
    if data.monthly:
        schedule = declared.Schedule(
            provider,
            receiver,
            spec,
            data.amount,
            data.occurred,
            data.evidence,
            data.evidence_kind,
            months=data.months,
            note=data.note,
        )
        cost = declared.declare_recurring(platform, actor, schedule)
        return Status(201, {"events": list(cost.flows.values_list("event_id", flat=True))})
    flow = Flow(
        action=Action.TRANSFER,
        provider=provider,
        receiver=receiver,
        specification=spec,
        quantity=Decimal(1),
        occurred=data.occurred,
        note=data.note,
        evidence=data.evidence,
        money_amount=data.amount,
    )
    event = declared.declare_flow(platform, actor, flow, data.evidence_kind)
    return Status(201, {"events": [event.pk]})


# --- the members page and the photo of the place, through the same services ------


ROLE_NAMES = tuple(role.value for role in ADDABLE_ROLES)


class MemberIn(BodyIn):
    user: Text = Field(max_length=254, description="Username or e-mail of someone signed up.")
    role: Literal[ROLE_NAMES] = Role.NEWCOMER.value  # type: ignore[valid-type]
    name: Text = Field("", max_length=200, description="Name shown in the platform.")


class MemberOut(Schema):
    agent: str
    name: str
    role: str | None


class PhotoOut(Schema):
    url: str


@router.post(
    "/platforms/{slug}/members",
    response={201: MemberOut, ERRORS: ErrorOut},
    summary="Add someone who has signed up, with a role (stewards)",
)
def add_member(request, slug: Slug, data: MemberIn):
    platform, actor, _role = access_member(request.auth, slug, roles=STEWARDS)
    user = signed_up(data.user)
    if user is None:
        raise NotFound(_("user: nobody has signed up with this name or e-mail"))
    agent = members.add_member(platform, actor, user, data.role, data.name)
    return Status(201, {"agent": agent.slug, "name": agent.name, "role": role_of(agent)})


@router.post(
    "/platforms/{slug}/photo",
    response={200: PhotoOut, ERRORS: ErrorOut},
    summary="Upload the photo of the place (stewards); it is resized, its metadata dropped",
)
def upload_photo(request, slug: Slug, photo: File[UploadedFile]):
    platform = founding.steward_platform(request.auth, slug)
    photos.set_photo(platform, request.auth, photo)
    return {"url": request.build_absolute_uri(reverse("platforms-photo-file", args=[slug]))}


class TrialAreasIn(BodyIn):
    areas: list[Text]


class TrialAreasOut(Schema):
    areas: list[str]


@router.put(
    "/platforms/{slug}/trial-areas",
    response={200: TrialAreasOut, ERRORS: ErrorOut},
    summary="Choose what applicants and members on trial also see (stewards)",
    description=(
        "The areas, some of: ledger, balances, members, community; the list replaces the "
        "previous one. 400: an unknown area, named; 403: not a steward; 404: no such "
        "platform."
    ),
)
def trial_areas(request, slug: Slug, data: TrialAreasIn):
    from .services import widen_trial

    platform, actor, _role = access_member(request.auth, slug, roles=STEWARDS)
    platform = widen_trial(platform, actor, data.areas)
    return {"areas": platform.trial_sees}
