"""Every page of the demo platforms, for the tests that look at all of them (languages,
phone width, accessibility). The demo is built once per test: it has data on every page."""

from django.urls import reverse

from tribu.community.models import Application, CharterProposal, Intent, Project
from tribu.demo.build import build_demo
from tribu.ledger.models import CatalogueVersion, EconomicEvent
from tribu.platforms.models import Platform
from tribu.spaces.models import Gathering, ResidencyAgreement

SENTIER, RESIDENCE = "le-sentier", "open-residence"
# Who looks: Hana works for Le Sentier's host; Agnès coordinates Open Résidence.
VIEWERS = {SENTIER: "hana", RESIDENCE: "agnes"}


def build() -> None:
    build_demo(log=lambda _message: None)


def _first(model, platform: Platform, **extra):
    return model.objects.filter(platform=platform, **extra).order_by("pk").first()


def platform_pages(slug: str) -> list[str]:
    """The paths of one platform's pages, each one with data where it takes an object."""
    platform = Platform.objects.get(slug=slug)
    names = [
        "platform-detail", "ledger", "event-record", "balance-sheet", "flow-map", "members",
        "catalogue", "community-join", "community-applications", "community-members",
        "community-me", "community-project-new", "community-intents", "community-charter",
        "community-dashboard", "community-notifications", "spaces-calendar",
        "spaces-resources", "spaces-book", "spaces-my-bookings", "spaces-gatherings",
        "spaces-gathering-new", "spaces-invoices", "spaces-invoicing", "spaces-residency-list",
        "community-profile-edit",
    ]  # fmt: skip
    paths = [reverse(name, args=[slug]) for name in names]
    event = _first(EconomicEvent, platform)
    paths.append(reverse("event-detail", args=[slug, event.pk]))
    paths.append(reverse("balance-line", args=[slug, event.resource_conforms_to.slug]))
    version = _first(CatalogueVersion, platform)
    paths.append(reverse("catalogue-version", args=[slug, version.number]))
    paths.append(reverse("catalogue-edit", args=[slug, event.resource_conforms_to.slug]))
    for model, name in (
        (Application, "community-application"),
        (Project, "community-project"),
        (Intent, "community-intent"),
        (CharterProposal, "community-charter-proposal"),
        (Gathering, "spaces-gathering"),
    ):
        found = _first(model, platform)
        if found is not None:
            paths.append(reverse(name, args=[slug, found.pk]))
    agreement = _first(ResidencyAgreement, platform)
    if agreement is not None:
        paths.append(reverse("spaces-residency", args=[slug, agreement.resident.slug]))
    return paths


def every_page() -> list[tuple[str, str]]:
    """(viewer's user name, path) for every page of both demo platforms, and the site's own."""
    site = [(VIEWERS[SENTIER], reverse(name)) for name in ("home", "profile", "to-confirm")]
    site.append(("", reverse("account_login")))
    return site + [(VIEWERS[slug], path) for slug in VIEWERS for path in platform_pages(slug)]
