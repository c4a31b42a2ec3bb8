"""The observatory's figures: disclosure rules, pooled ratio and interval, sets never mixed."""

import pytest
from django.urls import reverse

from tribu.observatory import figures
from tribu.observatory.models import Document


def doc(ref, year=2025, *, cause="culture", carrier="investor", b=150.0, c=100.0, **extra):
    fields = {"ratio": b / c, "p_above_1": 0.7 if b > c else 0.2, "illustrative": False}
    return Document.objects.create(
        doc_id=f"peer/{ref}/{year}/1",
        body="{}",
        signature="x",
        issuer="peer",
        platform_ref=f"peer/{ref}",
        platform_name=ref,
        year=year,
        cause_category=cause,
        carrier_profile=carrier,
        benefits=b,
        costs=c,
        **(fields | extra),
    )


def by_key(groups):
    return {group.key: group for group in groups}


@pytest.mark.django_db
def test_a_group_of_two_platforms_is_hidden_even_with_many_years():
    for year in (2021, 2022, 2023):
        doc("a", year, cause="health")
        doc("b", year, cause="health")
    group = by_key(figures.answer().by_cause)["health"]
    assert group.years == 6 and group.platforms == 2
    assert group.hidden == "frequency"
    assert group.median_ratio is None and group.pooled is None


@pytest.mark.django_db
def test_a_dominant_platform_hides_the_total():
    doc("big", cause="digital", b=9000, c=8000)
    for ref in ("s1", "s2", "s3"):
        doc(ref, cause="digital", b=300, c=200)
    group = by_key(figures.answer().by_cause)["digital"]
    assert group.platforms == 4 and group.hidden == "dominance"
    assert group.pooled is None


@pytest.mark.django_db
def test_three_comparable_platforms_are_shown_with_an_interval():
    doc("p1", b=100, c=100)
    doc("p2", b=300, c=200)
    doc("p3", b=80, c=100)
    doc("p3", 2024, b=120, c=100)
    group = by_key(figures.answer().by_cause)["culture"]
    assert group.hidden == "" and group.years == 4 and group.platforms == 3
    assert group.median_ratio == pytest.approx(1.1)  # median of 1.0, 1.5, 0.8, 1.2
    assert group.share_likely == 0.5
    assert group.pooled == pytest.approx(600 / 500)
    assert group.low <= group.pooled <= group.high and group.low < group.high


@pytest.mark.django_db
def test_real_documents_answer_alone_once_there_is_one(client):
    for ref in ("i1", "i2", "i3"):
        doc(ref, illustrative=True)
    assert figures.answer().illustrative and figures.answer().platforms == 3
    doc("real-one", cause="health")
    found = figures.answer()
    assert not found.illustrative and found.platforms == 1
    assert found.overall.hidden == "frequency"
    page = client.get(reverse("observatory"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not enough platforms yet" in page
    withdrawn = Document.objects.get(platform_ref="peer/real-one")
    withdrawn.withdrawn_at = withdrawn.received_at
    withdrawn.save()
    assert figures.answer().illustrative


@pytest.mark.django_db
def test_every_figure_links_to_the_documents_behind_it(client):
    for ref in ("p1", "p2", "p3"):
        doc(ref)
    page = client.get(reverse("observatory"), HTTP_ACCEPT_LANGUAGE="en")
    link = f"{reverse('observatory-documents')}?cause=culture&amp;set=real"
    assert page.content.decode().count(link) >= 5
    listed = client.get(reverse("observatory-documents") + "?cause=culture&set=real")
    assert listed.content.decode().count("/observatory/documents/peer/") == 3


@pytest.mark.django_db
def test_the_page_answers_anew_when_a_document_arrives(client):
    for ref in ("i1", "i2", "i3"):
        doc(ref, illustrative=True)
    assert "obs-banner" in client.get(reverse("observatory")).content.decode()
    doc("real-one")
    assert "obs-banner" not in client.get(reverse("observatory")).content.decode()
