"""An issued invoice keeps its number, parties and amount; each change of its status is in
an append-only history that joins the hash chain, and `tribu check` holds invoices to it
(issue "Trust", item 1)."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from tribu.ledger.checks import check_chain, check_invoices, check_triggers, run_checks
from tribu.spaces.guards import INVOICES
from tribu.spaces.models import InvoiceChange
from tribu.spaces.services import mark_invoice_paid

from .helpers import rooms
from .test_invoices import expedition


def raw(sql: str, params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def invoice(tribe):
    _room, _salle, agora = rooms(tribe)
    return expedition(tribe, agora).invoice


def test_issuing_and_paying_write_the_history(tribe, invoice):
    mark_invoice_paid(invoice, tribe.hana, date(2026, 3, 20))
    history = list(InvoiceChange.objects.filter(invoice=invoice).values_list("status", "by"))
    assert history == [("issued", None), ("paid", tribe.hana.pk)]
    assert all(result.ok for result in run_checks(tribe.platform))


@pytest.mark.parametrize(
    "column, value",
    [("amount", 1), ("number", 99), ("client_id", None), ("issued_on", "2020-01-01")],
)
def test_what_an_invoice_says_cannot_be_rewritten(invoice, column, value):
    value = invoice.issuer_id if value is None else value
    with pytest.raises(DatabaseError):
        raw(f"UPDATE spaces_invoice SET {column} = %s WHERE id = %s", [value, invoice.pk])
    invoice.refresh_from_db()
    assert invoice.amount == 1500 and invoice.number == 1


def test_an_invoice_cannot_be_deleted(invoice):
    with pytest.raises(DatabaseError):
        raw("DELETE FROM spaces_invoice WHERE id = %s", [invoice.pk])


def test_check_finds_an_invoice_paid_behind_its_history(tribe, invoice):
    assert check_invoices(tribe.platform).ok
    raw("UPDATE spaces_invoice SET paid_on = %s WHERE id = %s", ["2026-03-20", invoice.pk])
    result = check_invoices(tribe.platform)
    assert not result.ok and f"#{invoice.number}" in result.detail


def test_the_history_of_an_invoice_cannot_be_rewritten(tribe, invoice):
    change = InvoiceChange.objects.get(invoice=invoice)
    with pytest.raises(DatabaseError):
        raw("UPDATE spaces_invoicechange SET status = 'paid' WHERE id = %s", [change.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM spaces_invoicechange WHERE id = %s", [change.pk])


def test_a_rewritten_invoice_history_breaks_the_chain(tribe, invoice):
    assert check_chain(tribe.platform).ok
    from tribu.spaces.guards import INVOICE_HISTORY

    INVOICE_HISTORY.remove(connection)  # as an intruder with the database's keys would
    try:
        raw("UPDATE spaces_invoicechange SET note = 'forged' WHERE invoice_id = %s", [invoice.pk])
    finally:
        INVOICE_HISTORY.install(connection)
    assert not check_chain(tribe.platform).ok


def test_check_wants_the_invoice_guards(tribe):
    assert check_triggers().ok
    INVOICES.remove(connection)
    try:
        assert not check_triggers().ok
    finally:
        INVOICES.install(connection)
