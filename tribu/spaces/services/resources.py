"""Bookable resources: rooms, desks, meeting rooms, event spaces."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import NotFound, TribuError
from tribu.ledger.catalogue import current_values
from tribu.ledger.models import EconomicResource, ResourceKind
from tribu.ledger.models import ResourceSpecification as Spec
from tribu.ledger.resources import create_resource
from tribu.platforms.access import STEWARDS, check_member
from tribu.platforms.models import Platform

DEFAULT_SPECS: dict[str, str] = {
    ResourceKind.ROOM: "hotel-night",
    ResourceKind.DESK: "desk-month",
    ResourceKind.MEETING_ROOM: "meeting-room-hour",
    ResourceKind.EVENT_SPACE: "event-space-day",
}


def _has_proxy(spec: Spec) -> bool:
    """Whether a booking's use can be valued: a non-market kind with a proxy price."""
    values = current_values(spec.platform_id).get(spec.pk)
    return not spec.market and values is not None and values.proxy_central is not None


def add_resource(
    platform: Platform,
    *,
    name: str,
    kind: str,
    slug: str = "",
    spec: str = "",
    capacity: int = 1,
    beds: int = 0,
    note: str = "",
    actor: Agent | None = None,
) -> EconomicResource:
    """A bookable resource; its specification (by default the usual one for its kind)
    is what values its use. A steward adds it (no actor: the system, as in the demo)."""
    if actor is not None:
        check_member(platform, actor, STEWARDS)
    if kind not in ResourceKind.values:
        raise TribuError(
            _("unknown kind “%(kind)s” (expected one of: %(choices)s)")
            % {"kind": kind, "choices": ", ".join(ResourceKind.values)}
        )
    slug, name = slugify(slug or name), (name or "").strip()
    if not slug or not name:
        raise TribuError(_("name: missing"))
    spec = spec or DEFAULT_SPECS.get(kind, "")
    if not spec:
        raise TribuError(_("specification: say which kind of value this resource's use is"))
    conforms_to = Spec.objects.filter(platform=platform, slug=spec).first()
    if conforms_to is None:
        raise NotFound(_("no specification “%(slug)s” in this platform") % {"slug": spec})
    if not _has_proxy(conforms_to):
        raise TribuError(
            _("specification: “%(slug)s” has no proxy price to value a booking's use")
            % {"slug": spec}
        )
    return create_resource(
        platform,
        slug=slug,
        name=name,
        kind=kind,
        conforms_to=conforms_to,
        capacity=capacity,
        beds=beds,
        note=note,
    )
