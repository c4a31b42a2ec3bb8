"""Issued invoices stay as issued, in the database itself: their history is append-only,
and an invoice's number, parties, amount and dates never change, only whether it is paid."""

from tribu.core.guards import AppendOnly, FrozenBut

INVOICE_HISTORY = AppendOnly(
    function="tribu_invoice_history",
    tables=("spaces_invoicechange",),
    message="the history of invoices is append-only: record a new change instead",
)

INVOICES = FrozenBut(
    function="tribu_invoice_frozen",
    tables=("spaces_invoice",),
    message="an issued invoice never changes nor goes away, except being marked paid",
    mutable=("paid_on",),
)
