"""The company's gift receipt (form 2041-MEC-SD, Cerfa 16216): the same PDF from the
service, the API, the `tribu receipt` command and the flow's page; its amounts are the
ledger's; French by default, English on request; anything but a gift is refused."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.factories import record
from tribu.agents.models import AgentKind
from tribu.api.tokens import issue_token
from tribu.cli import main
from tribu.core.formats import format_date, format_money
from tribu.dossiers.receipt import receipt_pdf
from tribu.ledger.services import confirm_event
from tribu.platforms.services import add_agent, represent
from tribu.spaces.services import set_legal_details


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def gift(running):
    company = add_agent(running.platform, slug="acme", name="Acme", kind=AgentKind.ORGANIZATION)
    represent(company, running.bob)
    set_legal_details(
        company, legal_name="Acme SA", address="1 rue de la Paix, 75002 Paris",
        siret="55208131766522", vat_number="",
    )  # fmt: skip
    set_legal_details(
        running.host, legal_name="Les Amis du Lieu", address="3 rue Neuve, 59000 Lille",
        siret="", vat_number="", rna="W595012345", purpose="Faire vivre un tiers-lieu solidaire",
    )  # fmt: skip
    day = date.today().replace(day=1) - timedelta(days=5)
    event = record(
        running, running.hana, "in-kind-goods", company, running.host, 3,
        on=day, declared_value=Decimal("1234.50"),
    )  # fmt: skip
    confirm_event(event, running.bob)
    running.gift, running.company = event, company
    return running


def test_the_receipt_prints_the_ledgers_gift_and_both_identities(gift):
    event = gift.gift
    text = _text(receipt_pdf(gift.platform, event.pk))
    flat = _flat(text)
    assert _flat(format_money(event.declared_value, "EUR", "fr")) in flat  # 1 234,50 €
    assert "1234,50€" in flat
    beneficiary = ("LesAmisduLieu", "W595012345", "Fairevivreuntiers-lieusolidaire", "3rueNeuve")
    donor = ("AcmeSA", "552081317", "1ruedelaPaix")
    form = (
        "2041-MEC-SD",
        "16216",
        "238bis",
        "Ennature",
        "Méthodedevalorisation",
        "Dateduversement",
    )
    for words in (*beneficiary, *donor, *form):
        assert words in flat, words
    assert _flat(format_date(event.occurred_on, "fr")) in flat
    english = _flat(_text(receipt_pdf(gift.platform, event.pk, "en")))
    assert "€1,234.50" in english and "Inkind" in english and "Donorcompany" in english
    assert (
        _flat("En toutes lettres : mille deux cent trente-quatre euros et cinquante centimes")
        in flat
    )
    assert _flat("one thousand, two hundred and thirty-four euro, fifty cents") in english


def test_the_api_the_command_and_the_page_give_the_receipt(gift, tmp_path, capsys):
    event, platform = gift.gift, gift.platform
    token = issue_token(gift.hana.user.username)
    api = Client(headers={"authorization": f"Bearer {token}"})
    response = api.get(f"/api/platforms/essai/receipts/{event.pk}")
    assert response.status_code == 200 and response["content-type"] == "application/pdf"
    amount = "1234,50€"
    assert amount in _flat(_text(response.content))
    out = tmp_path / "recu.pdf"
    assert (
        main(["receipt", "--platform", "essai", "--event", str(event.pk), "--out", str(out)]) == 0
    )
    assert amount in _flat(_text(out.read_bytes()))
    web = Client()
    web.force_login(gift.hana.user)
    page = web.get(f"/p/essai/ledger/{event.pk}/").content.decode()
    assert 'id="gift-receipt"' in page
    download = web.get(f"/p/essai/ledger/{event.pk}/receipt.pdf")
    assert download.status_code == 200 and amount in _flat(_text(download.content))
    assert platform.slug in download["Content-Disposition"]


def test_only_a_gift_has_a_receipt_and_only_stewards_make_it(gift, tmp_path, capsys):
    other = record(gift, gift.alice, "day-pass", gift.alice, gift.host, 1)
    token = issue_token(gift.hana.user.username)
    api = Client(headers={"authorization": f"Bearer {token}"})
    refused = api.get(f"/api/platforms/essai/receipts/{other.pk}")
    assert refused.status_code == 400 and "reçu" in refused.json()["message"]
    assert api.get("/api/platforms/essai/receipts/999999").status_code == 404
    alice = Client(headers={"authorization": f"Bearer {issue_token(gift.alice.user.username)}"})
    assert alice.get(f"/api/platforms/essai/receipts/{gift.gift.pk}").status_code == 403
    web = Client()
    web.force_login(gift.alice.user)
    assert 'id="gift-receipt"' not in web.get(f"/p/essai/ledger/{other.pk}/").content.decode()
    out = tmp_path / "x.pdf"
    argv = ["receipt", "--platform", "essai", "--event", str(other.pk), "--out", str(out)]
    assert main(argv) != 0 and not out.exists()
    assert "reçu" in capsys.readouterr().err


def test_a_receipt_waits_for_the_beneficiary_to_be_an_association(gift, tmp_path, capsys):
    """A host with no RNA number (a company, or details not entered yet) is not handed a tax
    receipt: the flow's page says what to enter and where, the API and the command refuse;
    a gift to the place is received by its carrier, the host, and printed as such."""
    from tribu.spaces.models import LegalDetails

    LegalDetails.objects.filter(agent=gift.host).update(rna="")
    event = gift.gift
    web = Client()
    web.force_login(gift.hana.user)
    page = web.get(f"/p/essai/ledger/{event.pk}/").content.decode()
    assert 'id="gift-receipt"' not in page and 'id="gift-receipt-pending"' in page
    assert "numéro RNA" in page and 'href="/p/essai/invoices/details/"' in page
    refused = web.get(f"/p/essai/ledger/{event.pk}/receipt.pdf")
    assert refused.status_code == 400 and "Les Amis du Lieu" in refused.content.decode()
    token = issue_token(gift.hana.user.username)
    api = Client(headers={"authorization": f"Bearer {token}"})
    response = api.get(f"/api/platforms/essai/receipts/{event.pk}")
    assert response.status_code == 400 and "RNA" in response.json()["message"]
    out = tmp_path / "recu.pdf"
    argv = ["receipt", "--platform", "essai", "--event", str(event.pk), "--out", str(out)]
    assert main(argv) != 0 and not out.exists()
    assert "RNA" in capsys.readouterr().err

    LegalDetails.objects.filter(agent=gift.host).update(rna="W595012345")
    to_place = record(
        gift, gift.bob, "in-kind-goods", gift.company, gift.platform.place, 1,
        declared_value=Decimal("80"),
    )  # fmt: skip
    confirm_event(to_place, gift.fanny)  # who acts for the place
    flat = _flat(_text(receipt_pdf(gift.platform, to_place.pk)))
    assert "LesAmisduLieu" in flat and "W595012345" in flat
