"""The space in the demo: Le Sentier's rooms, bookings, gatherings and invoices, and Open
Résidence's residency agreements. Called by the demo builder (`tribu.demo.build.extend`)
right after it built the platforms; everything goes through `tribu.spaces.services`.

Dates are relative to today so that the demo always has a past (already in the ledger,
in the last twelve whole months that reports show by default) and a future. The figures
are illustrative, not real.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.platforms.models import Membership, Platform, Role

from . import services

SENTIER = "le-sentier"
RESIDENCE = "open-residence"

SENTIER_RESOURCES = (
    # slug, name, kind, capacity, beds, note
    ("chambre-mekong", "Chambre Mékong", "room", 2, 2, "Deux lits simples, salle d'eau."),
    ("chambre-seine", "Chambre Seine", "room", 1, 1, "Un lit, sur cour."),
    ("poste-1", "Poste 1", "desk", 1, 0, ""),
    ("poste-2", "Poste 2", "desk", 1, 0, ""),
    ("poste-3", "Poste 3", "desk", 1, 0, ""),
    ("salle-saigon", "Salle Saïgon", "meeting_room", 10, 0, "Écran, tableau blanc."),
    ("agora", "Agora", "event_space", 50, 0, "L'espace événementiel, 50 personnes debout."),
)


def extend(platforms: dict[str, Platform], log) -> None:
    if SENTIER in platforms:
        log(_("Demo: Le Sentier's rooms, bookings, gatherings and invoices…"))
        Sentier(platforms[SENTIER]).build()
    if RESIDENCE in platforms:
        log(_("Demo: Open Résidence's residency agreements…"))
        residency_agreements(platforms[RESIDENCE])


def agent(platform: Platform, *slugs: str) -> Agent | None:
    """The first of `slugs` that exists: the demo's cast may change without breaking this."""
    for slug in slugs:
        found = Agent.objects.filter(platform=platform, slug=slug).first()
        if found:
            return found
    return None


def with_role(platform: Platform, *roles: str) -> list[Agent]:
    return [
        m.agent
        for m in Membership.objects.filter(platform=platform, role__in=roles)
        .select_related("agent")
        .order_by("agent__slug")
    ]


class Sentier:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.zone = services.local_zone(platform)
        self.today = timezone.localdate(timezone=self.zone)
        self.host = platform.host
        staff = list(self.host.representatives.order_by("slug"))
        self.employee = agent(platform, "quentin") or staff[0]
        self.manager = agent(platform, "hana") or staff[0]
        residents = with_role(platform, Role.RESIDENT)
        self.residents = residents or staff
        self.resources = {}

    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        day = self.today + timedelta(days=days)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)), self.zone)

    def build(self) -> None:
        for slug, name, kind, capacity, beds, note in SENTIER_RESOURCES:
            self.resources[slug] = services.add_resource(
                self.platform,
                slug=slug,
                name=name,
                kind=kind,
                capacity=capacity,
                beds=beds,
                note=note,
            )
        self.rooms_for_colleagues()
        self.meetings()
        self.gatherings()
        self.learning_expeditions()
        services.bookings_to_ledger(platform=self.platform)

    def rooms_for_colleagues(self) -> None:
        """Staff passing through, booked by a host employee on behalf of the host."""
        room = self.resources["chambre-mekong"]
        services.book(
            self.platform,
            self.employee,
            room,
            self.at(-40, 17),
            self.at(-37, 10),
            beneficiary=self.host,
            note="Minh (Officience Hô Chi Minh-Ville)",
        )
        services.book(
            self.platform,
            self.employee,
            room,
            self.at(8, 17),
            self.at(10, 10),
            beneficiary=self.host,
            note="Linh (Officience Hanoï)",
        )
        services.book(
            self.platform,
            self.manager,
            self.resources["chambre-seine"],
            self.at(15, 18),
            self.at(19, 10),
            beneficiary=self.host,
            note="Đức (direction d'Officience)",
        )

    def meetings(self) -> None:
        salle = self.resources["salle-saigon"]
        first, second = self.residents[0], self.residents[min(1, len(self.residents) - 1)]
        services.book(
            self.platform,
            first,
            salle,
            self.at(-35, 10),
            self.at(-35, 12),
            note="Réunion de coopérative",
        )
        services.book(
            self.platform, second, salle, self.at(2, 14), self.at(2, 16), note="Entretiens"
        )
        services.book(
            self.platform, first, self.resources["poste-1"], self.at(1, 9), self.at(1, 18)
        )

    def gatherings(self) -> None:
        agora = self.resources["agora"]
        services.create_gathering(
            self.platform,
            self.manager,
            kind="apero",
            title="Apéro du Sentier",
            description="L'apéro mensuel offert par Officience à la tribu.",
            resource=agora,
            start=self.at(-33, 18, 30),
            end=self.at(-33, 21, 30),
            on_behalf_of=self.host,
        )
        upcoming = services.create_gathering(
            self.platform,
            self.manager,
            kind="apero",
            title="Apéro de saison",
            description="Venez comme vous êtes.",
            resource=agora,
            start=self.at(12, 18, 30),
            end=self.at(12, 21, 30),
            capacity=40,
            on_behalf_of=self.host,
        )
        for resident in self.residents[:5]:
            services.register(upcoming, resident)
        speaker = self.residents[-1]
        services.create_gathering(
            self.platform,
            speaker,
            kind="talk",
            title="Le travail sans bureau fixe",
            resource=agora,
            start=self.at(20, 12, 30),
            end=self.at(20, 14),
            capacity=30,
        )

    def legal_details(self) -> None:
        for slug, (name, address, siret) in DEMO_LEGAL.items():
            who = self.platform.host if slug == "host" else agent(self.platform, slug)
            if who is not None:
                vat = _demo_vat_number(siret) if siret else ""
                services.set_legal_details(
                    who, legal_name=name, address=address, siret=siret, vat_number=vat
                )

    def learning_expeditions(self) -> None:
        agora = self.resources["agora"]
        self.legal_details()
        client = agent(self.platform, "banque-horizon")
        if client is not None:
            past = services.create_gathering(
                self.platform,
                self.manager,
                kind="learning_expedition",
                title="Learning expedition : le futur du travail",
                resource=agora,
                start=self.at(-45, 9, 30),
                end=self.at(-45, 12, 30),
                capacity=15,
                client=client,
                price=Decimal("2400.00"),
                invoiced_on=self.today - timedelta(days=45),
                is_public=False,
            )
            paid_on = self.today - timedelta(days=36)
            services.mark_invoice_paid(past.invoice, self.manager, paid_on=paid_on)
        client = agent(self.platform, "assurances-arc")
        if client is not None:
            services.create_gathering(
                self.platform,
                self.manager,
                kind="learning_expedition",
                title="Learning expedition : tiers-lieux et management",
                resource=agora,
                start=self.at(25, 9, 30),
                end=self.at(25, 12, 30),
                capacity=15,
                client=client,
                price=Decimal("1800.00"),
                is_public=False,
            )


# Made-up legal details for the demo's invoices (the numbers belong to no real company).
DEMO_LEGAL = {
    "host": ("Officience SAS (démo)", "12 rue du Sentier\n75002 Paris", "90000000100017"),
    "banque-horizon": ("Banque Horizon SA (démo)", "8 avenue de l'Opéra\n75001 Paris", ""),
    "assurances-arc": ("Assurances Arc (démo)", "3 quai de la Loire\n44000 Nantes", ""),
}


def _demo_vat_number(siret: str) -> str:
    """The French VAT number a SIREN gives (key = (12 + 3 × (SIREN mod 97)) mod 97)."""
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"


def residency_agreements(platform: Platform) -> None:
    """One agreement per resident (and alumnus) from the terms the demo wrote in their bio."""
    from tribu.demo.residence import residency_of

    steward = with_role(platform, Role.FACILITATOR, Role.HOST)[0]
    for resident in with_role(platform, Role.RESIDENT, Role.ALUMNI):
        terms = residency_of(resident)
        if terms is None:
            continue
        start: date = terms.start
        services.create_agreement(
            platform,
            steward,
            resident,
            start=start,
            end=services.add_months(start, terms.months),
            days_owed_per_month=terms.days_per_month,
            note="Résidence gratuite de 4 mois, renouvelable jusqu'à 12 (illustratif).",
        )
