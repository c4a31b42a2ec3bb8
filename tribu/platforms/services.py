"""Creating platforms and changing who holds which role; the only write path for both."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.ledger.catalogue import install_default_catalogue

from .access import STEWARDS, role_of
from .models import Membership, MembershipChange, Platform, PlatformStatus, Role, TrialArea
from .validation import SETTINGS, check_slug_free, clean_settings

PLATFORM_FIELDS = {
    "name",
    "cause_title",
    "manifesto",
    "cause_category",
    "cause_detail",
    "status",
    "address",
    "commune_code",
    "region_code",
    "monthly_rent",
    "monthly_charges",
    "opening_date",
    "surface_m2",
    "capacity",
    "currency",
    "carrier_profile",
    "time_zone",
    "is_public",
    "vouches_required",
    "trial_days",
    "trial_sees",
    "discount_rate",
    "count_inkind_costs",
    "is_demo",
}


@transaction.atomic
def create_platform(
    slug: str,
    *,
    place_name: str = "",
    host: dict | None = None,
    catalogue_rows: list[dict] | None = None,
    catalogue_note: str | None = None,
    **fields,
) -> Platform:
    """A platform with its place (an Organization), its host, and the default catalogue."""
    unknown = set(fields) - PLATFORM_FIELDS
    if unknown:
        raise TribuError(_("platform: unknown field(s) %(f)s") % {"f": ", ".join(sorted(unknown))})
    check_slug_free(slug)
    draft = fields.get("status") == PlatformStatus.DRAFT
    fields.update(clean_settings({k: v for k, v in fields.items() if k in SETTINGS}, draft=draft))
    platform = Platform.objects.create(slug=slug, **fields)
    platform.place = Agent.objects.create(
        platform=platform,
        slug="lieu",
        kind=AgentKind.ORGANIZATION,
        name=place_name or platform.name,
        is_public=True,
    )
    if host:
        platform.host = add_agent(platform, role=Role.HOST, kind=AgentKind.ORGANIZATION, **host)
    platform.save(update_fields=["place", "host"])
    install_default_catalogue(platform, catalogue_rows, catalogue_note)
    return platform


def free_slug(platform: Platform, name: str) -> str:
    """A slug for `name` that no agent of the platform uses yet (alice, alice-2, …)."""
    base = slugify(name) or "membre"
    slug, n = base, 1
    while Agent.objects.filter(platform=platform, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def add_agent(
    platform: Platform,
    *,
    slug: str = "",
    name: str,
    kind: str = AgentKind.PERSON,
    role: str | None = None,
    user=None,
    by: Agent | None = None,
    reason: str = "",
    **fields,
) -> Agent:
    slug = slug or slugify(name)
    if Agent.objects.filter(platform=platform, slug=slug).exists():
        raise Conflict(_("agent “%(slug)s” already exists") % {"slug": slug})
    agent = Agent.objects.create(
        platform=platform, slug=slug, name=name, kind=kind, user=user, **fields
    )
    if role:
        set_role(agent, role, by=by, reason=reason)
    return agent


@transaction.atomic
def set_role(agent: Agent, role: str, *, by: Agent | None = None, reason: str = "") -> Membership:
    """Give an agent a role in its platform; every change is kept in the history."""
    if role not in Role.values:
        raise TribuError(
            _("unknown role “%(role)s” (expected one of: %(choices)s)")
            % {"role": role, "choices": ", ".join(Role.values)}
        )
    membership, created = Membership.objects.get_or_create(
        platform_id=agent.platform_id, agent=agent, defaults={"role": role}
    )
    previous = "" if created else membership.role
    if not created and previous == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    MembershipChange.objects.create(
        platform_id=agent.platform_id,
        membership=membership,
        role=role,
        previous_role=previous,
        by=by,
        reason=reason,
    )
    return membership


def widen_trial(platform: Platform, steward: Agent, areas: list[str]) -> Platform:
    """A steward chooses which members' areas applicants and members on trial also see."""
    if steward.platform_id != platform.pk or role_of(steward) not in STEWARDS:
        raise PermissionDenied(_("only the host and facilitators choose what newcomers see"))
    unknown = sorted(set(areas) - set(TrialArea.values))
    if unknown:
        raise TribuError(
            _("areas: unknown “%(areas)s” (expected some of: %(choices)s)")
            % {"areas": ", ".join(unknown), "choices": ", ".join(TrialArea.values)}
        )
    platform.trial_sees = [area for area in TrialArea.values if area in areas]
    platform.save(update_fields=["trial_sees"])
    return platform


def represent(organization: Agent, person: Agent) -> None:
    """`person` may act (confirm, record) for `organization`."""
    if organization.platform_id != person.platform_id:
        raise TribuError(_("an organization is represented only by people of its own platform"))
    organization.representatives.add(person)
