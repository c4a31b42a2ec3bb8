"""Schemathesis against the OpenAPI document, through Django's WSGI app: whatever the
input, the API never answers with a server error, and every answer is one its document
describes (status code, content type, headers, body schema). Run with the host's token
(writes reach the services), a resident's (some are refused) and as an anonymous
visitor, on whichever engine the suite runs (SQLite, or PostgreSQL with DATABASE_URL)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_test_transaction(world):
    """Django's test client keeps requests inside the test's transaction by not closing
    connections at request boundaries; a raw WSGI call must do the same."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield world
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def aim_at_real_objects(case, world, platform: str) -> None:
    """Random slugs and ids only ever reach "not found"; real ones reach the services."""
    real = {"slug": platform, "agent_slug": "alice", "event_id": world.events[platform].pk}
    for name, value in real.items():
        if name in (case.path_parameters or {}):
            case.path_parameters[name] = value


@pytest.mark.parametrize("who", ["hana-essai", "alice-essai", None])
@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, in_test_transaction, who):
    world = in_test_transaction
    # Members work in private "essai"; the visitor reads public "autre".
    aim_at_real_objects(case, world, "essai" if who else "autre")
    headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who else {}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
