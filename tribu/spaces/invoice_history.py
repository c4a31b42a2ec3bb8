"""The history of each invoice (issued, paid), written by the invoice services in the same
transaction as the invoice itself, and the check that holds invoices to it."""

from django.db.models import OuterRef, Q, Subquery

from tribu.agents.models import Agent

from .models import Invoice, InvoiceChange, InvoiceStatus


def record(invoice: Invoice, by: Agent | None = None, note: str = "") -> Invoice:
    """Append the invoice's current status to its history; returns the invoice."""
    InvoiceChange.objects.create(
        platform_id=invoice.platform_id, invoice=invoice, status=invoice.status, by=by, note=note
    )
    return invoice


def disagreeing(invoices):
    """The invoices whose current status is not the last entry of their history (or that
    have no history at all)."""
    latest = InvoiceChange.objects.filter(invoice=OuterRef("pk")).order_by("-at", "-id")
    recorded = invoices.annotate(recorded=Subquery(latest.values("status")[:1]))
    paid = Q(paid_on__isnull=False, recorded=InvoiceStatus.PAID)
    issued = Q(paid_on__isnull=True, recorded=InvoiceStatus.ISSUED)
    return recorded.exclude(paid | issued)
