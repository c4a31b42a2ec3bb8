"""The catalogue of kinds of value: readable wherever the platform is (its prices and
sources explain the public figures), edited by the host and the facilitator only, each
edit a new version."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router

from tribu.api.auth import PUBLIC, TOKEN
from tribu.api.present import specification_out, version_out
from tribu.api.schemas import (
    ERRORS,
    MAX_ID,
    CatalogueEditIn,
    CatalogueOut,
    ErrorOut,
    Slug,
    VersionOut,
)
from tribu.core.errors import NotFound
from tribu.platforms.access import STEWARDS, access_member, access_platform

from ..catalogue import current_values, edit_catalogue
from ..models import CatalogueVersion

router = Router(tags=["catalogue"])


def given_fields(change) -> dict:
    """The fields a client sent; null clears a proxy (valued per event from then on) and
    leaves any other field as it was."""
    given = change.model_dump(exclude_unset=True)
    return {k: v for k, v in given.items() if v is not None or k.startswith("proxy_")}


def catalogue_out(platform, number: int | None) -> dict:
    versions = CatalogueVersion.objects.filter(platform=platform).select_related("created_by")
    version = (versions.filter(number=number) if number else versions.order_by("-number")).first()
    if version is None:
        raise NotFound(_("no catalogue version %(n)s in this platform") % {"n": number})
    values = current_values(platform.pk, version.number).values()
    specs = sorted(values, key=lambda v: v.specification.slug)
    language = get_language() or "fr"
    return {
        "version": version_out(version),
        "specifications": [specification_out(v, language) for v in specs],
    }


@router.get(
    "/platforms/{slug}/catalogue",
    auth=PUBLIC,
    response={200: CatalogueOut, ERRORS: ErrorOut},
    summary="The catalogue in force, or as of an earlier version",
)
def get_catalogue(request, slug: Slug, version: int | None = Query(None, ge=1, le=MAX_ID)):
    platform = access_platform(request.auth, slug)
    return catalogue_out(platform, version)


@router.get(
    "/platforms/{slug}/catalogue/versions",
    auth=PUBLIC,
    response={200: list[VersionOut], ERRORS: ErrorOut},
    summary="Catalogue versions",
)
def list_versions(request, slug: Slug):
    platform = access_platform(request.auth, slug)
    versions = CatalogueVersion.objects.filter(platform=platform).select_related("created_by")
    return [version_out(v) for v in versions.order_by("number")]


@router.post(
    "/platforms/{slug}/catalogue",
    auth=TOKEN,
    response={201: CatalogueOut, ERRORS: ErrorOut},
    summary="Edit proxies and adjustments: a new version (host, facilitator)",
)
def edit(request, slug: Slug, payload: CatalogueEditIn):
    platform, actor, _role = access_member(request.auth, slug, roles=STEWARDS)
    changes = {spec: given_fields(change) for spec, change in payload.changes.items()}
    version = edit_catalogue(platform, actor, changes, payload.note)
    return 201, catalogue_out(platform, version.number)
