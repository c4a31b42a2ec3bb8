"""The observatory's pages and its federation endpoints.

Public: the observatory, the map, the key, the feed and each published document. For a
platform's stewards: the preview of what a publication would send, field by field.
"""

import json

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribu.core.errors import TribuError
from tribu.platforms.access import STEWARDS, access_member, role_in
from tribu.platforms.models import Role
from tribu.web.errors import page

from . import services
from .communemesure import commune_mesure
from .indicators import years_with_events
from .models import Document

JSON_OPTIONS = {"json_dumps_params": {"ensure_ascii": False, "indent": 1}}


def _context(request, platform, **extra) -> dict:
    role = role_in(request.user, platform)
    return {
        "platform": platform,
        "role": role,
        "role_label": Role(role).label if role else "",
        "is_member": True,
        "is_steward": True,
        **extra,
    }


def _year(request, years: list[int]) -> int | None:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if year in years else (years[0] if years else None)


@page
def publication(request, slug: str):
    """A steward's view of what leaves the platform: one year, field by field."""
    platform, _actor = access_member(request.user, slug, STEWARDS)
    years = years_with_events(platform)
    year = _year(request, years)
    context = _context(request, platform, years=years, year=year)
    published = {
        doc.year: doc for doc in Document.objects.filter(platform=platform, subscription=None)
    }
    context["published"] = published
    if year is not None:
        live = services.live_document(platform, year)
        try:
            draft = services.draft_document(platform, year)
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
    platform, _actor = access_member(request.user, slug, STEWARDS)
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
    platform, _actor = access_member(request.user, slug, STEWARDS)
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
