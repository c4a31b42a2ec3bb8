"""The map: the directory's places and the published platforms, filtered, listed as text."""

import pytest
from django.urls import reverse

from tribu.observatory import maps
from tribu.observatory.models import Document

URL = "/observatory/map/"


def rows(page) -> int:
    return page.content.decode().count('<th scope="row">')


@pytest.mark.django_db
def test_the_map_draws_every_departement_and_lists_every_place(client):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("<path ") == 96 and len(maps.directory()) == 1512
    assert rows(page) == 1512
    assert "CGET – Mission Coworking" in text and "IGN – Admin Express COG 2018" in text
    assert "<script" not in text.split("<main", 1)[1]


@pytest.mark.django_db
def test_filters_by_type_and_region(client):
    assert rows(client.get(URL + "?type=fablab")) == 345
    assert rows(client.get(URL + "?region=53")) == 88
    both = client.get(URL + "?type=coworking&region=11")
    assert 0 < rows(both) < 344
    assert rows(client.get(URL + "?region=nowhere")) == 1512  # an unknown filter is ignored


@pytest.mark.django_db
def test_published_platforms_are_on_the_map_with_a_link_to_their_document(client):
    Document.objects.create(
        doc_id="peer/sentier/2025/1", body="{}", signature="x", issuer="peer",
        platform_ref="peer/sentier", platform_name="Le Sentier", year=2025,
        cause_category="future_of_work", carrier_profile="company_host",
        region_code="11", commune_code="75102",
    )  # fmt: skip
    page = client.get(URL + "?type=tribu").content.decode()
    assert 'class="k-tribu"' in page
    assert reverse("observatory-document", args=["peer/sentier/2025/1"]) in page
    lat, lon = maps.locate("75102")
    assert 48.8 < lat < 48.9 and 2.2 < lon < 2.5  # Paris, from its département
