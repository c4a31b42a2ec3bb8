"""The OpenAPI document and the interactive docs, served by the app alone."""

import re

from django.test import Client


def test_the_openapi_document_lists_every_endpoint_with_bearer_auth(db):
    document = Client().get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    paths = document["paths"]
    for endpoint in (
        "/api/platforms",
        "/api/platforms/{slug}/agents/{agent_slug}",
        "/api/platforms/{slug}/catalogue",
        "/api/platforms/{slug}/events",
        "/api/platforms/{slug}/events/{event_id}/confirm",
        "/api/platforms/{slug}/events/{event_id}/dispute",
        "/api/platforms/{slug}/events/{event_id}/correct",
        "/api/platforms/{slug}/reports/balance",
        "/api/reports/impact-map",
    ):
        assert endpoint in paths
    assert "ErrorOut" in document["components"]["schemas"]


def test_the_docs_page_loads_nothing_from_another_host(db):
    client = Client()
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "an external asset"
    assert "http://" not in html and "https://" not in html
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content)
        assert body, asset


def test_the_docs_serve_only_the_swagger_assets(db):
    client = Client()
    assert client.get("/api/docs/assets/swagger-ui.css")["Content-Type"] == "text/css"
    assert client.get("/api/docs/assets/redoc.standalone.js").status_code == 404
    assert client.get("/api/docs/assets/..%2F..%2F__init__.py").status_code == 404


def test_every_operation_documents_its_errors(db):
    """A new endpoint of this API that hides its error answers fails here."""
    document = Client().get("/api/openapi.json").json()
    own = {"platforms", "catalogue", "events", "reports"}
    operations = [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if own & set(operation["tags"])
    ]
    assert len(operations) == 15
    for method, path, operation in operations:
        errors = {code for code in operation["responses"] if code.startswith("4")}
        limited = {"429"} if path == "/api/reports/impact-map" else set()
        assert errors == {"400", "401", "403", "404", "409", "422"} | limited, (method, path)
        schema = operation["responses"]["404"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}
