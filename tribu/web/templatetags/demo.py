"""`{% demo_logins as people %}`: a few demo people to log in as, on the login page of a
site that holds the illustrative platforms (their password is published on purpose)."""

from django import template

from tribu.platforms.models import Membership, Platform, Role

register = template.Library()
SHOWN = (Role.HOST, Role.FACILITATOR, Role.RESIDENT)


@register.simple_tag
def demo_logins() -> list[dict]:
    from tribu.demo.kit import DEMO_PASSWORD

    people = []
    for platform in Platform.objects.filter(is_demo=True).order_by("name"):
        for role in SHOWN:
            member = (
                Membership.objects.filter(platform=platform, role=role, agent__user__isnull=False)
                .select_related("agent__user")
                .order_by("agent__slug")
                .first()
            )
            if member is not None:
                people.append(
                    {
                        "platform": platform.name,
                        "role": Role(role).label,
                        "name": member.agent.name,
                        "username": member.agent.user.username,
                    }
                )
    return {"people": people, "password": DEMO_PASSWORD} if people else {}
