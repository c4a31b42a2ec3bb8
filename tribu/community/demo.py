"""Community life for the demo platforms: projects, needs and offers that match, an
introduction, the charter's first versions, a newcomer waiting for a second vouch.

Everything goes through `services`, as a real platform's members would do it; the
texts are illustrative.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.ledger.services import Flow, confirm_event, record_event
from tribu.platforms.access import STEWARDS, members
from tribu.platforms.models import Platform, Role

from . import services
from .models import Match

SENTIER_CHARTER = """\
1. Le lieu est ouvert à qui partage la Cause : le futur du travail.
2. Chacun range ce qu'il utilise ; la cuisine est propre avant 19 h.
3. Les appels se passent dans les cabines, pas dans l'open space.
4. L'apéro du jeudi est ouvert à tous ; on y présente les nouveaux venus.
5. Une décision qui concerne tout le monde passe par une proposition et une période d'avis."""

SENTIER_CHARTER_V2 = SENTIER_CHARTER.replace(
    "3. Les appels se passent dans les cabines, pas dans l'open space.",
    "3. Les appels se passent dans les cabines ou la petite salle, pas dans l'open space.\n"
    "3 bis. Les chambres se réservent dans Tribu, au plus tard la veille.",
)

PROJECTS = {
    "claire": (
        "Coopérative d'activité pour freelances du numérique",
        "statuts, coopérative, droit social",
        "économie sociale, freelances",
        "Un juriste pour relire nos statuts.",
        "public",
    ),
    "julien": (
        "Logiciel libre de gouvernance partagée pour PME",
        "python, django, gouvernance",
        "logiciel libre, PME",
        "Des PME pilotes et des retours d'équipes auto-organisées.",
        "public",
    ),
    "ines": (
        "Podcast « Demain, le travail »",
        "audio, montage, interviews",
        "nouvelles formes de travail",
        "Des invités et une relecture des textes.",
        "members",
    ),
    "nadia": (
        "Accompagnement d'équipes auto-organisées",
        "facilitation, gouvernance",
        "auto-organisation",
        "",
        "public",
    ),
}

INTENTS = (
    (
        "julien",
        "need",
        "Tester notre outil de gouvernance avec une équipe auto-organisée",
        "gouvernance, équipes, test",
    ),
    (
        "nadia",
        "offer",
        "Ateliers de gouvernance partagée pour équipes auto-organisées",
        "gouvernance, équipes, facilitation",
    ),
    (
        "claire",
        "need",
        "Relecture juridique des statuts de notre coopérative",
        "juridique, statuts, coopérative",
    ),
    (
        "youssef",
        "offer",
        "Conseil juridique : statuts, portage, coopératives",
        "juridique, statuts, portage",
    ),
    ("ines", "need", "Relecture éditoriale de textes pour un podcast", "podcast, écriture"),
    (
        "chloe",
        "offer",
        "Relecture et conseils éditoriaux pour podcasts et articles",
        "écriture, podcast, journalisme",
    ),
    (
        "karim",
        "need",
        "Trouver des tiers-lieux partenaires en zone rurale",
        "tiers-lieux, ruralité",
    ),
)


def extend(platforms: dict[str, Platform], log) -> None:
    if "le-sentier" in platforms:
        _sentier(platforms["le-sentier"], log)
    if "open-residence" in platforms:
        _residence(platforms["open-residence"], log)


def _agents(platform: Platform) -> dict[str, Agent]:
    return {a.slug: a for a in Agent.objects.filter(platform=platform)}


def _sentier(platform: Platform, log) -> None:
    people = _agents(platform)
    fanny = people["fanny"]
    now = timezone.now()
    _charter(platform, fanny, people, now)
    for slug, (title, skills, themes, needs, visibility) in PROJECTS.items():
        if slug in people:
            services.save_project(
                people[slug],
                {
                    "title": title,
                    "skills": skills,
                    "themes": themes,
                    "needs": needs,
                    "visibility": visibility,
                    "description": people[slug].bio,
                },
            )
    for slug, kind, title, tags in INTENTS:
        if slug in people:
            services.post_intent(people[slug], kind=kind, title=title, tags=tags)
    _helped(platform, people)
    _introduction(platform, fanny, people)
    _newcomer(platform, people)
    log(_("Demo: community life added to Le Sentier (projects, needs & offers, charter)."))


def _charter(platform, fanny, people, now) -> None:
    services.start_charter(platform, SENTIER_CHARTER, fanny)
    # A change proposed ten days ago, with advice and no standing objection: adopted.
    first = services.propose_change(
        people["julien"],
        SENTIER_CHARTER_V2,
        "Les appels débordent ; les chambres se chevauchent.",
        now=now - timedelta(days=10),
    )
    services.comment(first, people["claire"], "D'accord, la petite salle est souvent libre.")
    objection = services.comment(
        first, people["binh"], "La petite salle sert aussi aux rendez-vous clients.", objection=True
    )
    services.withdraw_objection(
        objection, people["binh"], "Les rendez-vous clients restent prioritaires : ça me va."
    )
    services.adopt_due(platform, now)
    # A change in its advice period, with one reasoned objection.
    open_text = SENTIER_CHARTER_V2 + "\n6. Les animaux sont bienvenus le vendredi."
    second = services.propose_change(
        people["ines"], open_text, "Plusieurs résidents ont un chien.", now=now - timedelta(days=2)
    )
    services.comment(
        second,
        people["youssef"],
        "Je suis allergique aux chats : chiens seulement ?",
        objection=True,
    )


def _helped(platform, people) -> None:
    """Two suggestions that helped: one confirmed, one waiting for its confirmation."""
    for need_owner, confirm in (("claire", True), ("julien", False)):
        match = (
            Match.objects.filter(platform=platform, need__agent__slug=need_owner)
            .order_by("-score")
            .first()
        )
        if match is None:
            continue
        event = services.mark_helped(match, match.need.agent, hours=Decimal("2"))
        if confirm:
            confirm_event(event, match.offer.agent)


def _introduction(platform, fanny, people) -> None:
    karim, youssef = people.get("karim"), people.get("youssef")
    if not (karim and youssef):
        return
    on = timezone.localdate() - timedelta(days=40)
    services.introduce(fanny, karim, youssef, "Tous deux travaillent sur l'emploi rural.", on)
    event, _created = record_event(
        platform,
        karim,
        Flow(
            action="deliverService",
            provider=youssef,
            receiver=karim,
            specification=services.help_specifications(platform).get(slug="volunteer-hour"),
            quantity=Decimal("3"),
            occurred=on + timedelta(days=12),
            note="Montage juridique d'un tiers-lieu itinérant (illustratif).",
        ),
    )
    confirm_event(event, youssef)


def _newcomer(platform, people) -> None:
    from tribu.demo.kit import Logins

    user = Logins().for_person("lea", "Léa Moreau")
    if user is None:
        return
    application = services.apply(
        platform,
        user,
        name="Léa Moreau",
        statement="J'accompagne des salariés en reconversion vers l'indépendance ; "
        "je veux travailler au milieu de celles et ceux qui inventent le travail.",
    )
    services.vouch(application, people["claire"], "Rencontrée à l'apéro du jeudi, projet solide.")


def _residence(platform: Platform, log) -> None:
    people = [a for a in members(platform, {Role.RESIDENT})[:4]]
    stewards = members(platform, STEWARDS)
    steward = stewards.first()
    services.start_charter(
        platform,
        (
            "1. Chaque résident contribue jusqu'à 5 jours par mois aux défis des partenaires.\n"
            "2. Les paillasses sont rendues propres et étiquetées.\n"
            "3. La sécurité biologique passe avant tout : formation obligatoire à l'arrivée."
        ),
        steward,
    )
    if len(people) >= 2:
        services.post_intent(
            people[0],
            kind="need",
            title="Aide pour une PCR quantitative",
            tags="biologie moléculaire, pcr",
        )
        services.post_intent(
            people[1],
            kind="offer",
            title="Formation PCR et qPCR",
            tags="pcr, biologie moléculaire, formation",
        )
    log(_("Demo: community life added to Open Résidence (charter, needs & offers)."))
