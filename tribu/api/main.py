"""The REST API: the same services and access helpers as the pages, with token auth.

Documentation: the OpenAPI document at /api/openapi.json, interactive docs at /api/docs
(served without any CDN). Errors: see `errors.py`.
"""

from functools import wraps

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from tribu.community import api as community_api
from tribu.dossiers import api as dossiers_api
from tribu.forecasts import api as forecasts_api
from tribu.ledger.api import catalogue, events
from tribu.observatory import api as observatory_api
from tribu.platforms import api as platforms_api
from tribu.reports import api as reports_api
from tribu.spaces import api as spaces_api

from .auth import visitor
from .docs import LocalSwagger, docs_asset
from .errors import install_handlers
from .my_tokens import router as my_tokens_router


def not_found(request, rest: str = ""):
    return JsonResponse({"message": _("no such API endpoint"), "status": 404}, status=404)


def json_method_errors(view):
    """Ninja answers a wrong method with a plain-text 405; say it in JSON like every error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        message = _("method %(method)s is not allowed here") % {"method": request.method}
        refused = JsonResponse({"message": message, "status": 405}, status=405)
        refused["Allow"] = response.get("Allow", "")
        return refused

    return wrapper


class TribuDocument(OpenAPISchema):
    """The OpenAPI document, saying what Ninja's leaves out or gets wrong."""

    def operation_security(self, operation):
        # Visitors come in without credentials: the token is optional ({} in OpenAPI).
        security = super().operation_security(operation)
        if security and visitor in operation.auth_callbacks:
            return [{}, *security]
        return security

    def add_schema_definitions(self, definitions: dict) -> None:
        # Ninja keeps the last of two schemas with one name; the operations using the
        # other would then contradict their own document.
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise ValueError(f"two API schemas are named {name}: rename one")
        super().add_schema_definitions(definitions)


class TribuAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return TribuDocument(self, path_prefix)

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = json_method_errors(pattern.callback)
        # The docs page's assets, served by the app from django-ninja's own package; and a
        # JSON 404 for any other path under the API.
        asset = path("docs/assets/<str:name>", docs_asset, name="docs-asset")
        return [asset, *urls, re_path(r"^(?P<rest>.+)$", not_found)]


DESCRIPTION = """
Tribu's REST API. Authenticate with `Authorization: Bearer <token>`; a token comes from
`tribu token USERNAME` and is shown once. Public platforms, their public agents and their
catalogue can be read without a token; everything else needs a member's token.

Errors are JSON `{"message": "...", "status": N}`: 400 invalid for the ledger, 401 no or
bad token, 403 not allowed, 404 not found (a private platform is "not found" to
non-members), 405 wrong method, 409 conflict, 422 input that does not match the schema
(the field errors are listed in `errors`). Messages follow Accept-Language (French by
default, or English).
"""


def keep_operation_ids(router, module: str) -> None:
    """Name the operations of `router` as if still written in `module`: an operation id is
    part of the document clients are generated from, and moving code must not change it."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if not operation.operation_id:
                name = operation.view_func.__name__
                operation.operation_id = f"{module}_{name}".replace(".", "_")


api = TribuAPI(
    title="Tribu API",
    version="1",
    urls_namespace="api",
    description=DESCRIPTION,
    # No validator badge: Swagger UI would send the document to validator.swagger.io.
    docs=LocalSwagger(settings={"validatorUrl": None}),
)
install_handlers(api)
# Each app's routers, behind the same tokens and error handlers.
keep_operation_ids(platforms_api.platforms_router, "tribu.api.routers.platforms")
keep_operation_ids(events.router, "tribu.api.routers.events")
keep_operation_ids(catalogue.router, "tribu.api.routers.catalogue")
keep_operation_ids(reports_api.router, "tribu.api.routers.reports")
api.add_router("", platforms_api.platforms_router)
api.add_router("", catalogue.router)
api.add_router("", events.router)
api.add_router("", reports_api.router)
api.add_router("", spaces_api.router)
api.add_router("", community_api.router)
api.add_router("", platforms_api.router)
api.add_router("", observatory_api.router)
api.add_router("", forecasts_api.router)
api.add_router("", dossiers_api.router)
api.add_router("", my_tokens_router)
