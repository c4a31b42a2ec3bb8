"""Funding dossiers through the API: the PDF (members), French by default."""

from django.http import HttpResponse
from ninja import Query, Router, Schema

from tribu.api.auth import TOKEN
from tribu.api.schemas import ERRORS, ErrorOut, Field
from tribu.platforms.access import access_member

from .pdf import dossier_pdf
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
    platform, _actor = access_member(request.auth, slug)
    check_kind(kind)
    pdf = dossier_pdf(platform, kind, q.language, q.gift, q.turnover)
    return HttpResponse(pdf, content_type="application/pdf")
