"""What both demo platforms are built with: a calendar, logins, extra catalogue rows, and
a ledger helper that records a flow and has the real counterparty confirm it.

Everything goes through the services (platforms, catalogue, ledger): the demo is an
ordinary user of Tribu, so what it builds is exactly what a real platform could hold.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from tribu.agents.models import Agent, AgentKind
from tribu.ledger.catalogue import default_rows
from tribu.ledger.models import EconomicEvent, ResourceSpecification
from tribu.ledger.services import Flow, confirm_event, record_event
from tribu.platforms.models import Platform
from tribu.platforms.services import add_agent, represent

SEED = 2026
DEMO_PASSWORD = "tribu-demo"  # noqa: S105 - published on purpose: visitors log in with it
DEMO_EMAIL_DOMAIN = "demo.tribu.invalid"
ILLUSTRATIVE = (
    "Données illustratives : les personnes, organisations et chiffres de cette plateforme "
    "sont plausibles, pas réels."
)


def seeded() -> random.Random:
    # Not for security: a fixed seed so that every run builds the same demo.
    return random.Random(SEED)  # noqa: S311


# --- calendar -------------------------------------------------------------------


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def whole_months(today: date, count: int = 12) -> list[date]:
    """The first days of the `count` whole months before today's month, oldest first.

    The default report covers the last twelve whole months, so the demo's year lands in it.
    """
    current = today.replace(day=1)
    return [add_months(current, -n) for n in range(count, 0, -1)]


def day_in(month: date, rng: random.Random) -> date:
    return month.replace(day=rng.randint(1, 28))


# --- catalogue ------------------------------------------------------------------


def catalogue_with(*extra: dict) -> list[dict]:
    """The default catalogue plus the demo's own specifications, unless it already has them."""
    rows = default_rows()
    known = {row["slug"] for row in rows}
    return rows + [row for row in extra if row["slug"] not in known]


FACILITATION_ROW = {
    "slug": "facilitation-fee",
    "name_en": "Facilitation (fee or salary)",
    "name_fr": "Animation (honoraires ou salaire)",
    "unit": "month",
    "market": "true",
    "headline": "true",
    "cvn_account": "",
    "source": "Market: the facilitator's invoice or payslip",
    "source_date": "2026-01-01",
}


# --- people ---------------------------------------------------------------------


class Logins:
    """Demo logins: username = agent slug, one published password, an address that
    cannot receive mail. An existing account that is not a demo one is never taken over."""

    def __init__(self) -> None:
        self._hash: str | None = None

    def for_person(self, slug: str, name: str):
        users = get_user_model().objects
        email = f"{slug}@{DEMO_EMAIL_DOMAIN}"
        existing = users.filter(username=slug).first()
        if existing:
            return existing if existing.email == email else None
        first, _, last = name.partition(" ")
        user = users.create(
            username=slug, email=email, password=self._password(), first_name=first, last_name=last
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _password(self) -> str:
        # Hashing is deliberately slow; the password is public anyway, so hash it once.
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


@dataclass
class Cast:
    """Adds the people and organizations of one demo platform."""

    platform: Platform
    logins: Logins = field(default_factory=Logins)

    def person(
        self, slug: str, name: str, role: str, *, bio: str = "", public: bool = False
    ) -> Agent:
        return add_agent(
            self.platform,
            slug=slug,
            name=name,
            role=role,
            bio=bio,
            is_public=public,
            user=self.logins.for_person(slug, name),
        )

    def organization(
        self,
        slug: str,
        name: str,
        role: str | None = None,
        *,
        bio: str = "",
        people: tuple[Agent, ...] = (),
    ) -> Agent:
        org = add_agent(
            self.platform,
            slug=slug,
            name=name,
            kind=AgentKind.ORGANIZATION,
            role=role,
            bio=bio,
            is_public=True,
        )
        for person in people:
            represent(org, person)
        return org


# --- ledger ---------------------------------------------------------------------


class DemoLedger:
    """Records flows through the ledger services; the counterparty confirms, or not."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.specs = {s.slug: s for s in ResourceSpecification.objects.filter(platform=platform)}

    def flow(
        self, action: str, spec: str, provider: Agent, receiver: Agent, quantity, on: date, **extra
    ) -> Flow:
        for name in ("money_amount", "declared_value", "effort_quantity"):
            if extra.get(name) is not None:
                extra[name] = Decimal(str(extra[name]))
        return Flow(
            action=action,
            provider=provider,
            receiver=receiver,
            specification=self.specs[spec],
            quantity=Decimal(str(quantity)),
            occurred=on,
            **extra,
        )

    def record(
        self,
        by: Agent,
        action: str,
        spec: str,
        provider: Agent,
        receiver: Agent,
        quantity,
        on: date,
        *,
        confirm_by: Agent | None = None,
        **extra,
    ) -> EconomicEvent:
        """Record as `by`; `confirm_by` (the counterparty) confirms, or it stays proposed."""
        flow = self.flow(action, spec, provider, receiver, quantity, on, **extra)
        event, _created = record_event(self.platform, by, flow)
        if confirm_by is not None:
            confirm_event(event, confirm_by)
        return event
