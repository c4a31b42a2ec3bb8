"""Objects named inside a platform the caller was already allowed into (by
`tribu.platforms.access`): agents and kinds of value, looked up by slug in that platform
only, so a slug can never reach another platform's rows."""

from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound
from tribu.ledger.models import ResourceSpecification
from tribu.platforms.access import agent_in

__all__ = ["agent_in", "optional_agent", "spec_in"]


def optional_agent(platform, slug: str | None, field: str) -> Agent | None:
    return agent_in(platform, slug, field) if slug else None


def spec_in(platform, slug: str) -> ResourceSpecification:
    spec = ResourceSpecification.objects.filter(platform=platform, slug=slug).first()
    if spec is None:
        raise NotFound(_("specification: no “%(slug)s” in this platform") % {"slug": slug})
    return spec
