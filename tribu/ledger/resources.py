"""The only write path for economic resources: the things a place offers, whose use the
ledger values by their specification. The apps that book them (spaces) decide who may add
one and with which specification; the rows themselves are written here."""

from django.utils.translation import gettext as _

from tribu.core.errors import Conflict, NotFound
from tribu.platforms.models import Platform

from .models import EconomicResource, ResourceSpecification


def create_resource(
    platform: Platform,
    *,
    slug: str,
    name: str,
    kind: str,
    conforms_to: ResourceSpecification,
    capacity: int = 1,
    beds: int = 0,
    note: str = "",
) -> EconomicResource:
    """A new resource of `platform`, valued by one of the platform's own specifications."""
    if conforms_to.platform_id != platform.pk:
        raise NotFound(
            _("no specification “%(slug)s” in this platform") % {"slug": conforms_to.slug}
        )
    if EconomicResource.objects.filter(platform=platform, slug=slug).exists():
        raise Conflict(_("resource “%(slug)s” already exists") % {"slug": slug})
    return EconomicResource.objects.create(
        platform=platform,
        slug=slug,
        name=name,
        kind=kind,
        conforms_to=conforms_to,
        capacity=capacity,
        beds=beds,
        note=note,
    )
