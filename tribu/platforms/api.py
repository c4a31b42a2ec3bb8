"""Platforms through the API. `platforms_router`: the platforms and their agents (public
ones for everyone, the rest for members only), founding one and changing its settings.
`router`: invitations, accepting one, declared costs, adding members, the photo of the
place and what people on trial see. Mount both with
`api.add_router("", …)`.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile

from tribu.agents.models import Agent
from tribu.api.auth import PUBLIC, TOKEN
from tribu.api.present import agent_out, platform_out
from tribu.api.schemas import ERRORS, AgentOut, BodyIn, Day, ErrorOut, PlatformOut, Slug, Text
from tribu.core.errors import NotFound
from tribu.interchange import export_platform
from tribu.interchange.spreadsheet import events_template
from tribu.interchange.valueflows import to_valueflows
from tribu.ledger import declared
from tribu.ledger.models import Action, ResourceSpecification
from tribu.ledger.services import Flow

from . import founding, invitations, members, photos
from .access import (
    MEMBER_ROLES,
    STEWARDS,
    access_agent,
    access_member,
    access_platform,
    is_member,
    role_of,
)
from .members import ADDABLE_ROLES, signed_up
from .models import Membership, Platform, PlatformStatus, Role, SettingChange

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


platforms_router = Router(tags=["platforms"], auth=PUBLIC)


def visible_platforms(user):
    """Public platforms, the private ones where `user` is a member, and the drafts where
    `user` is a founder (steward); nobody else's drafts."""
    mine, founded = Q(pk__in=[]), Q(pk__in=[])
    if user.is_authenticated:
        mine = Q(agents__user=user, agents__memberships__role__in=MEMBER_ROLES)
        founded = Q(pk__in=founding.founder_platforms(user).values("pk"))
    listed = (Q(is_public=True) | mine) & ~Q(status=PlatformStatus.DRAFT)
    return (
        Platform.objects.filter(listed | founded)
        .distinct()
        .select_related("place", "host")
        .order_by("name")
    )


def roles_in(platform: Platform) -> dict[int, str]:
    return dict(Membership.objects.filter(platform=platform).values_list("agent_id", "role"))


@platforms_router.get(
    "/platforms", response={200: list[PlatformOut], ERRORS: ErrorOut}, summary="Visible platforms"
)
def list_platforms(request):
    return [platform_out(p, request.auth) for p in visible_platforms(request.auth)]


@platforms_router.get(
    "/platforms/{slug}", response={200: PlatformOut, ERRORS: ErrorOut}, summary="A platform"
)
def get_platform(request, slug: Slug):
    return platform_out(access_platform(request.auth, slug), request.auth)


@platforms_router.get(
    "/platforms/{slug}/agents",
    response={200: list[AgentOut], ERRORS: ErrorOut},
    summary="Its agents: public profiles, or everyone for members",
)
def list_agents(request, slug: Slug):
    platform = access_platform(request.auth, slug)
    agents = Agent.objects.filter(platform=platform).order_by("name", "slug")
    if not is_member(request.auth, platform):
        agents = agents.filter(is_public=True)
    roles = roles_in(platform)
    return [agent_out(agent, roles.get(agent.pk)) for agent in agents]


@platforms_router.get(
    "/platforms/{slug}/agents/{agent_slug}",
    response={200: AgentOut, ERRORS: ErrorOut},
    summary="An agent",
)
def get_agent(request, slug: Slug, agent_slug: Slug):
    agent = access_agent(request.auth, slug, agent_slug)
    return agent_out(agent, roles_in(agent.platform).get(agent.pk))


@platforms_router.get(
    "/platforms/{slug}/export",
    auth=TOKEN,
    response={200: dict, ERRORS: ErrorOut},
    summary="Its export: the platform file, or ValueFlows 1.0 JSON-LD (hosts and facilitators)",
)
def export(request, slug: Slug, format: Literal["tribu", "valueflows"] = "tribu"):
    """The same document as `tribu export` (`--format valueflows`: docs/valueflows.md)."""
    platform, _actor, _role = access_member(request.auth, slug, roles=STEWARDS)
    data = export_platform(platform)
    return to_valueflows(data) if format == "valueflows" else data


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@platforms_router.get(
    "/templates/events.xlsx",
    response={200: None, ERRORS: ErrorOut},
    summary="The events spreadsheet template (French or English), for `tribu import`",
)
def events_spreadsheet(request, language: Literal["fr", "en"] = "fr"):
    response = HttpResponse(events_template(language), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tribu-events-{language}.xlsx"'
    return response


# --- founding and settings -------------------------------------------------------


class SettingsIn(BodyIn):
    """Every setting is optional on update; numbers are checked by the service, so that a
    negative rent gets the same words as on the web form."""

    name: Text | None = None
    cause_title: Text | None = None
    manifesto: Text | None = None
    cause_category: Text | None = None
    cause_detail: Text | None = None
    carrier_profile: Text | None = None
    address: Text | None = None
    commune_code: Text | None = None
    region_code: Text | None = None
    surface_m2: int | None = None
    capacity: int | None = None
    monthly_rent: Decimal | None = None
    monthly_charges: Decimal | None = None
    opening_date: Day | None = None
    is_public: bool | None = None
    vouches_required: int | None = None
    trial_days: int | None = None


class FoundIn(SettingsIn):
    name: Text
    cause_title: Text
    host_name: Text
    founder_name: Text = ""
    slug: Text = ""


class FoundedOut(PlatformOut):
    status: str
    cause_category: str
    cause_detail: str
    commune_code: str
    region_code: str
    monthly_rent: Decimal | None
    monthly_charges: Decimal | None
    opening_date: date | None


class ChangeOut(Schema):
    field: str
    before: str
    after: str
    by: str | None
    at: datetime


class StatusIn(BodyIn):
    status: Text


def founded_out(platform: Platform, user) -> dict:
    extra = {
        name: getattr(platform, name)
        for name in FoundedOut.model_fields
        if name not in PlatformOut.model_fields
    }
    return {**platform_out(platform, user), **extra}


@platforms_router.post(
    "/platforms",
    auth=TOKEN,
    response={201: FoundedOut, ERRORS: ErrorOut},
    summary="Start a platform (a draft, visible to its founder until opened)",
)
def found(request, data: FoundIn):
    fields = data.dict(exclude_none=True)
    platform = founding.found_platform(request.auth, **fields)
    return Status(201, founded_out(platform, request.auth))


@platforms_router.patch(
    "/platforms/{slug}",
    auth=TOKEN,
    response={200: FoundedOut, ERRORS: ErrorOut},
    summary="Change settings (stewards); each change is kept in the history",
)
def update(request, slug: Slug, data: SettingsIn):
    platform = founding.steward_platform(request.auth, slug)
    founding.update_settings(platform, request.auth, **data.dict(exclude_none=True))
    return founded_out(platform, request.auth)


@platforms_router.post(
    "/platforms/{slug}/status",
    auth=TOKEN,
    response={200: FoundedOut, ERRORS: ErrorOut},
    summary="Open a draft, or close an open platform (stewards)",
)
def change_status(request, slug: Slug, data: StatusIn):
    platform = founding.steward_platform(request.auth, slug)
    founding.set_status(platform, request.auth, data.status)
    return founded_out(platform, request.auth)


@platforms_router.get(
    "/platforms/{slug}/settings/history",
    auth=TOKEN,
    response={200: list[ChangeOut], ERRORS: ErrorOut},
    summary="Who changed which setting, when (stewards)",
)
def history(request, slug: Slug):
    platform = founding.steward_platform(request.auth, slug)
    changes = SettingChange.objects.filter(platform=platform).select_related("by")
    return [
        {
            "field": c.field,
            "before": c.before,
            "after": c.after,
            "by": c.by.get_username() if c.by else None,
            "at": c.at,
        }
        for c in changes
    ]
