"""Values no column can hold answer a 4xx naming the field, on SQLite and PostgreSQL alike,
and nothing is written: an offset no time zone has, a text longer than its column or with a
NUL character, an amount with more digits than its column."""

import json
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import make_user
from tests.spaces.helpers import rooms
from tribu.agents.models import Agent
from tribu.api.tokens import issue_token
from tribu.community.models import Application, Intent
from tribu.core.errors import TribuError
from tribu.core.validation import InvalidValue
from tribu.ledger.models import EconomicEvent
from tribu.spaces.models import Booking, Gathering

TABLES = (Booking, Gathering, Intent, Application, EconomicEvent, Agent)
LONG = "x" * 201
START, END = "2026-03-10T10:00:00", "2026-03-10T12:00:00"

# Each operation: its address, a body it takes, and who calls it.
OPERATIONS = {
    "booking": (
        "/api/platforms/essai/bookings",
        {"resource": "salle", "start": START + "+01:00", "end": END + "+01:00", "note": "Paul"},
        "hana-essai",
    ),
    "gathering": (
        "/api/platforms/essai/gatherings",
        {
            "kind": "learning_expedition",
            "title": "Visite",
            "resource": "agora",
            "start": START + "+01:00",
            "end": END + "+01:00",
            "client": "bailleur",
            "price": "1200.00",
        },
        "hana-essai",
    ),
    "intent": (
        "/api/platforms/essai/intents",
        {"kind": "need", "title": "Une perceuse"},
        "alice-essai",
    ),
    "application": (
        "/api/platforms/autre/applications",
        {"name": "Zoé", "statement": "La cause me parle."},
        "zoe",
    ),
    "event": (
        "/api/platforms/essai/events",
        {
            "action": "work",
            "provider": "alice",
            "receiver": "bob",
            "specification": "volunteer-hour",
            "quantity": "2",
            "occurred": START + "+01:00",
            "note": "étagères",
        },
        "alice-essai",
    ),
}

# (operation, field, value)
BAD = [
    ("booking", "start", START + "+20:00"),
    ("booking", "start", START + "-23:00"),
    ("booking", "end", END + "+20:00"),
    ("booking", "note", "a\x00b"),
    ("booking", "note", "x" * 301),
    ("gathering", "start", START + "+20:00"),
    ("gathering", "start", START + "-23:00"),
    ("gathering", "title", LONG),
    ("gathering", "title", "a\x00b"),
    ("gathering", "description", "a\x00b"),
    ("gathering", "price", "1e20"),
    ("gathering", "price", "0.001"),
    ("gathering", "price", "-5"),
    ("intent", "title", LONG),
    ("intent", "title", "a\x00b"),
    ("intent", "tags", "x" * 301),
    ("application", "name", LONG),
    ("application", "name", "a\x00b"),
    ("application", "statement", "a\x00b"),
    ("event", "note", "a\x00b"),
    ("event", "occurred", START + "+20:00"),
    ("event", "occurred", START + "-23:00"),
]


@pytest.fixture
def tokens(world):
    rooms(world.essai)
    make_user("zoe")
    world.tokens["zoe"] = issue_token("zoe")
    return world.tokens


def snapshot() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in TABLES)


def call(tokens, operation, **changes):
    path, body, who = OPERATIONS[operation]
    client = Client(
        headers={"authorization": f"Bearer {tokens[who]}"}, raise_request_exception=False
    )
    return client.post(path, json.dumps({**body, **changes}), content_type="application/json")


def named_fields(body: dict) -> set[str]:
    """The field names an error answer gives: its own, or the parts of each location."""
    names = {body.get("field")}
    names |= {str(part) for error in body.get("errors", ()) for part in error.get("loc", ())}
    return names - {None}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_operation_takes_its_good_body(tokens, operation):
    response = call(tokens, operation)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("operation", "field", "value"), BAD, ids=[f"{o}-{f}-{v[:12]!r}" for o, f, v in BAD]
)
def test_a_value_no_column_holds_is_refused_naming_its_field(tokens, operation, field, value):
    before = snapshot()
    response = call(tokens, operation, **{field: value})
    assert 400 <= response.status_code < 500, (connection.vendor, response.content)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert field in named_fields(body), body
    assert snapshot() == before


# --- the pages --------------------------------------------------------------------

PAGE_FORMS = {
    "spaces-book": {
        "resource": "salle",
        "start": "2026-03-10T10:00",
        "end": "2026-03-10T12:00",
        "beneficiary": "hote",
        "note": "",
    },
    "spaces-gathering-new": {
        "kind": "talk",
        "title": "Causerie",
        "description": "",
        "resource": "agora",
        "start": "2026-03-10T10:00",
        "end": "2026-03-10T12:00",
        "on_behalf_of": "hote",
        "client": "",
        "price": "",
        "is_public": "on",
    },
}
# (page, field, value, the words naming the field: French, English)
PAGE_BAD = [
    ("spaces-book", "start", "2026-03-10T10:00+20:00", ("début", "start")),
    ("spaces-book", "start", "2026-03-10T10:00-23:00", ("début", "start")),
    ("spaces-book", "end", "2026-03-10T12:00-23:00", ("fin", "end")),
    ("spaces-gathering-new", "start", "2026-03-10T10:00+20:00", ("début", "start")),
    ("spaces-gathering-new", "title", LONG, ("Titre", "Title")),
    ("spaces-gathering-new", "title", "a\x00b", ("Titre", "Title")),
    ("spaces-gathering-new", "price", "1e20", ("Prix", "Price")),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("name", "field", "value", "words"), PAGE_BAD)
def test_a_form_shows_the_refusal_naming_the_field(world, language, name, field, value, words):
    rooms(world.essai)
    client = Client(raise_request_exception=False)
    client.force_login(world.essai.hana.user)
    before = snapshot()
    data = {**PAGE_FORMS[name], field: value}
    response = client.post(reverse(name, args=["essai"]), data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert names_the_field(page, field, words[0 if language == "fr" else 1]), page
    assert snapshot() == before


def names_the_field(page: str, field: str, word: str) -> bool:
    """An error beside the field's input, or a message at the top of the form that names it."""
    beside = re.findall(r'<div class="field has-error">.*?</div>', page, re.S)
    if any(f'for="id_{field}"' in block for block in beside):
        return True
    alerts = re.findall(r'role="alert">(.*?)</div>', page, re.S)
    return any(word in alert for alert in alerts)


def test_the_pages_take_the_good_forms(world):
    rooms(world.essai)
    client = Client()
    client.force_login(world.essai.hana.user)
    for name, data in PAGE_FORMS.items():
        response = client.post(reverse(name, args=["essai"]), data)
        assert response.status_code == 302, (name, response.content.decode()[-2000:])


# --- any write ----------------------------------------------------------------------


def test_every_save_of_a_project_model_is_checked(world):
    intent = Intent(platform=world.essai.platform, agent=world.essai.alice, kind="need")
    for value in (LONG, "a\x00b", "a\x07b"):
        intent.title = value
        with pytest.raises(InvalidValue) as refused:
            intent.save()
        assert refused.value.field == "title"
        assert isinstance(refused.value, TribuError) and refused.value.status == 400
    intent.title = "ligne\tavec\r\nretours"
    intent.save()


def test_the_columns_a_save_checks_are_found_once_per_model(world, monkeypatch):
    """Every save passes the checks: which columns they look at is worked out once per
    model, not by walking the model's fields at each save."""
    import sys

    from tribu.core import validation

    intent = Intent(platform=world.essai.platform, agent=world.essai.alice, kind="need")
    intent.title = "Un plombier"
    intent.save()
    walked = []

    class Watched(tuple):
        def __iter__(self):
            if sys._getframe(1).f_code.co_filename == validation.__file__:
                walked.append(1)
            return super().__iter__()

    monkeypatch.setattr(Intent._meta, "concrete_fields", Watched(Intent._meta.concrete_fields))
    for title in ("Un électricien", "Une menuisière"):
        intent.title = title
        intent.save()
    intent.title = LONG
    with pytest.raises(InvalidValue):
        intent.save()
    assert walked == []


# --- a server error in the API is JSON ----------------------------------------------


@override_settings(DEBUG=False)
def test_a_server_error_in_the_api_answers_json(world, monkeypatch):
    from tribu.spaces import api as spaces_api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(spaces_api, "resource_in", broken)
    rooms(world.essai)
    client = Client(
        headers={"authorization": f"Bearer {world.tokens['hana-essai']}"},
        raise_request_exception=False,
    )
    path, body, _who = OPERATIONS["booking"]
    response = client.post(path, json.dumps(body), content_type="application/json")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 500
    assert "boom" not in response.content.decode()


# --- query parameters ---------------------------------------------------------------

ODD_QUERIES = [
    "/api/platforms/essai/events?from=0",
    "/api/platforms/essai/events?from=2026-02-30",
    "/api/platforms/essai/events?to=9999-12-31",
    "/api/platforms/essai/events?page=0",
    "/api/platforms/essai/events?page=99999999999999999999",
    "/api/platforms/essai/events?page_size=abc",
    "/api/platforms/essai/events?status=nope",
    "/api/platforms/essai/reports/balance?from=0&to=1",
    "/api/platforms/essai/reports/balance?draws=-1",
    "/api/platforms/essai/reports/balance?seed=1e400",
    "/api/platforms/essai/reports/balance?from=2026-03-10&to=2026-01-01",
    "/api/platforms/essai/applications?status=%00",
    "/api/platforms/essai/intents?kind=%00",
    "/p/essai/space/?week=9999-12-31",
    "/p/essai/space/?week=0001-01-01",
    "/p/essai/space/book/?day=9999-12-31",
    "/p/essai/space/book/?day=%00",
]


@pytest.mark.parametrize("path", ODD_QUERIES)
def test_odd_query_parameters_never_make_a_server_error(world, path):
    client = Client(
        headers={"authorization": f"Bearer {world.tokens['hana-essai']}"},
        raise_request_exception=False,
    )
    client.force_login(world.essai.hana.user)
    response = client.get(path)
    assert response.status_code < 500, (path, response.content[:500])
