"""A funder's read-only link: granted by a steward, opens the balance sheet, forecast and
sponsor/foundation dossiers, nothing about members; revocable; expires."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tribu.api.tokens import issue_token
from tribu.dossiers import sharing
from tribu.dossiers.models import FunderLink


def test_a_link_opens_the_balance_and_dossiers_but_no_member(running):
    _link, token = sharing.grant(running.platform, running.hana.user, "Fondation X", 30)
    visitor = Client()
    page = visitor.get(f"/share/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Qu’est-ce qui le rendrait rentable" in html and "Fondation X" in html
    assert "Alice" not in html and "/ledger" not in html
    pdf = visitor.get(f"/share/{token}/dossier/foundation.pdf")
    assert pdf.status_code == 200 and pdf["content-type"] == "application/pdf"
    assert visitor.get(f"/share/{token}/dossier/investor.pdf").status_code == 404
    api = visitor.get(f"/api/shared/{token}/balance").json()
    assert f"{api['extended']['ratio']:.3f}".replace(".", ",") in html
    assert visitor.get("/p/essai/balance/").status_code == 302  # the link is no membership


def test_revoked_expired_and_wrong_links_open_nothing(running):
    link, token = sharing.grant(running.platform, running.hana.user, "Mécène", None)
    sharing.revoke(running.platform, link.pk)
    _old, expired = sharing.grant(running.platform, running.hana.user, "Ancien", 1)
    FunderLink.objects.filter(person="Ancien").update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    for secret in (token, expired, "nope"):
        assert Client().get(f"/share/{secret}/").status_code == 404
        assert Client().get(f"/api/shared/{secret}/balance").status_code == 404


def test_stewards_grant_and_revoke_through_page_and_api_residents_cannot(running):
    web = Client()
    web.force_login(running.hana.user)
    bad = web.post("/p/essai/funders/", {"person": "", "days": ""})
    assert bad.status_code == 400 and not FunderLink.objects.exists()
    made = web.post("/p/essai/funders/", {"person": "Banque Y", "days": "90"})
    assert made.status_code == 200 and "/share/" in made.content.decode()
    link = FunderLink.objects.get()
    web.post(f"/p/essai/funders/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None
    hana = Client(headers={"authorization": f"Bearer {issue_token(running.hana.user.username)}"})
    created = hana.post(
        "/api/platforms/essai/funder-links",
        {"person": "Z", "days": 7},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["path"].startswith("/share/")
    alice = Client(headers={"authorization": f"Bearer {issue_token(running.alice.user.username)}"})
    refused = alice.post(
        "/api/platforms/essai/funder-links", {"person": "Z"}, content_type="application/json"
    )
    assert refused.status_code == 403 and FunderLink.objects.count() == 2
