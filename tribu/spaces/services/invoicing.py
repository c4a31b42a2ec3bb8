"""Invoicing learning expeditions: numbers, the seller's legal details, payment.
The invoice document itself is `tribu.spaces.invoices`."""

from datetime import date
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.ledger.models import ResourceSpecification as Spec
from tribu.ledger.services import Flow, acts_for, record_event
from tribu.platforms.access import agent_is_steward
from tribu.platforms.models import Platform

from .. import invoice_history
from ..models import (
    Gathering,
    GatheringKind,
    Invoice,
    InvoiceCounter,
    LegalDetails,
)
from .settings import place_of, space_settings


def issue_invoice(gathering: Gathering, issued_on: date | None = None) -> Invoice:
    """The invoice of a learning expedition, with the platform's next number.

    The number is taken from a per-platform counter row locked until the invoice is
    written: two invoices never share a number and a failed one leaves no gap.
    """
    platform = gathering.platform
    if gathering.kind != GatheringKind.LEARNING_EXPEDITION or gathering.client is None:
        raise TribuError(_("only learning expeditions are invoiced"))
    with transaction.atomic():
        if Invoice.objects.filter(gathering=gathering).exists():
            raise Conflict(_("“%(title)s” is already invoiced") % {"title": gathering.title})
        InvoiceCounter.objects.get_or_create(platform=platform)
        counter = InvoiceCounter.objects.select_for_update().get(platform=platform)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        invoice = Invoice.objects.create(
            platform=platform,
            number=counter.last_number,
            gathering=gathering,
            client=gathering.client,
            issuer=cast(Agent, platform.host),  # learning expeditions need a host
            amount=cast(Decimal, gathering.price),
            currency=platform.currency,
            issued_on=issued_on or timezone.localdate(),
        )
        return invoice_history.record(invoice)


# What an organization's legal details hold; the last two for associations (gift receipts).
SELLER_FIELDS = ("legal_name", "address", "siret", "vat_number", "rna", "purpose")
INVOICING_TERMS = ("vat_rate", "vat_exemption", "payment_days", "late_penalty_rate")


def update_invoicing(platform: Platform, *, actor: Agent, seller: dict, terms: dict):
    """The seller's legal details (the host organization) and the platform's invoicing
    terms; the host's staff or a facilitator set them."""
    if not may_manage_invoices(platform, actor):
        raise PermissionDenied(_("only the host's staff or a facilitator set invoicing details"))
    rules = space_settings(platform)
    for name in INVOICING_TERMS:
        setattr(rules, name, terms.get(name))
    rules.vat_exemption = (rules.vat_exemption or "").strip()
    with transaction.atomic():
        rules.save()
        set_legal_details(cast(Agent, platform.host), **seller)
    return rules


def _association_details(rna: str | None, purpose: str | None) -> dict:
    details = {}
    if rna is not None:
        rna = "".join(rna.split()).upper()
        if rna and (len(rna) != 10 or rna[0] != "W" or not rna[1:].isdigit()):
            raise TribuError(_("An RNA number is a W followed by nine digits."))
        details["rna"] = rna
    if purpose is not None:
        details["purpose"] = purpose.strip()
    return details


def set_legal_details(
    agent: Agent,
    *,
    legal_name: str,
    address: str,
    siret: str,
    vat_number: str,
    rna: str | None = None,
    purpose: str | None = None,
):
    """An organization's legal name, address, SIRET and VAT number, as invoices print them;
    an association's RNA number and object, as its gift receipts print them (left as they
    are when not given)."""
    siret = "".join((siret or "").split())
    if siret and (len(siret) != 14 or not siret.isdigit()):
        raise TribuError(_("A SIRET number has 14 digits (the first nine are the SIREN)."))
    details, _created = LegalDetails.objects.update_or_create(
        platform_id=agent.platform_id,
        agent=agent,
        defaults={
            "legal_name": (legal_name or agent.name).strip(),
            "address": (address or "").strip(),
            "siret": siret,
            "vat_number": "".join((vat_number or "").split()).upper(),
            **_association_details(rna, purpose),
        },
    )
    return details


def may_manage_invoices(platform: Platform, actor: Agent) -> bool:
    return actor.platform_id == platform.pk and (
        agent_is_steward(actor) or (platform.host is not None and acts_for(actor, platform.host))
    )


def mark_invoice_paid(invoice: Invoice, actor: Agent, paid_on: date | None = None) -> Invoice:
    """Paid: the client's money reaches the host, a market transfer in the ledger."""
    platform = invoice.platform
    if not may_manage_invoices(platform, actor):
        raise PermissionDenied(_("only the host's staff or a facilitator mark invoices paid"))
    paid_on = paid_on or timezone.localdate()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.is_paid:
            raise Conflict(
                _("invoice %(ref)s is already paid (%(day)s)")
                % {"ref": invoice.reference, "day": invoice.paid_on}
            )
        if paid_on < invoice.issued_on:
            raise TribuError(
                _("paid on %(day)s: before invoice %(ref)s was issued (%(issued)s)")
                % {"day": paid_on, "ref": invoice.reference, "issued": invoice.issued_on}
            )
        invoice.paid_on = paid_on
        invoice.save(update_fields=["paid_on"])
        invoice_history.record(invoice, by=actor)
        record_event(
            platform,
            place_of(platform),
            Flow(
                action="transfer",
                provider=invoice.client,
                receiver=invoice.issuer,
                specification=Spec.objects.get(platform=platform, slug="learning-expedition"),
                quantity=Decimal(1),
                occurred=paid_on,
                money_amount=invoice.amount,
                note=_("Invoice %(ref)s: %(title)s")
                % {"ref": invoice.reference, "title": invoice.gathering.title},
                evidence=reverse("spaces-invoice-pdf", args=[platform.slug, invoice.pk]),
                import_key=invoice.source_key,
                source=invoice.source_key,
            ),
            system=True,
        )
    return invoice
