"""A dossier as a PDF download, from the balance page's button."""

from django.http import HttpResponse
from django.shortcuts import render

from tribu.core.errors import TribuError
from tribu.platforms.access import access_member
from tribu.web.context import language, platform_context
from tribu.web.errors import page

from .pdf import dossier_pdf
from .services import check_kind


@page
def dossier(request, slug: str, kind: str | None = None):
    platform, _actor = access_member(request.user, slug)
    try:
        kind = check_kind(kind or request.GET.get("kind", ""))
    except TribuError as error:
        context = platform_context(request, platform, error=str(error))
        return render(request, "dossiers/error.html", context, status=400)
    lang = "en" if (request.GET.get("language") or language()) == "en" else "fr"
    gift, turnover = request.GET.get("gift") or None, request.GET.get("turnover") or None
    try:
        pdf = dossier_pdf(platform, kind, lang, gift, turnover)
    except TribuError as error:
        context = platform_context(request, platform, error=str(error))
        return render(request, "dossiers/error.html", context, status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{kind}-{platform.slug}.pdf"'
    return response
