"""The observatory's pages and its federation endpoints.

Public: the observatory, the map, the key, the feed and each published document. For a
platform's stewards: the preview of what a publication would send, field by field.
"""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tribu.core.errors import TribuError
from tribu.platforms.access import STEWARDS, access_member
from tribu.platforms.models import CarrierProfile, CauseCategory
from tribu.reports.charts import histogram
from tribu.web.context import platform_context
from tribu.web.errors import page

from . import figures, maps, services
from .communemesure import commune_mesure
from .indicators import years_with_events
from .models import Document

JSON_OPTIONS = {"json_dumps_params": {"ensure_ascii": False, "indent": 1}}


def _year(request, years: list[int]) -> int | None:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if year in years else (years[0] if years else None)


@page
def publication(request, slug: str):
    """A steward's view of what leaves the platform: one year, field by field."""
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    years = years_with_events(platform)
    year = _year(request, years)
    context = platform_context(request, platform, years=years, year=year)
    published = {
        doc.year: doc for doc in Document.objects.filter(platform=platform, subscription=None)
    }
    context["published"] = published
    if year is not None:
        live = services.live_document(platform, year)
        try:
            # A published year shows what left; another, what a publication would send.
            draft = json.loads(live.body) if live else services.draft_document(platform, year)
        except TribuError as error:
            messages.error(request, str(error))
            draft = None
        context.update(
            live=live,
            draft=draft,
            rows=services.preview_rows(draft) if draft else [],
            digest=services.digest(draft) if draft else "",
            draft_json=json.dumps(draft, ensure_ascii=False, indent=1) if draft else "",
        )
    return render(request, "observatory/publication.html", context)


@require_POST
@page
def publish(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    year = _year(request, years_with_events(platform))
    try:
        if year is None:
            raise TribuError(_("This platform has no flows to publish yet."))
        services.publish(platform, year, seen=request.POST.get("digest", ""))
    except TribuError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The year %(y)s is published.") % {"y": year})
    return redirect(f"{reverse('observatory-publication', args=[slug])}?year={year or ''}")


@require_POST
@page
def withdraw(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    year = _year(request, years_with_events(platform))
    try:
        services.withdraw(platform, year)
    except TribuError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The year %(y)s is withdrawn; subscribers drop it at their next pull.") % {"y": year},
        )
    return redirect(f"{reverse('observatory-publication', args=[slug])}?year={year or ''}")


# --- federation endpoints ----------------------------------------------------------


def key(request):
    return JsonResponse(services.key_document(), **JSON_OPTIONS)


def feed(request):
    return JsonResponse(services.feed(), **JSON_OPTIONS)


def _document(doc_id: str) -> Document:
    doc = Document.objects.filter(doc_id=doc_id, withdrawn_at=None).first()
    if doc is None:
        raise Http404(_("No such document."))
    return doc


def document(request, doc_id: str):
    """One live document, signed: ours and the peers' we verified alike."""
    return JsonResponse(services.signed(_document(doc_id)), **JSON_OPTIONS)


def document_commune_mesure(request, doc_id: str):
    body = json.loads(_document(doc_id).body)
    return JsonResponse(commune_mesure(body), **JSON_OPTIONS)


# --- the observatory ---------------------------------------------------------------

HIDDEN = {
    "frequency": gettext_lazy("fewer than 3 platforms"),
    "dominance": gettext_lazy("one platform weighs more than 85 % of the total"),
}


def _label(choices, key: str) -> str:
    return str(choices(key).label) if key in choices.values else key


def _rows(groups, choices, column: str, query: str) -> list[dict]:
    return [
        {
            "group": group,
            "label": _label(choices, group.key),
            "reason": HIDDEN.get(group.hidden, ""),
            "link": f"{reverse('observatory-documents')}?{column}={group.key}{query}",
        }
        for group in groups
    ]


def _chart(found) -> str:
    if len(found.ratios) == 0:
        return ""
    return histogram(
        "obs-ratios",
        found.ratios,
        title=_("Distribution of the extended ratio"),
        desc=_(
            "Extended ratios of %(n)s platform-years; bars right of the line are years "
            "whose benefits exceeded their costs."
        )
        % {"n": len(found.ratios)},
        marker=1.0,
        marker_label=_("ratio = 1"),
        bins=min(30, max(5, len(found.ratios) // 3)),
    )


def _set(request) -> bool | None:
    wanted = request.GET.get("set")
    return {"illustrative": True, "real": False}.get(wanted)


def observatory(request):
    found = figures.cached_answer(_set(request))
    query = "&set=illustrative" if found.illustrative else "&set=real"
    context = {
        "found": found,
        "overall_reason": HIDDEN.get(found.overall.hidden, "") if found.overall else "",
        "by_cause": _rows(found.by_cause, CauseCategory, "cause", query),
        "by_carrier": _rows(found.by_carrier, CarrierProfile, "carrier", query),
        "chart": mark_safe(_chart(found)),  # noqa: S308 - the chart escapes its text
        "documents_url": f"{reverse('observatory-documents')}?{query[1:]}",
        "has_real": Document.objects.filter(withdrawn_at=None, illustrative=False).exists(),
    }
    return render(request, "observatory/observatory.html", context)


def documents(request):
    """The documents behind a figure: one group of one set, each linked to its signed JSON."""
    illustrative = bool(_set(request))
    rows = figures.live_documents(illustrative).select_related("subscription")
    cause, carrier = request.GET.get("cause"), request.GET.get("carrier")
    if cause:
        rows = rows.filter(cause_category=cause)
    if carrier:
        rows = rows.filter(carrier_profile=carrier)
    page_obj = Paginator(rows.order_by("platform_name", "-year", "id"), 100).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    context = {
        "page_obj": page_obj,
        "query": query,
        "illustrative": illustrative,
        "cause": _label(CauseCategory, cause) if cause else "",
        "carrier": _label(CarrierProfile, carrier) if carrier else "",
        "rows": [
            (
                doc,
                _label(CauseCategory, doc.cause_category),
                _label(CarrierProfile, doc.carrier_profile),
            )
            for doc in page_obj
        ],
    }
    return render(request, "observatory/documents.html", context)


# --- the map -------------------------------------------------------------------------


def tribu_places(illustrative: bool) -> list[maps.Place]:
    """One marker per published platform, at the commune of its newest document."""
    newest = {}
    rows = figures.live_documents(illustrative).order_by("-year", "-id")
    for ref, name, commune, region, doc_id in rows.values_list(
        "platform_ref", "platform_name", "commune_code", "region_code", "doc_id"
    ):
        newest.setdefault(ref, (name, commune, region, doc_id))
    places = []
    for name, commune, region, doc_id in newest.values():
        where = maps.locate(commune)
        if where is not None:
            link = reverse("observatory-document", args=[doc_id])
            place = maps.Place(name, maps.commune_name(commune), maps.TRIBU, region, *where, link)
            places.append(place)
    return places


def landscape(request):
    illustrative = figures.dataset()
    labels = maps.kind_labels()
    regions = dict(maps.regions())
    kind = request.GET.get("type", "")
    kind = kind if kind in labels else ""
    region = request.GET.get("region", "")
    region = region if region in regions else ""
    places = [*maps.directory(), *tribu_places(illustrative)]
    shown = [
        p for p in places if (not kind or p.kind == kind) and (not region or p.region == region)
    ]
    desc = _("%(n)s places shown; the same places are listed as text below the map.") % {
        "n": len(shown)
    }
    svg = maps.draw(shown, title=_("Third places and Tribu platforms in France"), desc=desc)
    context = {
        "svg": mark_safe(svg),  # noqa: S308 - names are escaped by maps.draw
        "labels": labels,
        "regions": regions,
        "kind": kind,
        "region": region,
        "rows": sorted(
            ((p, labels[p.kind], regions.get(p.region, "")) for p in shown),
            key=lambda row: (row[2] or "~", row[0].commune or "~", row[0].name),
        ),
        "offmap": sum(1 for p in shown if p.xy is None),
        "illustrative": illustrative,
        "tribu_count": sum(1 for p in shown if p.kind == maps.TRIBU),
    }
    return render(request, "observatory/map.html", context)
