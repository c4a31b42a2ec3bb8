"""The space: settings, bookings, gatherings with registrations, invoices, residency terms.

Resources themselves (`tribu.ledger.models.EconomicResource`) live in the ledger, because
their use is valued by their specification. Everything here is written only through
`tribu.spaces.services`.
"""

import secrets
from datetime import time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tribu.ledger.models import MONEY


class SpaceSettings(models.Model):
    """Platform-wide rules of the space: opening hours and what guests may book."""

    platform = models.OneToOneField(
        "platforms.Platform", on_delete=models.CASCADE, related_name="space_settings"
    )
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(20, 0))
    guest_max_hours_per_week = models.PositiveIntegerField(
        _("hours a guest may book per week"), default=8
    )
    # Invoicing terms (French business-to-business invoices).
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=20)
    vat_exemption = models.CharField(
        _("VAT exemption mention (when no VAT is charged)"), max_length=200, blank=True
    )
    payment_days = models.PositiveIntegerField(_("payment due after (days)"), default=30)
    late_penalty_rate = models.DecimalField(
        _("late-payment penalty rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )

    def __str__(self) -> str:
        return f"{self.platform} {self.opens_at}–{self.closes_at}"


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """A resource held over the half-open interval [start, end).

    `booked_by` is the person who made the booking; `beneficiary` is whom it serves (the
    person, or the organization a staff member booked for): the ledger's receiver.
    Active bookings of one resource never overlap: an exclusion constraint on PostgreSQL
    (migration 0002), a check inside an IMMEDIATE transaction on SQLite.
    """

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="bookings"
    )
    resource = models.ForeignKey(
        "ledger.EconomicResource", on_delete=models.PROTECT, related_name="bookings"
    )
    booked_by = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, related_name="bookings"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    # A billed learning expedition's room is part of what the client pays for: the invoice
    # is the host's benefit, and valuing the venue as well would count it twice.
    counts_as_use = models.BooleanField(default=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["platform", "resource", "start"], name="booking_resource_start")
        ]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{self.resource} {start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.ACTIVE

    @property
    def source_key(self) -> str:
        return f"booking:{self.pk}"


class GatheringKind(models.TextChoices):
    APERO = "apero", _("Apéro")
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop")
    LEARNING_EXPEDITION = "learning_expedition", _("Learning expedition")


class Gathering(models.Model):
    """An event in the calendar sense, held in a booked space.

    Its booking's beneficiary is whom the gathering serves: the host's own gatherings
    count as the host's use of the event space.
    """

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="gatherings"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=GatheringKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organizer = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="gathering")
    capacity = models.PositiveIntegerField(_("capacity"))
    is_public = models.BooleanField(_("public"), default=True)
    client = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    price = models.DecimalField(_("price"), **MONEY, null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking__start", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def start(self):
        return self.booking.start

    @property
    def end(self):
        return self.booking.end


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="registrations")
    agent = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The waiting list is served first come, first served.
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "gathering", "agent"], name="one_registration_per_agent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.gathering} ({self.status})"


class LegalDetails(models.Model):
    """What an invoice says of an organization, as seller or buyer: legal name, address,
    SIRET (its first nine digits are the SIREN) and intra-community VAT number; for an
    association, the RNA number and its object, which a gift receipt prints."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="+")
    legal_name = models.CharField(_("legal name"), max_length=200)
    address = models.TextField(_("address"))
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    rna = models.CharField(_("RNA number (associations)"), max_length=10, blank=True)
    purpose = models.TextField(_("object (associations)"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "agent"], name="one_legal_details_per_agent"
            )
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def siren(self) -> str:
        return self.siret[:9]


class InvoiceCounter(models.Model):
    """The last invoice number of a platform; locked while a number is allocated."""

    platform = models.OneToOneField(
        "platforms.Platform", on_delete=models.CASCADE, related_name="invoice_counter"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.platform}: {self.last_number}"


class Invoice(models.Model):
    """A learning expedition billed to its client; numbered 1, 2, 3… per platform."""

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="invoices"
    )
    number = models.PositiveIntegerField()
    gathering = models.OneToOneField(Gathering, on_delete=models.PROTECT, related_name="invoice")
    client = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    issued_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["platform", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "number"], name="invoice_number_per_platform"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.platform.slug.upper()}-{self.number:05d}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None

    @property
    def status(self) -> str:
        return InvoiceStatus.PAID if self.is_paid else InvoiceStatus.ISSUED

    @property
    def source_key(self) -> str:
        return f"invoice:{self.pk}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")


class InvoiceChange(models.Model):
    """Append-only history of an invoice: issued, then paid; who, when, why.

    The invoice's own row keeps only its current state (`paid_on`); this history is what
    `tribu check` holds it to, and each row joins the platform's hash chain."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="changes")
    status = models.CharField(max_length=16, choices=InvoiceStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.invoice}: {self.status}"


class ResidencyAgreement(models.Model):
    """A resident's terms: free residency in exchange for days of contribution each month."""

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="residency_agreements"
    )
    resident = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, related_name="residency_agreements"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    days_owed_per_month = models.DecimalField(
        _("days of contribution owed per month"), max_digits=4, decimal_places=1
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "resident__name", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="agreement_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident} {self.start}–{self.end}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in a member's private calendar URL; regenerating it revokes the old URL."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    agent = models.OneToOneField("agents.Agent", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.agent} (calendar token)"
