"""The demo's forecast: Le Sentier's founders' expectations for the last twelve months,
saved as version 1, so that "forecast against actual" has quarters to compare. Called by
the demo builder (`tribu.demo.build.extend`); the figures are illustrative."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent

from . import services

SENTIER = "le-sentier"


def extend(platforms: dict, log) -> None:
    platform = platforms.get(SENTIER)
    if platform is None:
        return
    founder = Agent.objects.filter(platform=platform, slug="hana").select_related("user").first()
    if founder is None or founder.user is None:
        return
    today = timezone.localdate()
    start = today.replace(day=1, year=today.year - 1)
    entry = {
        **services.template_entry(platform),
        "years": 1,
        "start": start.isoformat(),
        "monthly_rent": "11300",
        "other_costs": "15600",
        "note": "Prévisionnel d'ouverture (données illustratives)",
    }
    services.save_forecast(platform, founder.user, entry)
    log(_("Demo: Le Sentier's opening forecast saved."))
