"""What every platform page needs to draw its sub-navigation: the visitor's role."""

from django.utils.translation import get_language

from tribu.platforms.access import MEMBER_ROLES, hidden_areas, is_steward, role_in
from tribu.platforms.models import Platform, Role


def platform_context(request, platform: Platform, **extra) -> dict:
    role = role_in(request.user, platform)
    return {
        "platform": platform,
        "role": role,
        "role_label": Role(role).label if role else "",
        "is_member": role in MEMBER_ROLES,
        "is_steward": is_steward(role),
        "hides": hidden_areas(role, platform),
        "language": language(),
        **extra,
    }


def language() -> str:
    return (get_language() or "fr")[:2]
