"""Invoices as PDF (WeasyPrint), from the same template as their page."""

from django.template.loader import render_to_string
from django.utils import translation

from .models import Invoice


def invoice_pdf(invoice: Invoice, language: str | None = None) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    with translation.override(language or translation.get_language()):
        html = render_to_string("spaces/invoice_pdf.html", {"invoice": invoice})
    return HTML(string=html).write_pdf()
