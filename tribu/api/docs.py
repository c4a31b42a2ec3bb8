"""Interactive API docs served entirely by the app: Swagger UI from django-ninja's own
package files instead of a CDN, so the docs work offline and load nothing from elsewhere."""

import mimetypes
from importlib import resources

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

# Only these files of ninja's static folder are served.
DOCS_ASSETS = frozenset(
    {"swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css", "favicon.svg", "favicon.png"}
)


class LocalSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "api": api,
            "swagger_settings": settings,
            "asset_url": reverse(f"{api.urls_namespace}:docs-asset", args=["-"])[:-1],
        }
        return render(request, "api/swagger.html", context)


def docs_asset(request, name: str):
    if name not in DOCS_ASSETS:
        raise Http404(name)
    asset = resources.files("ninja").joinpath("static", "ninja", name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(asset.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
