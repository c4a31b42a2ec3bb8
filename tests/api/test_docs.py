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
    """A new endpoint of this API that hides its error answers fails here, whatever its app."""
    document = Client().get("/api/openapi.json").json()
    operations = [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 40
    for method, path, operation in operations:
        errors = {code for code in operation["responses"] if code.startswith("4")}
        limited = {"429"} if path == "/api/reports/impact-map" else set()
        assert errors == {"400", "401", "403", "404", "409", "422"} | limited, (method, path)
        schema = operation["responses"]["404"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


# Every action a page offers (a form or button that writes) and the API operation that does
# the same through the same service (paths under /api/platforms/{slug}). A new page action
# must be added here with its API operation; a new read-only page goes in PAGES.
ACTIONS = {
    "event-record": "POST /events",
    "event-confirm": "POST /events/{event_id}/confirm",
    "event-dispute": "POST /events/{event_id}/dispute",
    "event-correct": "POST /events/{event_id}/correct",
    "catalogue-edit": "POST /catalogue",
    "community-join": "POST /applications",
    "community-vouch": "POST /applications/{application_id}/vouches",
    "community-concern": "POST /applications/{application_id}/concerns",
    "community-concern-withdraw": "POST /concerns/{concern_id}/withdrawal",
    "community-concern-decide": "POST /concerns/{concern_id}/decision",
    "community-leave": "POST /leave",
    "community-intents": "POST /intents",
    "community-intent-withdraw": "POST /intents/{intent_id}/withdraw",
    "community-match-helped": "POST /matches/{match_id}/helped",
    "community-match-dismiss": "POST /matches/{match_id}/dismiss",
    "community-event-confirm": "POST /events/{event_id}/confirm",
    "community-charter-propose": "POST /charter/proposals",
    "community-charter-comment": "POST /charter/proposals/{proposal_id}/comments",
    "community-charter-decide": "POST /charter/proposals/{proposal_id}/decision",
    "community-objection-withdraw": "POST /charter/comments/{comment_id}/withdrawal",
    "community-introduce": "POST /introductions",
    "spaces-book": "POST /bookings",
    "spaces-booking-cancel": "POST /bookings/{booking_id}/cancel",
    "spaces-gathering-new": "POST /gatherings",
    "spaces-gathering-register": "POST /gatherings/{gathering_id}/registrations",
    "spaces-invoice-paid": "POST /invoices/{invoice_id}/paid",
    "spaces-gathering-cancel": "POST /gatherings/{gathering_id}/cancel",
    "spaces-registration-cancel": "POST /registrations/{registration_id}/cancel",
    "spaces-check-in": "POST /registrations/{registration_id}/check-in",
    "platforms-start": "POST /api/platforms",
    "platforms-settings": "PATCH /api/platforms/{slug}",
    "platforms-status": "POST /status",
    "platforms-trial": "PUT /trial-areas",
    "platforms-invitations": "POST /invitations",
    "platforms-invitation": "POST /api/invitations/{token}/accept",
    "platforms-costs": "POST /declared-flows",
    "observatory-publish": "POST /observatory/{year}",
    "observatory-withdraw": "DELETE /observatory/{year}",
    "forecast-new": "POST /forecasts",
    "funders": "POST /funder-links",
    "funder-revoke": "POST /funder-links/{link_id}/revoke",
    "members": "POST /members",
    "community-me": "GET /me",
    "community-profile-edit": "PUT /me",
    "community-project-new": "POST /projects",
    "community-project-edit": "PUT /projects/{project_id}",
    # The page marks all read and sets the delivery: PUT /notifications/preference.
    "community-notifications": "POST /notifications/read",
    # The page adds resources and sets the rules: PUT /space/settings.
    "spaces-resources": "POST /resources",
    "spaces-feed-regenerate": "POST /space/calendar-token",
    "spaces-contribute": "POST /residency/{agent_slug}/contributions",
    "spaces-agreement-new": "POST /residency/{agent_slug}/agreements",
    "spaces-invoicing": "PUT /invoicing",
    "platforms-photo": "POST /photo",
    "revoke-token": "DELETE /api/me/tokens/{token_id}",
}
PAGES = {
    "home",
    "profile",
    "platform-detail",
    "ledger",
    "event-detail",
    "balance-sheet",
    "balance-csv",
    "balance-line",
    "flow-map",
    "catalogue",
    "catalogue-version",
    "community-applications",
    "community-application",
    "community-members",
    "community-member",
    "community-project",
    "community-intent",
    "community-charter",
    "community-charter-proposal",
    "community-dashboard",
    "spaces-calendar",
    "spaces-resource-calendar",
    "spaces-my-bookings",
    "spaces-bookings-ics",
    "spaces-gatherings",
    "spaces-gatherings-ics",
    "spaces-gathering",
    "spaces-invoices",
    "spaces-invoice-pdf",
    "spaces-residency-list",
    "spaces-residency",
    "balance-xlsx",
    "dossier",
    "dossier-form",
    "gift-receipt",
    "favicon",
    "forecast",
    "forecast-actual",
    "forecast-version",
    "my-tokens",
    "observatory",
    "observatory-commune-mesure",
    "observatory-document",
    "observatory-documents",
    "observatory-feed",
    "observatory-key",
    "observatory-map",
    "observatory-publication",
    "platforms-photo-file",
    "shared",
    "shared-dossier",
    "to-confirm",
}


def page_names() -> set[str]:
    """The names of the platform's pages (accounts, admin, languages and the API aside)."""
    from django.urls import get_resolver

    names = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif pattern.name and pattern.callback.__module__.startswith("tribu."):
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names - {name for name in names if name.startswith(("api", "account", "docs"))}


def operation_of(action: str) -> str:
    """An action's operation: paths are under /api/platforms/{slug} unless given whole."""
    if " /api/" in action:
        return action
    return action.replace(" ", " /api/platforms/{slug}", 1)


def test_every_page_action_has_an_api_operation(db):
    document = Client().get("/api/openapi.json").json()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
    }
    names = page_names()
    assert names == set(ACTIONS) | PAGES, "a page to classify"
    missing = {name: op for name, op in ACTIONS.items() if operation_of(op) not in operations}
    assert missing == {}
