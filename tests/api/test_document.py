"""The API's own document says what the API does: one schema per name, a token optional
where visitors are let in, every error an operation can answer, and inputs refused when
they are not what the document says (a date is a date, a body an object)."""

import json

import pytest
from django.test import Client

from tests.spaces.helpers import future, rooms
from tribu.spaces.services import book

# Operations that let an anonymous visitor in (on a public platform).
PUBLIC = {
    ("get", "/api/platforms"),
    ("get", "/api/platforms/{slug}"),
    ("get", "/api/platforms/{slug}/agents"),
    ("get", "/api/platforms/{slug}/agents/{agent_slug}"),
    ("get", "/api/platforms/{slug}/catalogue"),
    ("get", "/api/platforms/{slug}/catalogue/versions"),
    ("get", "/api/platforms/{slug}/resources"),
    ("get", "/api/platforms/{slug}/gatherings"),
    ("get", "/api/platforms/{slug}/charter"),
    ("get", "/api/templates/events.xlsx"),
    ("get", "/api/observatory/figures"),
}
# Open to whoever holds the link's secret, which the path carries: documented like PUBLIC.
LINKS = {("get", "/api/shared/{token}/balance")}
ERROR_CODES = {"400", "401", "403", "404", "409", "422"}


@pytest.fixture
def document(db):
    return Client().get("/api/openapi.json").json()


def operations(document):
    return [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def response_schema(document, path, status="200"):
    operation = document["paths"][path]["get"]
    content = operation["responses"][status]["content"]["application/json"]
    return resolve(document, content["schema"])


def test_the_catalogue_and_the_charter_versions_keep_their_own_schemas(document):
    catalogue = response_schema(document, "/api/platforms/{slug}/catalogue")
    version = resolve(document, catalogue["properties"]["version"])
    assert {"number", "note", "created_by", "created_at"} == set(version["properties"])
    charter = response_schema(document, "/api/platforms/{slug}/charter")
    item = resolve(document, charter["items"])
    assert {"number", "text", "adopted_at", "adopted_by", "note"} == set(item["properties"])


def test_public_operations_say_that_a_token_is_optional(document, world):
    for method, path, operation in operations(document):
        if (method, path) in PUBLIC | LINKS:
            assert operation["security"] == [{}, {"TokenAuth": []}], path
        else:
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
    # And they are indeed open to visitors, on the public platform.
    for _method, path in PUBLIC:
        url = path.format(slug="autre", agent_slug="lieu")  # the place: a public profile
        assert Client().get(url).status_code == 200, url


def test_every_operation_documents_its_error_answers(document):
    for method, path, operation in operations(document):
        codes = {code for code in operation["responses"] if code.startswith("4")}
        assert ERROR_CODES <= codes, (method, path, sorted(codes))
        for code in codes:
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, code)


@pytest.mark.parametrize(
    "query", ["from=0", "to=0", "from=1700000000", "from=2026-1-5", "to=20260105"]
)
def test_a_number_is_not_a_date(world, query):
    client = world.client("hana-essai")
    for path in ("/api/platforms/essai/events", "/api/platforms/essai/reports/balance"):
        response = client.get(f"{path}?{query}", headers={"accept-language": "en"})
        assert response.status_code == 422, (path, query, response.content)
        assert "YYYY-MM-DD" in response.json()["message"]


def test_dates_as_the_document_gives_them_are_taken(world):
    client = world.client("hana-essai")
    response = client.get("/api/platforms/essai/events?from=2026-01-05&to=2026-12-31")
    assert response.status_code == 200, response.content


def test_a_moment_must_be_written_as_one(world):
    rooms(world.essai)
    start = future()
    body = {"resource": "salle", "start": 0, "end": start.isoformat()}
    response = world.client("hana-essai").post(
        "/api/platforms/essai/bookings", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content


@pytest.mark.parametrize("body", [[None, None], [], "annulé", 3, None])
def test_a_cancel_body_must_be_an_object(world, body):
    rooms(world.essai)
    salle = world.essai.platform.resources.get(slug="salle")
    booking = book(world.essai.platform, world.essai.hana, salle, future(), future(hour=12))
    response = world.client("hana-essai").post(
        f"/api/platforms/essai/bookings/{booking.pk}/cancel",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 422, (body, response.content)
    booking.refresh_from_db()
    assert booking.status != "cancelled"


def test_a_cancel_body_that_is_an_object_cancels(world):
    rooms(world.essai)
    salle = world.essai.platform.resources.get(slug="salle")
    booking = book(world.essai.platform, world.essai.hana, salle, future(), future(hour=12))
    response = world.client("hana-essai").post(
        f"/api/platforms/essai/bookings/{booking.pk}/cancel",
        {"reason": "plans changed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
