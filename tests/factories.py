"""Small builders for tests: a tribe with named people, and flows between them."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from tribu.agents.models import Agent, AgentKind
from tribu.ledger.models import ResourceSpecification
from tribu.ledger.services import Flow, record_event
from tribu.platforms.models import Platform, Role
from tribu.platforms.services import add_agent, create_platform, represent


@dataclass
class Tribe:
    platform: Platform
    place: Agent
    host: Agent
    hana: Agent  # works for the host and acts for it
    fanny: Agent  # facilitator
    alice: Agent  # resident
    bob: Agent  # resident
    landlord: Agent

    def spec(self, slug: str) -> ResourceSpecification:
        return ResourceSpecification.objects.get(platform=self.platform, slug=slug)


def make_user(username: str):
    email = f"{username}@example.org"
    return get_user_model().objects.create_user(username, email, "pw-" + username * 2)


def make_tribe(slug: str = "essai", users: bool = False) -> Tribe:
    platform = create_platform(
        slug,
        name=f"Tribu {slug}",
        cause_title="Le futur du travail",
        host={"slug": "hote", "name": "Hôte SA"},
    )
    host = platform.host

    def person(name: str, role: str) -> Agent:
        user = make_user(f"{name}-{slug}") if users else None
        return add_agent(platform, slug=name, name=name.capitalize(), role=role, user=user)

    hana, fanny = person("hana", Role.HOST), person("fanny", Role.FACILITATOR)
    alice, bob = person("alice", Role.RESIDENT), person("bob", Role.RESIDENT)
    landlord = add_agent(platform, slug="bailleur", name="Bailleur", kind=AgentKind.ORGANIZATION)
    represent(host, hana)
    represent(platform.place, fanny)
    return Tribe(platform, platform.place, host, hana, fanny, alice, bob, landlord)


def flow(
    tribe: Tribe,
    spec: str,
    provider: Agent,
    receiver: Agent,
    quantity,
    *,
    on: date = date(2026, 3, 10),
    **extra,
) -> Flow:
    return Flow(
        action=extra.pop("action", "use"),
        provider=provider,
        receiver=receiver,
        specification=tribe.spec(spec),
        quantity=quantity,
        occurred=on,
        **extra,
    )


def record(
    tribe: Tribe, actor: Agent, spec: str, provider: Agent, receiver: Agent, quantity, **extra
):
    event, _ = record_event(
        tribe.platform, actor, flow(tribe, spec, provider, receiver, quantity, **extra)
    )
    return event
