"""A dossier as a PDF download, from the balance page's button."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tribu.core.errors import TribuError
from tribu.forecasts.models import ForecastVersion
from tribu.forecasts.services import evaluate_version
from tribu.platforms.access import STEWARDS, access_member
from tribu.reports.balance import agent_balance
from tribu.web.context import language, platform_context
from tribu.web.errors import page

from . import sharing
from .models import FunderLink
from .pdf import dossier_pdf
from .receipt import receipt_pdf
from .services import check_kind


@page
def gift_receipt(request, slug: str, event_id: int):
    """The company's receipt (2041-MEC-SD) for a gift, from the flow's page (stewards)."""
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    lang = "en" if (request.GET.get("language") or language()) == "en" else "fr"
    try:
        pdf = receipt_pdf(platform, event_id, lang)
    except TribuError as error:
        context = platform_context(request, platform, error=str(error))
        return render(request, "dossiers/error.html", context, status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"recu-2041-MEC-SD-{platform.slug}-{event_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def dossier(request, slug: str, kind: str | None = None):
    platform, _actor, _role = access_member(request.user, slug)
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


def _share_error(request, error):
    return render(request, "dossiers/shared_error.html", {"error": str(error)}, status=404)


@page
def funders(request, slug: str):
    """Stewards grant and revoke funders' links."""
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    error, new_link = None, None
    if request.method == "POST":
        try:
            link, token = sharing.grant(
                platform, request.user, request.POST.get("person"), request.POST.get("days")
            )
        except TribuError as exc:
            error = str(exc)
        else:
            new_link = request.build_absolute_uri(reverse("shared", args=[token]))
    links = FunderLink.objects.filter(platform=platform)
    context = platform_context(
        request, platform, links=links, error=error, new_link=new_link, is_open=sharing.is_open
    )
    rows = [(link, sharing.is_open(link)) for link in links]
    context["rows"] = rows
    return render(request, "dossiers/funders.html", context, status=400 if error else 200)


@page
def revoke_funder(request, slug: str, link_id: int):
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    if request.method == "POST":
        sharing.revoke(platform, link_id)
    return redirect("funders", slug=platform.slug)


def shared(request, token: str):
    """What a funder's link opens: the host's balance sheet, break-even and forecast."""
    try:
        link = sharing.opened(token)
    except TribuError as error:
        return _share_error(request, error)
    platform = link.platform
    if platform.host is None:
        return _share_error(request, _("this platform has no host yet"))
    sheet = agent_balance(platform, platform.host, language=language())
    version = ForecastVersion.objects.filter(platform=platform).last()
    forecast = evaluate_version(version, language=language()) if version else None
    context = {
        "link": link,
        "token": token,
        "platform": platform,
        "sheet": sheet,
        "cur": sheet["currency"],
        "forecast": forecast,
        "kinds": sharing.SHARED_KINDS,
    }
    return render(request, "dossiers/shared.html", context)


def shared_dossier(request, token: str, kind: str):
    try:
        link = sharing.opened(token)
        sharing.shared_kind(kind)
    except TribuError as error:
        return _share_error(request, error)
    lang = "en" if (request.GET.get("language") or language()) == "en" else "fr"
    gift, turnover = request.GET.get("gift") or None, request.GET.get("turnover") or None
    try:
        pdf = dossier_pdf(link.platform, kind, lang, gift, turnover)
    except TribuError as error:
        return render(request, "dossiers/shared_error.html", {"error": str(error)}, status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"dossier-{kind}-{link.platform.slug}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
