"""The REST API: the same services and access helpers as the pages, with token auth.

Documentation: the OpenAPI document at /api/openapi.json, interactive docs at /api/docs
(served without any CDN). Errors: see `errors.py`.
"""

from django.urls import path
from ninja import NinjaAPI

from .docs import LocalSwagger, docs_asset
from .errors import install_handlers
from .routers import catalogue, events, platforms, reports


class TribuAPI(NinjaAPI):
    def _get_urls(self):
        # The docs page's assets, served by the app from django-ninja's own package.
        asset = path("docs/assets/<str:name>", docs_asset, name="docs-asset")
        return [asset, *super()._get_urls()]


DESCRIPTION = """
Tribu's REST API. Authenticate with `Authorization: Bearer <token>`; a token comes from
`tribu token USERNAME` and is shown once. Public platforms, their public agents and their
catalogue can be read without a token; everything else needs a member's token.

Errors are JSON `{"message": "...", "status": N}`: 400 invalid for the ledger, 401 no or
bad token, 403 not allowed, 404 not found (a private platform is "not found" to
non-members), 409 conflict, 422 input that does not match the schema (with `errors`).
Messages follow Accept-Language (French by default, English).
"""

api = TribuAPI(
    title="Tribu API",
    version="1",
    urls_namespace="api",
    description=DESCRIPTION,
    docs=LocalSwagger(),
)
install_handlers(api)
api.add_router("", platforms.router)
api.add_router("", catalogue.router)
api.add_router("", events.router)
api.add_router("", reports.router)
