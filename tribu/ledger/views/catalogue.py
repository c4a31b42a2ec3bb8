"""The catalogue of kinds of value: read by members, edited by the host and facilitator.

Each edit is a new version; older versions stay, and every report names the one it used.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tribu.core.errors import NotFound, TribuError
from tribu.ledger.catalogue import RANGED, current_values, edit_catalogue
from tribu.ledger.models import CatalogueVersion, ResourceSpecification, SpecificationValues
from tribu.platforms.access import STEWARDS, access_member
from tribu.platforms.models import TrialArea
from tribu.web.context import language, platform_context
from tribu.web.errors import page

from ..forms import LEVEL_LABELS, PARAMETER_LABELS, RANGE_FIELDS, CatalogueValuesForm


@page
def catalogue(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, area=TrialArea.BALANCES)
    values = current_values(platform.pk)
    specs = ResourceSpecification.objects.filter(platform=platform).order_by("slug")
    versions = (
        CatalogueVersion.objects.filter(platform=platform)
        .select_related("created_by")
        .order_by("-number")
    )
    rows = [(spec, spec.name(language()), values.get(spec.pk)) for spec in specs]
    return render(
        request,
        "ledger/catalogue.html",
        platform_context(request, platform, rows=rows, versions=versions),
    )


@page
def catalogue_edit(request, slug: str, spec_slug: str):
    platform, actor, _role = access_member(request.user, slug, roles=STEWARDS)
    spec = _spec(platform, spec_slug)
    values = current_values(platform.pk).get(spec.pk)
    form = CatalogueValuesForm(
        request.POST or None, initial=CatalogueValuesForm.initial_from(values)
    )
    if request.method == "POST" and form.is_valid():
        change = form.changes(values)
        if not change:
            form.add_error(None, _("Nothing changed."))
        else:
            try:
                version = edit_catalogue(
                    platform, actor, {spec.slug: change}, form.cleaned_data["note"]
                )
            except TribuError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Catalogue version %(n)s saved.") % {"n": version.number}
                )
                return redirect("catalogue-version", platform.slug, version.number)
    grid = [(PARAMETER_LABELS[p], [form[f"{p}_{lv}"] for lv in LEVEL_LABELS]) for p in RANGED]
    return render(
        request,
        "ledger/catalogue_edit.html",
        platform_context(
            request,
            platform,
            spec=spec,
            spec_name=spec.name(language()),
            form=form,
            grid=grid,
            levels=list(LEVEL_LABELS.values()),
        ),
    )


def _spec(platform, spec_slug: str) -> ResourceSpecification:
    spec = ResourceSpecification.objects.filter(platform=platform, slug=spec_slug).first()
    if spec is None:
        raise NotFound(_("unknown specification “%(slug)s”") % {"slug": spec_slug})
    return spec


@page
def catalogue_version(request, slug: str, number: int):
    """What a version changed, field by field, against the values in force before it."""
    platform, _actor, _role = access_member(request.user, slug, area=TrialArea.BALANCES)
    version = CatalogueVersion.objects.filter(platform=platform, number=number).first()
    if version is None:
        raise NotFound(_("no catalogue version %(n)s") % {"n": number})
    before = current_values(platform.pk, number - 1) if number > 1 else {}
    changed = (
        SpecificationValues.objects.filter(platform=platform, version=version)
        .select_related("specification")
        .order_by("specification__slug")
    )
    diffs = [
        (row.specification.name(language()), _differences(before.get(row.specification_id), row))
        for row in changed
    ]
    return render(
        request,
        "ledger/catalogue_version.html",
        platform_context(request, platform, version=version, diffs=diffs),
    )


def _differences(old: SpecificationValues | None, new: SpecificationValues) -> list[tuple]:
    names = [*RANGE_FIELDS, "proxy_source", "proxy_date"]
    return [
        (_field_label(n), getattr(old, n) if old else None, getattr(new, n))
        for n in names
        if old is None or getattr(old, n) != getattr(new, n)
    ]


def _field_label(name: str) -> str:
    if name == "proxy_source":
        return _("Source of the proxy")
    if name == "proxy_date":
        return _("Date of the source")
    parameter, level = name.rsplit("_", 1)
    return f"{PARAMETER_LABELS[parameter]} — {LEVEL_LABELS[level]}"
