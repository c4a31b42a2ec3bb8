"""`{% demo_logins as people %}`: a few demo people to log in as, on the login page of a
site that holds the illustrative platforms (their password is published on purpose)."""

from django import template

from tribu.platforms.models import Membership, Role

register = template.Library()
SHOWN = (Role.HOST, Role.FACILITATOR, Role.RESIDENT)
PLATFORMS_AT_MOST = 4  # a login page, not a directory: a site may hold many illustrative ones


@register.simple_tag
def demo_logins() -> dict:
    from tribu.demo.kit import DEMO_PASSWORD

    # One query for every candidate; the first person (by slug) of each platform and role.
    candidates = (
        Membership.objects.filter(platform__is_demo=True, role__in=SHOWN, agent__user__isnull=False)
        .select_related("platform", "agent__user")
        .order_by("platform__name", "platform_id", "agent__slug")
    )
    chosen: dict[tuple[int, str], Membership] = {}
    platforms: list[int] = []
    for member in candidates.iterator():
        if member.platform_id not in platforms:
            if len(platforms) == PLATFORMS_AT_MOST:
                break
            platforms.append(member.platform_id)
        chosen.setdefault((member.platform_id, member.role), member)
    people = [
        _person(chosen[(p, role)]) for p in platforms for role in SHOWN if (p, role) in chosen
    ]
    return {"people": people, "password": DEMO_PASSWORD} if people else {}


def _person(member: Membership) -> dict:
    return {
        "platform": member.platform.name,
        "role": Role(member.role).label,
        "name": member.agent.name,
        "username": member.agent.user.username,
    }
