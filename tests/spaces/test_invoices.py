"""Invoices: numbered without gaps per platform, a PDF, and once paid a market transfer."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import translation

from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.ledger.models import EconomicEvent
from tribu.reports.aggregates import Period
from tribu.reports.balance import agent_balance
from tribu.spaces.invoices import invoice_pdf
from tribu.spaces.models import Gathering, GatheringKind, Invoice
from tribu.spaces.services import (
    book,
    create_gathering,
    issue_invoice,
    mark_invoice_paid,
)

from .helpers import at, rooms


def expedition(tribe, agora, day="2026-03-10", price="1500"):
    return create_gathering(
        tribe.platform,
        tribe.hana,
        kind="learning_expedition",
        title="Learning expedition Acme",
        resource=agora,
        start=at(day, 9),
        end=at(day, 12),
        client=tribe.landlord,
        price=Decimal(price),
        invoiced_on=date.fromisoformat(day),
    )


def test_a_learning_expedition_is_invoiced_and_its_payment_is_host_revenue(tribe):
    _room, _salle, agora = rooms(tribe)
    invoice = expedition(tribe, agora).invoice
    assert (invoice.number, invoice.client, invoice.issuer) == (1, tribe.landlord, tribe.host)
    with pytest.raises(PermissionDenied):
        mark_invoice_paid(invoice, tribe.bob)
    with pytest.raises(TribuError, match="before invoice"):
        mark_invoice_paid(invoice, tribe.hana, invoice.issued_on - timedelta(days=1))
    mark_invoice_paid(invoice, tribe.hana, date(2026, 3, 20))
    event = EconomicEvent.objects.get(import_key=f"invoice:{invoice.pk}")
    assert (event.action, event.provider, event.receiver) == (
        "transfer",
        tribe.landlord,
        tribe.host,
    )
    assert event.money_amount == Decimal("1500.00")
    assert event.source == f"invoice:{invoice.pk}"
    balance = agent_balance(
        tribe.platform, tribe.host, Period(date(2026, 1, 1), date(2027, 1, 1)), draws=200
    )
    assert Decimal(balance["tiers"]["market"]["revenue"]) == Decimal(1500)
    with pytest.raises(Conflict):
        mark_invoice_paid(invoice, tribe.hana)


def test_the_invoice_pdf_is_a_pdf_with_its_number(tribe):
    _room, _salle, agora = rooms(tribe)
    invoice = expedition(tribe, agora).invoice
    pdf = invoice_pdf(invoice, "fr")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000


def test_the_invoice_says_what_french_law_asks_of_a_business_invoice(tribe):
    from django.template.loader import render_to_string

    from tribu.spaces.invoices import invoice_facts
    from tribu.spaces.services import set_legal_details

    _room, _salle, agora = rooms(tribe)
    invoice = expedition(tribe, agora).invoice
    set_legal_details(
        tribe.host, legal_name="Hôte SAS", address="1 rue A\n75002 Paris",
        siret="90000000100017", vat_number="FR 43 900000001",
    )  # fmt: skip
    set_legal_details(
        tribe.landlord, legal_name="Bailleur SCI", address="2 rue B", siret="", vat_number=""
    )
    facts = invoice_facts(invoice)
    assert (facts.net, facts.vat, facts.total) == (Decimal(1500), Decimal(300), Decimal(1800))
    assert facts.due_on == invoice.issued_on + timedelta(days=30)
    with translation.override("fr"):
        html = render_to_string("spaces/invoice_pdf.html", {"invoice": invoice, "facts": facts})
    text = " ".join(html.replace("\u00a0", " ").replace("\u202f", " ").split())
    for part in (
        "Hôte SAS", "1 rue A", "SIREN 900000001", "SIRET 90000000100017",
        "N° de TVA intracommunautaire FR43900000001", "Bailleur SCI", "2 rue B",
        invoice.reference, "Émise le 10 mars 2026 · échéance le 9 avr. 2026",
        "Total HT", "TVA à 20 %", "300,00 €", "Total à payer TTC", "1 800,00 €",
        "sous 30 jours", "Banque centrale européenne majoré de dix points",
        "indemnité forfaitaire de 40 €",
    ):  # fmt: skip
        assert part in text, part
    assert "Learning expedition: Learning expedition" not in text


def test_an_exempt_platform_prints_the_mention_instead_of_vat(tribe):
    from tribu.spaces.invoices import invoice_facts
    from tribu.spaces.services import update_invoicing

    _room, _salle, agora = rooms(tribe)
    invoice = expedition(tribe, agora).invoice
    update_invoicing(
        tribe.platform,
        actor=tribe.hana,
        seller={"legal_name": "", "address": "", "siret": "", "vat_number": ""},
        terms={
            "vat_rate": Decimal(20),
            "vat_exemption": "TVA non applicable, art. 293 B du CGI",
            "payment_days": 45,
            "late_penalty_rate": Decimal("12.5"),
        },
    )
    facts = invoice_facts(invoice)
    assert (facts.vat_rate, facts.vat, facts.total) == (None, 0, Decimal(1500))
    assert facts.exemption == "TVA non applicable, art. 293 B du CGI"
    with pytest.raises(TribuError, match="14 digits"):
        update_invoicing(
            tribe.platform,
            actor=tribe.hana,
            seller={"legal_name": "X", "address": "", "siret": "123", "vat_number": ""},
            terms={"vat_rate": Decimal(20), "vat_exemption": "", "payment_days": 30},
        )


def test_invoice_numbers_have_no_gaps_and_no_duplicates_under_concurrency(transactional_db):
    """Eight workers invoice eight expeditions at once: numbers 1…8, each once."""
    from tests.factories import make_tribe

    tribe = make_tribe("factures")
    _room, _salle, agora = rooms(tribe)
    gatherings = []
    for i in range(8):
        start = at("2026-05-04", 8) + timedelta(days=i)
        booking = book(
            tribe.platform,
            tribe.hana,
            agora,
            start,
            start + timedelta(hours=3),
            beneficiary=tribe.host,
        )
        gatherings.append(
            Gathering.objects.create(
                platform=tribe.platform,
                kind=GatheringKind.LEARNING_EXPEDITION,
                title=f"LE {i}",
                organizer=tribe.hana,
                booking=booking,
                capacity=10,
                client=tribe.landlord,
                price=Decimal(1000),
            )
        )
    barrier = threading.Barrier(len(gatherings))
    errors: list[Exception] = []

    def worker(gathering):
        try:
            barrier.wait()
            issue_invoice(gathering)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(g,)) for g in gatherings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(
        Invoice.objects.filter(platform=tribe.platform).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 9))
