"""Founding through the API: invitations, accepting one, and declared costs. Mount with
`api.add_router("", tribu.platforms.api.router)`; creating and editing a platform live
beside its other endpoints in `tribu.api.routers.platforms`.
"""

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tribu.agents.models import Agent
from tribu.api.auth import TOKEN
from tribu.api.schemas import ERRORS, BodyIn, Day, ErrorOut, Slug, Text
from tribu.core.errors import NotFound
from tribu.ledger import declared
from tribu.ledger.models import Action, ResourceSpecification
from tribu.ledger.services import Flow

from . import invitations
from .access import STEWARDS, access_member
from .models import Membership

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
    role = Membership.objects.filter(agent=agent).values_list("role", flat=True).first()
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
