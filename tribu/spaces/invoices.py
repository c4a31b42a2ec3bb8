"""Invoices as PDF (WeasyPrint), with what French law asks of an invoice between
businesses (Code de commerce L441-9 and R123-237, CGI 242 nonies A): both parties' legal
names, addresses, SIREN and VAT numbers, the number, issue and due dates, the VAT lines
or the exemption's mention, payment terms, the late-payment penalty rate and the fixed
recovery indemnity of 40 €."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.template.loader import render_to_string
from django.utils import translation

from .models import Invoice, LegalDetails
from .services import space_settings

CENT = Decimal("0.01")
RECOVERY_INDEMNITY = Decimal(40)  # Code de commerce, D441-5


@dataclass(frozen=True)
class Party:
    legal_name: str
    address: str
    siren: str
    siret: str
    vat_number: str


@dataclass(frozen=True)
class InvoiceFacts:
    seller: Party
    buyer: Party
    net: Decimal
    vat_rate: Decimal | None  # None: exempt, see `exemption`
    vat: Decimal
    total: Decimal
    exemption: str
    due_on: date
    payment_days: int
    late_penalty_rate: Decimal | None  # None: the ECB rate plus ten points (L441-10)
    recovery_indemnity: Decimal


def party(agent, fallback_address: str = "") -> Party:
    details = LegalDetails.objects.filter(agent=agent).first()
    if details is None:
        return Party(agent.name, fallback_address, "", "", "")
    return Party(
        details.legal_name, details.address, details.siren, details.siret, details.vat_number
    )


def invoice_facts(invoice: Invoice) -> InvoiceFacts:
    """Everything the invoice states, computed once: the amount is before VAT."""
    rules = space_settings(invoice.platform)
    exempt = bool(rules.vat_exemption)
    rate = None if exempt else rules.vat_rate
    vat = Decimal(0) if exempt else (invoice.amount * rate / 100).quantize(CENT, ROUND_HALF_UP)
    return InvoiceFacts(
        seller=party(invoice.issuer, invoice.platform.address),
        buyer=party(invoice.client),
        net=invoice.amount,
        vat_rate=rate,
        vat=vat,
        total=invoice.amount + vat,
        exemption=rules.vat_exemption,
        due_on=invoice.issued_on + timedelta(days=rules.payment_days),
        payment_days=rules.payment_days,
        late_penalty_rate=rules.late_penalty_rate,
        recovery_indemnity=RECOVERY_INDEMNITY,
    )


def invoice_pdf(invoice: Invoice, language: str | None = None) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    with translation.override(language or translation.get_language()):
        html = render_to_string(
            "spaces/invoice_pdf.html", {"invoice": invoice, "facts": invoice_facts(invoice)}
        )
    return HTML(string=html).write_pdf()
