"""Le Sentier: the seed's own example, 200 m² in Paris that a company host rents and opens
to people who share its Cause, with a year of flows covering every benefit in its list.

Quantities are chosen to be plausible, one by one; none is tuned to make the host's
balance sheet come out one way or the other. The figures are illustrative, not real.
"""

import random
from datetime import date
from decimal import Decimal

from tribu.agents.models import Agent
from tribu.ledger.catalogue import current_values, edit_catalogue
from tribu.ledger.models import ResourceSpecification
from tribu.ledger.services import confirm_event, correct_event, dispute_event
from tribu.platforms.models import CarrierProfile, CauseCategory, Platform, Role
from tribu.platforms.services import create_platform, represent

from .kit import (
    FACILITATION_ROW,
    ILLUSTRATIVE,
    Cast,
    DemoLedger,
    catalogue_with,
    day_in,
    seeded,
    whole_months,
)

SLUG = "le-sentier"

# Rent. 200 m² of second-hand offices in the Sentier (Paris 2e, on the edge of the central
# business district): about 600 € HT HC per m² per year, below the district's prime rents
# of 1,000 € and more (CBRE Paris office rent maps 2022-2024; Cushman & Wakefield rents by
# metro station, 2023, up to 800-900 € in the most central stations), plus about 80 € per
# m² per year of service charges and property tax: 200 × 680 / 12 ≈ 11,300 € a month.
MONTHLY_RENT = 11300
# Facilitation: one day a week of a freelance facilitator at about 300 € HT a day.
MONTHLY_FACILITATION = 1300

EMPLOYEES = (
    ("hana", "Hana Lê", "Responsable du bureau parisien d'Officience."),
    (
        "quentin",
        "Quentin Roux",
        "Chef de projet chez Officience, en lien avec les équipes de Hô Chi Minh-Ville.",
    ),
    ("mai", "Mai Trần", "Développeuse chez Officience, détachée à Paris."),
)
FACILITATOR = (
    "fanny",
    "Fanny Leclerc",
    "Anime le lieu un jour par semaine ; le futur du travail chevillé au corps.",
)
# slug, name, project, public, month of arrival (0 = there before the year began)
RESIDENTS = (
    ("claire", "Claire Dubois", "Coopérative d'activité pour freelances du numérique.", True, 0),
    ("youssef", "Youssef Benali", "Portage salarial à frais transparents.", True, 0),
    ("ines", "Inès Garnier", "Podcast sur les nouvelles formes de travail.", True, 0),
    ("julien", "Julien Morel", "Logiciel libre de gouvernance partagée pour PME.", True, 0),
    (
        "amandine",
        "Amandine Petit",
        "Conseil aux entreprises qui passent à la semaine de quatre jours.",
        False,
        0,
    ),
    ("karim", "Karim Haddad", "Tiers-lieux itinérants pour travailleurs ruraux.", True, 2),
    ("sophie", "Sophie Laurent", "Recherche-action sur le revenu de base et le travail.", False, 0),
    ("theo", "Théo Blanchard", "Recrutement sans CV, par mises en situation.", True, 3),
    ("nadia", "Nadia Ferreira", "Accompagnement d'équipes auto-organisées.", True, 1),
    ("lucas", "Lucas Girard", "Conception d'espaces de travail partagés.", False, 4),
    ("emma", "Emma Rousseau", "Réputation portable pour travailleurs indépendants.", True, 5),
    (
        "olivier",
        "Olivier Faure",
        "Formation des managers à la décision par consentement.",
        False,
        6,
    ),
    ("binh", "Bình Phạm", "Studio de développement à distance franco-vietnamien.", True, 0),
    ("chloe", "Chloé Mercier", "Journaliste indépendante : le travail de demain.", True, 7),
    ("malik", "Malik Diallo", "Réseau d'entraide pour les travailleurs des plateformes.", False, 8),
)
# slug, organization, contact slug, contact name
CLIENTS = (
    ("banque-horizon", "Banque Horizon (démo)", "pierre", "Pierre Marchand"),
    ("assurances-arc", "Assurances Arc (démo)", "helene", "Hélène Robin"),
    ("groupe-lumen", "Groupe Lumen Énergie (démo)", "victor", "Victor Lemaire"),
    ("agence-numerique", "Agence publique du numérique (démo)", "agathe", "Agathe Noël"),
    ("cabinet-prisme", "Cabinet Prisme (démo)", "samuel", "Samuel Bertin"),
    ("mutuelle-solis", "Mutuelle Solis (démo)", "laure", "Laure Chevalier"),
)
STAFF_PASSING_THROUGH = (
    "Minh (Officience Hô Chi Minh-Ville)",
    "Linh (Officience Hanoï)",
    "Tuấn (Officience Huế)",
    "Phương (Officience Đà Nẵng)",
    "Đức (direction d'Officience)",
    "Thảo (Officience Hanoï)",
)
PROSPECTS = (
    ("une scale-up de la logistique", "une équipe de développement à distance"),
    ("une ONG internationale", "la refonte de son système d'information"),
    ("une mutuelle régionale", "un centre de services offshore"),
    ("un éditeur de logiciels RH", "de la tierce maintenance applicative"),
    ("une collectivité", "un audit d'accessibilité numérique"),
    ("une start-up de la santé", "une équipe produit dédiée"),
)
REPAIRS = (
    "Réparation de la chasse d'eau",
    "Montage d'étagères dans la salle d'apéro",
    "Remplacement d'ampoules et d'une prise",
    "Réparation du vidéoprojecteur",
    "Débouchage de l'évier de la cuisine",
    "Fixation des rideaux des chambres",
)
DECORATION = (
    "Peinture d'une fresque dans l'entrée",
    "Décoration de la salle pour l'apéroffie de fin d'année",
    "Plantes et aménagement du coin lecture",
)
GOODS = (
    ("Canapé d'occasion pour le salon (prix de l'annonce)", 250),
    ("Plantes vertes (ticket de caisse)", 85),
    ("Moulin à café (facture)", 120),
    ("Bibliothèque en bois de récupération (prix d'un meuble équivalent)", 180),
    ("Livres sur le futur du travail (prix neufs)", 140),
)
ARTICLES = (
    "« Au Sentier, une entreprise ouvre ses bureaux à ceux qui réinventent le travail » "
    "— Le Mag du Travail (titre fictif)",
    "« Les tiers-lieux d'entreprise, laboratoires du futur du travail » — Revue RH & "
    "Société (titre fictif)",
    "Podcast « Demain, le bureau » : un épisode enregistré au Sentier (émission fictive)",
)
SYNERGIES = (
    "Relecture d'un dossier de financement",
    "Atelier pitch avant une levée de fonds",
    "Aide sur un tableau de trésorerie",
    "Photos pour un site web",
    "Traduction anglaise d'une plaquette",
    "Conseil sur des statuts de SCIC",
    "Revue de code",
    "Animation d'un atelier d'intelligence collective",
    "Mise en relation avec une financeuse",
    "Aide pour un premier recrutement",
)


def build(today: date, log) -> Platform:
    rng = seeded()
    platform = create_platform(
        SLUG,
        name="Le Sentier",
        place_name="Le Sentier (lieu)",
        host={
            "slug": "officience",
            "name": "Officience (démo)",
            "bio": "Entreprise franco-vietnamienne de services numériques ; paie le loyer "
            "du lieu et y invite ceux qui partagent sa Cause.",
        },
        catalogue_rows=catalogue_with(FACILITATION_ROW),
        cause_title="Construire le futur du travail",
        manifesto=(
            "On loue un espace, 200 m² en plein cœur du Sentier, on le consacre à une Cause "
            "— construire le futur du travail — et on laisse venir y travailler des gens qui "
            "la partagent. Chacun a son propre projet ; à force de se côtoyer, ils "
            "s'entraident, et certaines synergies profitent à celui qui paie le loyer.\n\n"
            + ILLUSTRATIVE
        ),
        address="Rue du Sentier, 75002 Paris (adresse illustrative)",
        surface_m2=200,
        capacity=25,
        carrier_profile=CarrierProfile.COMPANY_HOST,
        cause_category=CauseCategory.FUTURE_OF_WORK,
        commune_code="75102",  # Paris 2e arrondissement
        region_code="11",
        opening_date=date(2019, 9, 2),
        # The rent above, split: 600 € per m² a year, and charges and tax for the rest.
        monthly_rent=Decimal(10000),
        monthly_charges=Decimal(MONTHLY_RENT - 10000),
        is_demo=True,
    )
    people = _people(platform)
    _state_press_value(platform, people["fanny"])
    Year(platform, people, rng, whole_months(today)).record_all()
    return platform


def _state_press_value(platform: Platform, facilitator: Agent) -> None:
    """Say outright that press coverage is worth no money in this balance sheet.

    The default catalogue leaves its high proxy open; a complete low / central / high of
    zero keeps the line off the headline and valued at nothing, as the Barcelona
    Principles ask, while still listing the coverage apart.
    """
    values = current_values(platform.pk)
    spec = ResourceSpecification.objects.get(platform=platform, slug="press-coverage")
    if values[spec.pk].proxy_high is not None:
        return
    edit_catalogue(
        platform,
        facilitator,
        {"press-coverage": {"proxy_low": "0", "proxy_central": "0", "proxy_high": "0"}},
        note="Couverture presse : aucune valeur monétaire (Principes de Barcelone).",
    )


def _people(platform: Platform) -> dict:
    cast = Cast(platform)
    host, place = platform.host, platform.place
    employees = [
        cast.person(slug, name, Role.HOST, bio=bio, public=slug == "hana")
        for slug, name, bio in EMPLOYEES
    ]
    for employee in employees:
        represent(host, employee)
    fanny = cast.person(*FACILITATOR[:2], Role.FACILITATOR, bio=FACILITATOR[2], public=True)
    represent(place, fanny)
    residents = {
        slug: cast.person(slug, name, Role.RESIDENT, bio=f"Projet : {project}", public=public)
        for slug, name, project, public, _arrival in RESIDENTS
    }
    gerard = cast.person(
        "gerard", "Gérard Vasseur", Role.GUEST, bio="Gérant de la SCI propriétaire des locaux."
    )
    landlord = cast.organization(
        "sci-sentier",
        "SCI Sentier Patrimoine (démo)",
        Role.GUEST,
        bio="Propriétaire des 200 m².",
        people=(gerard,),
    )
    clients = {}
    for slug, name, contact_slug, contact_name in CLIENTS:
        contact = cast.person(
            contact_slug,
            contact_name,
            Role.GUEST,
            bio=f"Contact de {name} pour les learning expeditions.",
        )
        clients[slug] = (cast.organization(slug, name, Role.GUEST, people=(contact,)), contact)
    return {
        "host": host,
        "place": place,
        "employees": employees,
        "fanny": fanny,
        "residents": residents,
        "landlord": (landlord, gerard),
        "clients": clients,
    }


class Year:
    """A year of flows in Le Sentier, month by month, recorded and confirmed by the people
    who would record and confirm them."""

    def __init__(
        self, platform: Platform, people: dict, rng: random.Random, months: list[date]
    ) -> None:
        self.ledger = DemoLedger(platform)
        self.rng, self.months = rng, months
        self.host, self.place, self.fanny = people["host"], people["place"], people["fanny"]
        self.employees = people["employees"]
        self.hana = self.employees[0]
        self.residents = people["residents"]
        self.landlord, self.gerard = people["landlord"]
        self.clients = people["clients"]

    def record_all(self) -> None:
        self.market_costs()
        self.rooms()
        self.event_space()
        self.desks()
        self.learning_expeditions()
        self.referrals()
        self.press()
        self.services_in_kind()
        self.goods_in_kind()
        self.residents_desks()
        self.synergies()

    def present(self, month: date) -> list[Agent]:
        """The residents already there in `month`."""
        index = self.months.index(month)
        return [self.residents[slug] for slug, *_rest, arrival in RESIDENTS if arrival <= index]

    def anyone_but(self, month: date, *excluded: Agent) -> Agent:
        return self.rng.choice([r for r in self.present(month) if r not in excluded])

    def employee(self) -> Agent:
        return self.rng.choice(self.employees)

    # --- market tier: what the host pays and what it bills --------------------------

    def market_costs(self) -> None:
        ledger = self.ledger
        for month in self.months:
            ledger.record(
                self.hana,
                "transfer",
                "rent",
                self.host,
                self.landlord,
                1,
                month.replace(day=5),
                money_amount=MONTHLY_RENT,
                note="Loyer et charges du mois (200 m²)",
                confirm_by=self.gerard,
            )
            ledger.record(
                self.hana,
                "transfer",
                "facilitation-fee",
                self.host,
                self.fanny,
                1,
                month.replace(day=28),
                money_amount=MONTHLY_FACILITATION,
                note="Animation du lieu, un jour par semaine (facture du mois)",
                confirm_by=self.fanny,
            )

    def learning_expeditions(self) -> None:
        count = self.rng.randint(8, 12)
        for number, month in enumerate(sorted(self.rng.sample(self.months, count)), start=1):
            client, contact = self.clients[self.rng.choice(CLIENTS)[0]]
            amount = self.rng.randrange(1500, 4001, 250)
            visitors = self.rng.randint(8, 25)
            self.ledger.record(
                self.hana,
                "transfer",
                "learning-expedition",
                client,
                self.host,
                1,
                day_in(month, self.rng),
                money_amount=amount,
                evidence=f"facture LE-{month.year}-{number:02d}",
                note=f"Learning expedition « Travailler autrement » : {visitors} personnes de "
                f"{client.name} visitent le lieu et rencontrent ses résidents.",
                confirm_by=contact,
            )

    # --- non-market tier: the host's benefits in the seed's list ---------------------

    def rooms(self) -> None:
        """Rooms that save hotel nights for staff passing through; one stay is disputed."""
        stays = sorted(
            day_in(self.rng.choice(self.months), self.rng) for _ in range(self.rng.randint(12, 16))
        )
        disputed = self.rng.randrange(len(stays))
        # Colleagues fly in from Vietnam: a stay is rarely shorter than half a week.
        for index, arrival in enumerate(stays):
            nights = self.rng.randint(4, 10)
            who = self.rng.choice(STAFF_PASSING_THROUGH)
            event = self.ledger.record(
                self.employee(),
                "use",
                "hotel-night",
                self.place,
                self.host,
                nights,
                arrival,
                note=f"Chambre du lieu : {nights} nuits pour {who}, de passage à Paris "
                "(nuits d'hôtel évitées).",
                confirm_by=None if index == disputed else self.fanny,
            )
            if index == disputed:
                dispute_event(
                    event,
                    self.fanny,
                    f"Le registre des chambres indique 2 nuits pour ce séjour, pas {nights}.",
                )

    def event_space(self) -> None:
        """The host's apéroffies (an evening, half a day of venue hire) and two full days."""
        for month in self.months:
            if month.month != 8:
                self.ledger.record(
                    self.employee(),
                    "use",
                    "event-space-day",
                    self.place,
                    self.host,
                    "0.5",
                    day_in(month, self.rng),
                    confirm_by=self.fanny,
                    note="Apéroffie : une soirée (une demi-journée de location de salle).",
                )
        for month in self.rng.sample(self.months, 2):
            self.ledger.record(
                self.hana,
                "use",
                "event-space-day",
                self.place,
                self.host,
                1,
                day_in(month, self.rng),
                confirm_by=self.fanny,
                note="Journée des Offies : séminaire d'équipe dans l'espace événementiel.",
            )

    def desks(self) -> None:
        """A desk for each of the host's three employees, every month: 36 desk-months."""
        for month in self.months:
            for employee in self.employees:
                self.ledger.record(
                    self.fanny,
                    "use",
                    "desk-month",
                    self.place,
                    self.host,
                    1,
                    month,
                    note=f"Poste de travail de {employee.name}.",
                    confirm_by=employee,
                )

    def referrals(self) -> None:
        """Business brought by coworkers, valued at probability × contract × margin."""
        for month in self.rng.sample(self.months, self.rng.randint(4, 6)):
            resident = self.anyone_but(month)
            prospect, need = self.rng.choice(PROSPECTS)
            signed = self.rng.random() < 0.2
            chance = 1.0 if signed else self.rng.choice((0.1, 0.2, 0.3, 0.5))
            contract = self.rng.choice((20000, 35000, 50000, 80000, 120000))
            margin = self.rng.choice((0.25, 0.30, 0.35))
            value = round(chance * contract * margin, 2)
            status = "contrat signé" if signed else "proposition en cours"
            self.ledger.record(
                resident,
                "deliverService",
                "business-referral",
                resident,
                self.host,
                1,
                day_in(month, self.rng),
                declared_value=f"{value:.2f}",
                confirm_by=self.hana,
                note=f"{resident.name} a présenté Officience à {prospect} qui cherche {need} "
                f"({status}) : probabilité de signature {chance:.0%} × contrat "
                f"{contract} € × marge brute {margin:.0%} = {value:.2f} €.",
            )

    def press(self) -> None:
        """Reputation: recorded, shown apart, never counted in the headline."""
        for month, article in zip(
            self.rng.sample(self.months, len(ARTICLES)), ARTICLES, strict=True
        ):
            self.ledger.record(
                self.fanny,
                "cite",
                "press-coverage",
                self.place,
                self.host,
                1,
                day_in(month, self.rng),
                note=article,
                confirm_by=self.hana,
            )

    def services_in_kind(self) -> None:
        """Coffee, small repairs, decoration; one is corrected, one still awaits its check."""
        barista = self.residents["youssef"]
        for month in self.months:
            self.ledger.record(
                barista,
                "deliverService",
                "volunteer-hour",
                barista,
                self.host,
                self.rng.randint(2, 5),
                day_in(month, self.rng),
                confirm_by=self.employee(),
                note="Café et accueil des visiteurs d'Officience (apéroffie, visites).",
            )
        for label in REPAIRS:
            month = self.rng.choice(self.months)
            resident = self.anyone_but(month)
            self.ledger.record(
                resident,
                "deliverService",
                "volunteer-hour",
                resident,
                self.host,
                self.rng.randint(1, 4),
                day_in(month, self.rng),
                note=label,
                confirm_by=self.employee(),
            )
        for label in DECORATION:
            self.decoration(label)
        self.awaiting_confirmation()

    def decoration(self, label: str) -> None:
        month = self.rng.choice(self.months)
        resident = self.anyone_but(month)
        hours = self.rng.randint(3, 8)
        if label != DECORATION[0]:
            self.ledger.record(
                resident,
                "deliverService",
                "volunteer-hour",
                resident,
                self.host,
                hours,
                day_in(month, self.rng),
                note=label,
                confirm_by=self.employee(),
            )
            return
        # A typing slip, confirmed by mistake, then corrected by the one who recorded it.
        on = day_in(month, self.rng)
        slip = self.ledger.record(
            resident,
            "deliverService",
            "volunteer-hour",
            resident,
            self.host,
            hours * 10,
            on,
            note=label,
            confirm_by=self.hana,
        )
        reason = f"Saisie erronée : {hours} heures, pas {hours * 10}."
        fixed = self.ledger.flow(
            "deliverService",
            "volunteer-hour",
            resident,
            self.host,
            hours,
            on,
            note=f"{label}. {reason}",
        )
        correction = correct_event(slip, resident, fixed, reason)
        confirm_event(correction, self.hana)

    def awaiting_confirmation(self) -> None:
        month = self.months[-1]
        resident = self.anyone_but(month)
        self.ledger.record(
            resident,
            "deliverService",
            "volunteer-hour",
            resident,
            self.host,
            2,
            day_in(month, self.rng),
            note="Installation d'une imprimante pour l'équipe d'Officience.",
        )

    def goods_in_kind(self) -> None:
        for label, price in GOODS:
            month = self.rng.choice(self.months)
            resident = self.anyone_but(month)
            self.ledger.record(
                resident,
                "transfer",
                "in-kind-goods",
                resident,
                self.host,
                1,
                day_in(month, self.rng),
                declared_value=price,
                note=label,
                confirm_by=self.employee(),
            )

    # --- the rest of the tribe: what the place gives residents, what they give each other

    def residents_desks(self) -> None:
        for month in self.months:
            for resident in self.present(month):
                self.ledger.record(
                    self.fanny,
                    "use",
                    "desk-month",
                    self.place,
                    resident,
                    1,
                    month,
                    note="Poste de travail offert par le lieu.",
                    confirm_by=resident,
                )

    def synergies(self) -> None:
        for month in self.months:
            latest = month == self.months[-1]
            for turn in range(3):
                provider = self.anyone_but(month)
                receiver = self.anyone_but(month, provider)
                self.ledger.record(
                    provider,
                    "deliverService",
                    "volunteer-hour",
                    provider,
                    receiver,
                    self.rng.randint(1, 4),
                    day_in(month, self.rng),
                    note=self.rng.choice(SYNERGIES),
                    confirm_by=None if latest and turn == 0 else receiver,
                )
            for _turn in range(2):
                resident = self.anyone_but(month)
                self.ledger.record(
                    resident,
                    "use",
                    "meeting-room-hour",
                    self.place,
                    resident,
                    self.rng.randint(1, 4),
                    day_in(month, self.rng),
                    confirm_by=self.fanny,
                    note="Salle de réunion pour un rendez-vous client.",
                )
            if self.rng.random() < 0.6:
                resident = self.anyone_but(month)
                self.ledger.record(
                    resident,
                    "use",
                    "day-pass",
                    self.place,
                    resident,
                    self.rng.randint(1, 3),
                    day_in(month, self.rng),
                    confirm_by=None if latest else self.fanny,
                    note="Journées de coworking pour un associé de passage.",
                )
