"""Funding dossiers through the API: the PDF (members), French by default."""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from tribu.api.auth import PUBLIC, TOKEN
from tribu.api.schemas import ERRORS, BodyIn, ErrorOut, Field
from tribu.core.errors import NotFound
from tribu.platforms.access import STEWARDS, access_member
from tribu.reports.balance import agent_balance

from . import sharing
from .models import FunderLink
from .pdf import dossier_pdf
from .receipt import receipt_pdf
from .services import check_kind

router = Router(tags=["dossiers"], auth=TOKEN)


class DossierQuery(Schema):
    language: str = Field("fr", pattern="^(fr|en)$", description="fr or en.")
    gift: str | None = Field(None, description="Sponsor dossiers: the gift, in euros.")
    turnover: str | None = Field(
        None, description="Sponsor dossiers: the company's turnover excluding tax."
    )


@router.get(
    "/platforms/{slug}/dossiers/{kind}",
    response={200: None, ERRORS: ErrorOut},
    summary="A funding dossier as PDF: sponsor, investor or foundation (members)",
)
def dossier(request, slug: str, kind: str, q: Query[DossierQuery]):
    platform, _actor, _role = access_member(request.auth, slug)
    check_kind(kind)
    pdf = dossier_pdf(platform, kind, q.language, q.gift, q.turnover)
    return HttpResponse(pdf, content_type="application/pdf")


class ReceiptQuery(Schema):
    language: str = Field("fr", pattern="^(fr|en)$", description="fr or en.")


@router.get(
    "/platforms/{slug}/receipts/{event_id}",
    response={200: None, ERRORS: ErrorOut},
    summary="A company's gift receipt as PDF: form 2041-MEC-SD, Cerfa 16216 (stewards)",
    description=(
        "The receipt of a confirmed gift (money paid, or a declared value for a gift in "
        "kind) from an organization to the platform's host or place. 400 when the flow is "
        "not such a gift (the message says why), 401 without a token, 403 for a member who "
        "is not a steward, 404 for an unknown platform or flow."
    ),
)
def gift_receipt(request, slug: str, event_id: int, q: Query[ReceiptQuery]):
    platform, _actor, _role = access_member(request.auth, slug, STEWARDS)
    pdf = receipt_pdf(platform, event_id, q.language)
    return HttpResponse(pdf, content_type="application/pdf")


class LinkIn(BodyIn):
    person: str = Field(..., description="Who the link is for.")
    days: int | None = Field(None, description="Days before it expires; none: until revoked.")


def _link_out(link, token: str | None = None) -> dict:
    out = {
        "id": link.pk,
        "person": link.person,
        "expires_on": link.expires_on.isoformat() if link.expires_on else None,
        "revoked": link.revoked_at is not None,
        "open": sharing.is_open(link),
    }
    if token:
        out["path"] = f"/share/{token}/"
    return out


@router.get(
    "/platforms/{slug}/funder-links",
    response={200: list[dict[str, Any]], ERRORS: ErrorOut},
    summary="Funders' read-only links (stewards)",
)
def funder_links(request, slug: str):
    platform, _actor, _role = access_member(request.auth, slug, STEWARDS)
    return [_link_out(link) for link in FunderLink.objects.filter(platform=platform)]


@router.post(
    "/platforms/{slug}/funder-links",
    response={201: dict[str, Any], ERRORS: ErrorOut},
    summary="Grant a funder read-only access; the link is answered once (stewards)",
)
def grant_link(request, slug: str, data: LinkIn):
    platform, _actor, _role = access_member(request.auth, slug, STEWARDS)
    link, token = sharing.grant(platform, request.auth, data.person, data.days)
    return Status(201, _link_out(link, token))


@router.post(
    "/platforms/{slug}/funder-links/{link_id}/revoke",
    response={200: dict[str, Any], ERRORS: ErrorOut},
    summary="Revoke a funder's link (stewards)",
)
def revoke_link(request, slug: str, link_id: int):
    platform, _actor, _role = access_member(request.auth, slug, STEWARDS)
    return _link_out(sharing.revoke(platform, link_id))


@router.get(
    "/shared/{token}/balance",
    response={200: dict[str, Any], ERRORS: ErrorOut},
    auth=PUBLIC,  # the link's own secret is the credential
    summary="What a funder's link opens: the host's balance sheet (no token needed)",
)
def shared_balance(request, token: str):
    link = sharing.opened(token)
    platform = link.platform
    if platform.host is None:
        raise NotFound(_("this platform has no host yet"))
    return agent_balance(platform, platform.host, language=get_language() or "fr")
