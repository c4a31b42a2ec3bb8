"""The login page of a site holding illustrative platforms names a few people to log in as,
in a fixed number of queries however many such platforms the site holds."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_tribe
from tribu.platforms.models import Platform

pytestmark = pytest.mark.django_db


def _login_page() -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = Client().get("/accounts/login/").content.decode()
    return page, len(queries)


def test_the_login_page_names_demo_people_in_a_fixed_number_of_queries():
    make_tribe("un", users=True)
    assert "tribu-demo" not in _login_page()[0]  # no illustrative platform: no hint
    Platform.objects.update(is_demo=True)
    page, one = _login_page()
    assert "tribu-demo" in page and "hana-un" in page and "fanny-un" in page
    for slug in ("deux", "trois", "quatre", "cinq", "six"):
        make_tribe(slug, users=True)
    Platform.objects.update(is_demo=True)
    page, six = _login_page()
    assert six == one
    # Four platforms at most, by name: cinq, deux, quatre, six; not trois, un.
    assert "hana-six" in page and "hana-trois" not in page and "hana-un" not in page
