"""The observatory through the API: the pooled figures, and a steward's publication.

Mount with `api.add_router("", tribu.observatory.api.router)`. The same services as the
pages: `figures.answer`, `services.draft_document`, `services.publish`, `services.withdraw`.
"""

from ninja import Router, Schema, Status

from tribu.api.auth import PUBLIC, TOKEN, user_of
from tribu.api.schemas import ERRORS, ErrorOut
from tribu.platforms.access import STEWARDS, access_member

from . import figures, services

router = Router(tags=["observatory"])


class GroupOut(Schema):
    key: str
    years: int
    platforms: int
    hidden: str
    median_ratio: float | None
    share_likely: float | None
    pooled: float | None
    low: float | None
    high: float | None


class FiguresOut(Schema):
    illustrative: bool
    years: int
    platforms: int
    instances: int
    overall: GroupOut | None
    by_cause: list[GroupOut]
    by_carrier: list[GroupOut]


class PublishedOut(Schema):
    id: str
    url: str


@router.get("/observatory/figures", response={200: FiguresOut, ERRORS: ErrorOut}, auth=PUBLIC)
def observatory_figures(request, illustrative: bool | None = None):
    """Per cause and carrier; a hidden group (`hidden` = frequency or dominance) has no figures."""
    return figures.answer(illustrative)


@router.get(
    "/platforms/{slug}/observatory/{year}", response={200: dict, ERRORS: ErrorOut}, auth=TOKEN
)
def preview(request, slug: str, year: int):
    """Exactly the document a publication of `year` would sign (stewards only)."""
    platform, _actor, _role = access_member(user_of(request), slug, STEWARDS)
    return services.draft_document(platform, year)


@router.post(
    "/platforms/{slug}/observatory/{year}",
    response={201: PublishedOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def publish(request, slug: str, year: int):
    platform, _actor, _role = access_member(user_of(request), slug, STEWARDS)
    document = services.publish(platform, year)
    return Status(
        201, {"id": document.doc_id, "url": f"/observatory/documents/{document.doc_id}.json"}
    )


@router.delete(
    "/platforms/{slug}/observatory/{year}",
    response={200: PublishedOut, ERRORS: ErrorOut},
    auth=TOKEN,
)
def withdraw(request, slug: str, year: int):
    platform, _actor, _role = access_member(user_of(request), slug, STEWARDS)
    withdrawal = services.withdraw(platform, year)
    return Status(200, {"id": withdrawal.doc_id, "url": "/observatory/feed.json"})
