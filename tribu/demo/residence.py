"""Open Résidence: modelled on a community biology lab's residency programme.

About fifty residents in 750 m² get a free residency of four months, renewable up to
twelve, and owe in exchange up to five days a month of contribution to challenges that
partners fund. The association that carries the place pays the rent. Each resident's
terms are written in their bio (see `residency_of`) until the residency-terms model
takes them over. The figures are illustrative, not real.
"""

import random
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from tribu.agents.models import Agent
from tribu.ledger.services import confirm_event, correct_event, dispute_event
from tribu.platforms.models import CarrierProfile, CauseCategory, Platform, Role
from tribu.platforms.services import create_platform, represent, set_role
from tribu.spaces.services import set_legal_details

from .kit import (
    FACILITATION_ROW,
    ILLUSTRATIVE,
    Cast,
    DemoLedger,
    add_months,
    catalogue_with,
    day_in,
    seeded,
    whole_months,
)

SLUG = "open-residence"
CURRENT_RESIDENTS = 50
ALUMNI = 8
HOURS_PER_DAY = 7

# Rent. 750 m² of activity premises (ground floor and basement, fitted as a wet lab) in
# Paris 10e: offices there were asked about 350 € HT HC per m² per year in 2017
# (BureauxLocaux barometer), activity premises rent for less; we take 280 € plus 20 € of
# charges: 750 × 300 / 12 = 18,750 € a month.
MONTHLY_RENT = 18750
# The residency manager: a full-time salaried post, about 2,600 € gross a month, which
# costs the association about 3,600 € with employer contributions.
MONTHLY_SALARY = 3600

CONTRIBUTION_DAY_ROW = {
    "slug": "contribution-day",
    "name_en": "Contribution day (residency)",
    "name_fr": "Journée de contribution (résidence)",
    "unit": "day",
    "market": "false",
    "headline": "true",
    "cvn_account": "864",
    "proxy_low": "84.14",
    "proxy_central": "126.21",
    "proxy_high": "252.42",
    "displacement_high": "0.05",
    "attribution_low": "0.15",
    "attribution_central": "0.25",
    "attribution_high": "0.42",
    "drop_off_low": "0.10",
    "drop_off_central": "0.20",
    "drop_off_high": "0.50",
    "source": "7 hours at the volunteer-hour proxy: 1x / 1.5x / 3x the French minimum wage "
    "(SMIC) of 12.02 EUR gross per hour from 1 January 2026; days logged on the "
    "challenge's timesheet",
    "source_date": "2026-01-01",
}
PARTNER_FUNDING_ROW = {
    "slug": "partner-funding",
    "name_en": "Partner funding (challenge)",
    "name_fr": "Financement partenaire (défi)",
    "unit": "payment",
    "market": "true",
    "headline": "true",
    "cvn_account": "",
    "source": "Market: the funding agreement and the bank statement",
    "source_date": "2026-01-01",
}

# challenge, partner slug, partner name, contact slug, contact name
CHALLENGES = (
    (
        "Biodiversité urbaine",
        "fondation-vivant",
        "Fondation Vivant Commun (démo)",
        "armelle",
        "Armelle Caron",
    ),
    (
        "Fermentations durables",
        "cooperative-semis",
        "Coopérative Semis (démo)",
        "bruno",
        "Bruno Tessier",
    ),
    (
        "Diagnostic ouvert",
        "laboratoires-orion",
        "Laboratoires Orion (démo)",
        "celine",
        "Céline Marchal",
    ),
    ("Biomatériaux", "maison-lin", "Maison Lin & Co (démo)", "denis", "Denis Royer"),
    (
        "Sols vivants",
        "agence-environnement",
        "Agence régionale de l'environnement (démo)",
        "estelle",
        "Estelle Baron",
    ),
)
PROJECTS = (
    "Biocapteur d'eau potable à bas coût",
    "Cuir de mycélium pour la maroquinerie",
    "Kombucha de déchets de fruits",
    "Séquençage citoyen de la biodiversité des berges",
    "Microscope imprimé en 3D",
    "Encres bactériennes pour l'art",
    "Levures pour boulangers paysans",
    "Microbiome des sols urbains",
    "Test de diagnostic open source",
    "Spiruline en circuit court",
    "Bioplastique à base d'algues",
    "Ateliers de biologie pour collégiens",
    "Bio-impression de tissus végétaux",
    "Détection de pollens allergènes",
    "Fromages végétaux fermentés",
    "Teintures naturelles par fermentation",
    "Capteur d'arsenic par biologie de synthèse",
    "Banque de semences anciennes",
    "Enzymes pour recycler le PET",
    "Compost de quartier instrumenté",
)
FIRST_NAMES = """
Léa Hugo Manon Nathan Camille Louis Sarah Gabriel Jade Arthur Zoé Raphaël Lina Adam
Alice Tom Rose Noah Anna Jules Louise Ethan Mila Paul Nina Sacha Elsa Yanis Lou Mathis
Eva Axel Iris Rayan Margaux Clara Enzo Romane Samir Juliette Maël Jeanne Robin Salomé
Bastien Apolline Kenzo Maya Éloi Yasmine Antoine Fatou Matthieu Aïcha Simon Oriane
Tristan Leïla
""".split()
LAST_NAMES = """
Martin Bernard Thomas Robert Richard Durand Leroy Moreau Lefebvre Michel Garcia David
Bertrand Vincent Fournier André Dupont Lambert Bonnet François Martinez Legrand Blanc
Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez
Fontaine Masson Sanchez Nguyen Boyer Duval Joly Gautier Roger Diallo Traoré Benoît Rey
Colas Meyer Hamel Aubert Leclerc Renard Carré Marty Vidal Ollivier
""".split()


@dataclass(frozen=True)
class Residency:
    """A resident's terms: first month, months granted, days of contribution owed a month."""

    start: date
    months: int
    days_per_month: int

    def covers(self, month: date) -> bool:
        return self.start <= month < add_months(self.start, self.months)

    def text(self) -> str:
        return (
            f"Résidence : du {self.start.isoformat()}, {self.months} mois ; "
            f"{self.days_per_month} jours de contribution par mois "
            "(4 mois, renouvelables jusqu'à 12)."
        )


TERMS = re.compile(
    r"Résidence : du (\d{4}-\d{2}-\d{2}), (\d+) mois ; (\d+) jours de "
    r"contribution par mois"
)


def residency_of(agent: Agent) -> Residency | None:
    """The residency terms written in a demo resident's bio, if any."""
    found = TERMS.search(agent.bio or "")
    if not found:
        return None
    start, months, days = found.groups()
    return Residency(date.fromisoformat(start), int(months), int(days))


def build(today: date, log) -> Platform:
    rng = seeded()
    platform = create_platform(
        SLUG,
        name="Open Résidence",
        place_name="Open Résidence (lieu)",
        host={
            "slug": "open-bio",
            "name": "Association Open Bio (démo)",
            "bio": "Association de biologie ouverte et citoyenne ; porte le lieu et son "
            "programme de résidence.",
        },
        catalogue_rows=catalogue_with(FACILITATION_ROW, CONTRIBUTION_DAY_ROW, PARTNER_FUNDING_ROW),
        cause_title="Une biologie ouverte, citoyenne et utile",
        manifesto=(
            "Un laboratoire communautaire de 750 m² ouvert à qui porte un projet de "
            "biologie. La résidence est gratuite, pour quatre mois renouvelables jusqu'à "
            "douze ; en échange, chaque résident consacre jusqu'à cinq jours par mois aux "
            "défis que financent nos partenaires.\n\n" + ILLUSTRATIVE
        ),
        address="Quai de Valmy, 75010 Paris (adresse illustrative)",
        surface_m2=750,
        capacity=60,
        carrier_profile=CarrierProfile.COMMUNITY_LAB,
        cause_category=CauseCategory.EDUCATION,
        commune_code="75110",  # Paris 10e arrondissement
        region_code="11",
        opening_date=date(2021, 3, 1),
        is_demo=True,
    )
    Programme(platform, rng, today).record_all()
    return platform


class Programme:
    """The residency programme's year: people, residencies and their flows."""

    def __init__(self, platform: Platform, rng: random.Random, today: date) -> None:
        self.platform, self.rng = platform, rng
        self.current = today.replace(day=1)
        self.months = whole_months(today)
        self.ledger = DemoLedger(platform)
        self.cast = Cast(platform)
        self.host, self.place = platform.host, platform.place
        self.agnes = self.cast.person(
            "agnes", "Agnès Rivière", Role.HOST, public=True, bio="Coordinatrice de l'association."
        )
        represent(self.host, self.agnes)
        self.baptiste = self.cast.person(
            "baptiste",
            "Baptiste Colin",
            Role.FACILITATOR,
            public=True,
            bio="Responsable du programme de résidence, salarié de l'association.",
        )
        represent(self.place, self.baptiste)
        self.partners = {title: self._partner(*rest) for title, *rest in CHALLENGES}
        self.residents: list[tuple[Agent, Residency, str]] = []

    def _partner(self, slug: str, name: str, contact_slug: str, contact_name: str):
        contact = self.cast.person(
            contact_slug, contact_name, Role.GUEST, bio=f"Référent·e de {name} pour son défi."
        )
        return self.cast.organization(slug, name, Role.GUEST, people=(contact,)), contact

    def record_all(self) -> None:
        self.enrol()
        self.market_flows()
        for resident, residency, challenge in self.residents:
            self.residency_flows(resident, residency, challenge)
        self.exceptions()
        self.company_gift()
        self.graduate()

    # --- people -------------------------------------------------------------------

    def enrol(self) -> None:
        last_names = list(LAST_NAMES)
        self.rng.shuffle(last_names)
        for index, first in enumerate(FIRST_NAMES[: CURRENT_RESIDENTS + ALUMNI]):
            residency = self._residency(alumnus=index >= CURRENT_RESIDENTS)
            challenge = self.rng.choice(CHALLENGES)[0]
            name = f"{first} {last_names[index]}"
            bio = f"Projet : {self.rng.choice(PROJECTS)}.\n{residency.text()}\nDéfi : {challenge}."
            resident = self.cast.person(
                slugify(name), name, Role.RESIDENT, bio=bio, public=self.rng.random() < 0.5
            )
            self.residents.append((resident, residency, challenge))

    def graduate(self) -> None:
        """Residents whose residency has ended become alumni, once their flows are in."""
        for resident, residency, _challenge in self.residents:
            if not residency.covers(self.current):
                set_role(resident, Role.ALUMNI, by=self.baptiste, reason="Fin de la résidence.")

    def _residency(self, alumnus: bool) -> Residency:
        """Four months, renewed by four up to twelve; current ones cover today's month."""
        months = self.rng.choice((4, 4, 8) if alumnus else (4, 8, 8, 12, 12))
        elapsed = self.rng.randint(months + 1, 12) if alumnus else self.rng.randint(1, months - 1)
        days = self.rng.choice((3, 4, 5, 5, 5))
        return Residency(add_months(self.current, -elapsed), months, days)

    # --- flows --------------------------------------------------------------------

    def market_flows(self) -> None:
        landlord_contact = self.cast.person(
            "sylvie", "Sylvie Arnaud", Role.GUEST, bio="Gestionnaire chez le bailleur."
        )
        landlord = self.cast.organization(
            "fonciere-canal", "Foncière Canal (démo)", Role.GUEST, people=(landlord_contact,)
        )
        for month in self.months:
            self.ledger.record(
                self.agnes,
                "transfer",
                "rent",
                self.host,
                landlord,
                1,
                month.replace(day=5),
                money_amount=MONTHLY_RENT,
                note="Loyer et charges du mois (750 m²)",
                confirm_by=landlord_contact,
            )
            self.ledger.record(
                self.agnes,
                "transfer",
                "facilitation-fee",
                self.host,
                self.baptiste,
                1,
                month.replace(day=28),
                money_amount=MONTHLY_SALARY,
                confirm_by=self.baptiste,
                note="Salaire chargé du responsable de la résidence",
            )
        for challenge, (partner, contact) in self.partners.items():
            self.funding(challenge, partner, contact)

    def funding(self, challenge: str, partner: Agent, contact: Agent) -> None:
        budget = self.rng.choice((30000, 45000, 60000, 75000, 90000))
        instalments = self.rng.choice((2, 4))
        step = 12 // instalments
        for number in range(instalments):
            month = self.months[number * step]
            self.ledger.record(
                self.agnes,
                "transfer",
                "partner-funding",
                partner,
                self.host,
                1,
                day_in(month, self.rng),
                money_amount=budget // instalments,
                confirm_by=contact,
                note=f"Défi « {challenge} » : versement {number + 1} sur {instalments} "
                f"d'un budget annuel de {budget} €.",
            )

    def residency_flows(self, resident: Agent, residency: Residency, challenge: str) -> None:
        partner = self.partners[challenge][0]
        for month in self.months:
            if not residency.covers(month):
                continue
            self.ledger.record(
                self.baptiste,
                "use",
                "desk-month",
                self.place,
                resident,
                1,
                month,
                confirm_by=resident,
                note="Paillasse et poste de travail (valorisés comme un poste de "
                "coworking, faute de prix de référence pour une paillasse).",
            )
            owed = residency.days_per_month
            days = max(0, owed + self.rng.choice((-2, -1, 0, 0, 0, 0, 1)))
            if days:
                latest = month == self.months[-1]
                self.ledger.record(
                    resident,
                    "work",
                    "contribution-day",
                    resident,
                    self.host,
                    days,
                    day_in(month, self.rng),
                    effort_quantity=days * HOURS_PER_DAY,
                    confirm_by=None if latest and self.rng.random() < 0.2 else self.agnes,
                    note=f"Contribution au défi « {challenge} » financé par "
                    f"{partner.name} ({days} j sur {owed} dus ce mois-ci).",
                )

    def company_gift(self) -> None:
        """A partner company gives the association equipment: a gift with a receipt (238 bis)."""
        partner, contact = next(iter(self.partners.values()))
        set_legal_details(
            self.host,
            legal_name="Association Open Bio (démo)",
            address="Quai de Valmy, 75010 Paris (adresse illustrative)",
            siret="",
            vat_number="",
            rna="W751000000",
            purpose="Promouvoir une biologie ouverte, citoyenne et utile (objet illustratif).",
        )
        set_legal_details(
            partner,
            legal_name=f"{partner.name} SAS",
            address="Adresse illustrative, 75011 Paris",
            siret="00000000000000",
            vat_number="",
        )
        self.ledger.record(
            self.agnes,
            "transfer",
            "in-kind-goods",
            partner,
            self.host,
            2,
            self.months[-2].replace(day=12),
            declared_value=Decimal("3600"),
            note="Deux hottes à flux laminaire reconditionnées, au prix de revient déclaré.",
            confirm_by=contact,
        )

    def exceptions(self) -> None:
        """One contribution disputed with a reason, one corrected by its author."""
        resident, residency, challenge = self.residents[0]
        month = next(m for m in self.months if residency.covers(m))
        on = month.replace(day=27)
        disputed = self.ledger.record(
            resident,
            "work",
            "contribution-day",
            resident,
            self.host,
            3,
            on,
            effort_quantity=21,
            note=f"Atelier public du défi « {challenge} ».",
        )
        dispute_event(
            disputed,
            self.agnes,
            "La feuille de temps du défi ne montre qu'une journée d'atelier ce mois-ci, pas trois.",
        )
        resident, residency, challenge = self.residents[1]
        month = next(m for m in self.months if residency.covers(m))
        on = month.replace(day=26)
        slip = self.ledger.record(
            resident,
            "work",
            "contribution-day",
            resident,
            self.host,
            20,
            on,
            effort_quantity=140,
            confirm_by=self.agnes,
            note=f"Préparation d'échantillons, défi « {challenge} ».",
        )
        reason = "Saisie erronée : 2 jours, pas 20."
        fixed = self.ledger.flow(
            "work",
            "contribution-day",
            resident,
            self.host,
            2,
            on,
            effort_quantity=14,
            note=f"{slip.note} {reason}",
        )
        correction = correct_event(slip, resident, fixed, reason)
        confirm_event(correction, self.agnes)
