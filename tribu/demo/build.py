"""`tribu demo`: build the two illustrative platforms, once.

Idempotent by construction: a demo platform that already exists is left as it is (its
ledger is append-only, so "rebuilding" it could only add duplicates), and `if_empty`
does nothing at all when any platform exists. Everything a run builds — both platforms
and what the apps listed in `EXTENSIONS` add through their `extend` hook — is one transaction: a run
that fails leaves nothing behind, and the next run starts again from scratch.
"""

import importlib
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from tribu.ledger.models import EconomicEvent
from tribu.platforms.models import Platform

from . import residence, sentier

BUILDERS = {sentier.SLUG: sentier.build, residence.SLUG: residence.build}
# What other apps add to the demo, in this order: each module has `extend(platforms, log)`.
EXTENSIONS = (
    "tribu.community.demo",
    "tribu.spaces.demo",
    "tribu.forecasts.demo",
    # Last: it publishes the indicators of everything the others built.
    "tribu.observatory.demo",
)


def build_demo(
    if_empty: bool = False, log: Callable[[str], object] = print, today: date | None = None
) -> list[Platform]:
    """Build the demo platforms that do not exist yet; returns those built by this run."""
    if if_empty and Platform.objects.exists():
        log(_("Demo: the database already holds platforms; nothing to do."))
        return []
    # The reports' default period is the last twelve whole months before date.today().
    today = today or date.today()  # noqa: DTZ011 - same clock as the default report period
    built: dict[str, Platform] = {}
    with transaction.atomic():
        for slug, build in BUILDERS.items():
            if Platform.objects.filter(slug=slug).exists():
                log(_("Demo: “%(slug)s” already exists; left as it is.") % {"slug": slug})
                continue
            log(_("Demo: building “%(slug)s”…") % {"slug": slug})
            built[slug] = build(today, log)
            _summary(built[slug], log)
        if built:
            extend(built, log)
    return list(built.values())


def _summary(platform: Platform, log) -> None:
    events = EconomicEvent.objects.filter(platform=platform).count()
    log(
        _(
            "Demo: “%(name)s” has %(agents)s agents and %(events)s ledger events "
            "(illustrative data)."
        )
        % {"name": platform.name, "agents": platform.agents.count(), "events": events}
    )


def extend(platforms: dict[str, Platform], log) -> None:
    """Let other apps add to the platforms just built (rooms, residency terms, needs…).

    Called only in the run that built them, inside its transaction: an extension never
    runs twice on the same platform, and one that fails undoes the whole run.
    """
    for name in EXTENSIONS:
        log(_("Demo: extending with %(module)s…") % {"module": name})
        importlib.import_module(name).extend(platforms, log)
