"""Shared fixtures: named people in a small platform, and the append-only guards in tests.

Emptying the database between transactional tests (Django's flush) deletes ledger and
community history rows, which the append-only triggers forbid. Transactional tests
therefore lift the triggers just before the flush; every test that uses the database puts
them back first, so each test runs against guarded tables.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from tribu.community.guards import HISTORY
from tribu.forecasts.guards import VERSIONS
from tribu.ledger.guards import CATALOGUE, CHAIN, DECLARED, LEDGER
from tribu.platforms.guards import ROLES, SETTINGS_HISTORY
from tribu.spaces.guards import INVOICE_HISTORY, INVOICES

GUARDS = (
    LEDGER,
    HISTORY,
    SETTINGS_HISTORY,
    DECLARED,
    VERSIONS,
    CATALOGUE,
    ROLES,
    CHAIN,
    INVOICE_HISTORY,
    INVOICES,
)


def pytest_configure(config):
    """The SQLite test database is a file (see settings): make sure its folder exists."""
    default = Path(__file__).resolve().parent.parent / "var" / "test-tribu.sqlite3"
    Path(os.getenv("SQLITE_TEST_PATH", default)).parent.mkdir(parents=True, exist_ok=True)
    # The browser tests' live server serves static files from the apps' folders, by their
    # plain names; hashed names are the production server's (tested with gunicorn).
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def db(db):
    for guard in GUARDS:
        guard.install(connection)
    yield


@pytest.fixture
def transactional_db(transactional_db):
    for guard in GUARDS:
        guard.install(connection)
    yield
    cache.clear()  # the database cache is not a model: the flush would leave its rows
    for guard in GUARDS:
        guard.remove(connection)


@pytest.fixture(autouse=True)
def _browser_tests_run_beside_an_event_loop(request, monkeypatch):
    """Playwright's sync API runs an event loop in the test's thread, and Django refuses
    database calls beside one unless told otherwise: tell it, for browser tests only."""
    if request.node.get_closest_marker("browser"):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def tribe(db):
    """A platform with a host organization (represented by Hana), a facilitator and residents."""
    from tests.factories import make_tribe

    return make_tribe()
