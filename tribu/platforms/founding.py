"""Founding a platform and keeping its settings: the one path the web form, the API and
the import share.

A new platform is a draft: its founders only see it, until a steward opens it. Every
change of a setting is kept (who, what, when) in an append-only history.
"""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError

from .access import STEWARDS, access_platform, role_in
from .models import Platform, PlatformStatus, Role, SettingChange
from .services import add_agent, create_platform, represent
from .validation import (
    SETTINGS,
    check_slug_free,
    clean_settings,
    free_platform_slug,
    short_enough,
)


@transaction.atomic
def found_platform(
    user, *, host_name: str, founder_name: str = "", slug: str = "", **fields
) -> Platform:
    """A draft platform whose founder (`user`) represents its host and holds the host role."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to start a platform."))
    unknown = set(fields) - set(SETTINGS)
    if unknown:
        raise TribuError(_("platform: unknown field(s) %(f)s") % {"f": ", ".join(sorted(unknown))})
    fields.setdefault("name", "")
    fields.setdefault("cause_title", "")
    clean_settings(fields, draft=True)
    host_name = check_host_name(host_name)
    slug = slugify(slug)[:50] if slug else free_platform_slug(fields.get("name") or "")
    check_slug_free(slug)
    platform = create_platform(
        slug,
        status=PlatformStatus.DRAFT,
        host={"slug": free_agent_slug(host_name, {"lieu"}), "name": host_name, "is_public": True},
        **fields,
    )
    name = short_enough((founder_name or "").strip(), limit=200)
    name = name or user.get_full_name() or user.get_username()
    founder = add_agent(
        platform,
        slug=free_agent_slug(name, {"lieu", platform.host.slug}),
        name=name,
        user=user,
        role=Role.HOST,
        reason=_("Founder"),
    )
    represent(platform.host, founder)
    represent(platform.place, founder)
    SettingChange.objects.create(platform=platform, field="created", after=platform.name, by=user)
    return platform


def check_host_name(host_name: str) -> str:
    host_name = (host_name or "").strip()
    if not host_name:
        raise TribuError(_("Name the organisation that hosts the place and pays its rent."))
    return short_enough(host_name, limit=200)


def free_agent_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:45] or "membre"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def steward_platform(user, slug: str) -> Platform:
    """A platform whose settings `user` may change (a steward's), else 404 or 403."""
    platform = access_platform(user, slug)
    if role_in(user, platform) not in STEWARDS:
        raise PermissionDenied(
            _("Only the stewards of %(name)s change its settings.") % {"name": platform.name}
        )
    return platform


def _shown(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def update_settings(platform: Platform, user, **changes) -> list[SettingChange]:
    """Change some settings; each changed value is appended to the history."""
    if role_in(user, platform) not in STEWARDS:
        raise PermissionDenied(
            _("Only the stewards of %(name)s change its settings.") % {"name": platform.name}
        )
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise TribuError(_("platform: unknown field(s) %(f)s") % {"f": ", ".join(sorted(unknown))})
    check_not_closed(platform)
    clean = clean_settings(changes, draft=platform.status == PlatformStatus.DRAFT)
    kept = []
    for name, value in clean.items():
        before = getattr(platform, name)
        if before == value:
            continue
        setattr(platform, name, value)
        kept.append(
            SettingChange(
                platform=platform, field=name, before=_shown(before), after=_shown(value), by=user
            )
        )
    if kept:
        platform.save(update_fields=[c.field for c in kept])
        SettingChange.objects.bulk_create(kept)
    return kept


@transaction.atomic
def set_status(platform: Platform, user, status: str) -> Platform:
    """Open a draft (it becomes public, listed, joinable) or close an open platform."""
    if role_in(user, platform) not in STEWARDS:
        raise PermissionDenied(
            _("Only the stewards of %(name)s change its settings.") % {"name": platform.name}
        )
    allowed = {
        PlatformStatus.OPEN: {PlatformStatus.DRAFT},
        PlatformStatus.CLOSED: {PlatformStatus.OPEN},
    }
    if platform.status not in allowed.get(status, set()):
        raise Conflict(
            _("This platform is already “%(s)s”.") % {"s": PlatformStatus(platform.status).label}
        )
    SettingChange.objects.create(
        platform=platform, field="status", before=platform.status, after=status, by=user
    )
    platform.status = status
    platform.save(update_fields=["status"])
    return platform


def founder_platforms(user):
    """Drafts where `user` is a steward: listed for them on their own pages."""
    if not getattr(user, "is_authenticated", False):
        return Platform.objects.none()
    return Platform.objects.filter(
        status=PlatformStatus.DRAFT,
        agents__user=user,
        agents__memberships__role__in=STEWARDS,
    ).distinct()


def platform_by_slug(slug: str) -> Platform:
    """For the command line, which acts as the operator of the database."""
    platform = Platform.objects.filter(slug=slug).first()
    if platform is None:
        raise NotFound(_("no platform “%(slug)s”") % {"slug": slug})
    return platform


def check_not_closed(platform: Platform) -> None:
    """A closed platform is read-only: its history is kept as it was."""
    if platform.status == PlatformStatus.CLOSED:
        raise Conflict(
            _("%(name)s is closed: it is kept as it was, read-only.") % {"name": platform.name}
        )
