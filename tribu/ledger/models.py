"""The ledger: a catalogue of kinds of value, and economic events that are never changed.

`EconomicEvent` and `EventStatusChange` are append-only, enforced by database triggers
(see `guards.py`). `EventState` and `LedgerMonth` are projections the services keep in
step with them, in the same transaction, so that reports read aggregates; `tribu check`
rebuilds both from the raw ledger and fails when they differ.
"""

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 18, "decimal_places": 2}
QUANTITY = {"max_digits": 18, "decimal_places": 4}
FRACTION = {"max_digits": 6, "decimal_places": 4}


class ResourceSpecification(models.Model):
    """A kind of value (hotel night, desk-month, volunteer hour…) in a platform's catalogue.

    Its identity lives here; its proxy and adjustments live in `SpecificationValues`, one
    row per catalogue version, so that every report can say which prices it used.
    """

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="specifications"
    )
    slug = models.SlugField()
    name_fr = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    unit = models.CharField(max_length=32)
    market = models.BooleanField(default=False)
    headline = models.BooleanField(default=True)
    cvn_account = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "slug"], name="spec_slug_per_platform")
        ]

    def __str__(self) -> str:
        return self.name_fr

    def name(self, language: str = "fr") -> str:
        return self.name_en if language.startswith("en") else self.name_fr


class CatalogueVersion(models.Model):
    """One edit of a platform's catalogue; versions are numbered 1, 2, 3… per platform."""

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="catalogue_versions"
    )
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "number"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "number"], name="catalogue_version_number")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class SpecificationValues(models.Model):
    """Proxy and impact adjustments of a specification as of one catalogue version.

    An empty central proxy means "declared per event" (goods in kind, referrals): each
    event carries its own declared value, and the proxy low/high are then multipliers of
    that declared value (a referral's low 0 says it may come to nothing).
    """

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    specification = models.ForeignKey(
        ResourceSpecification, on_delete=models.CASCADE, related_name="values"
    )
    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="values")
    proxy_low = models.DecimalField(**MONEY, null=True, blank=True)
    proxy_central = models.DecimalField(**MONEY, null=True, blank=True)
    proxy_high = models.DecimalField(**MONEY, null=True, blank=True)
    proxy_source = models.TextField(blank=True)
    proxy_date = models.DateField(null=True, blank=True)
    deadweight_low = models.DecimalField(**FRACTION, default=Decimal(0))
    deadweight_central = models.DecimalField(**FRACTION, default=Decimal(0))
    deadweight_high = models.DecimalField(**FRACTION, default=Decimal(0))
    displacement_low = models.DecimalField(**FRACTION, default=Decimal(0))
    displacement_central = models.DecimalField(**FRACTION, default=Decimal(0))
    displacement_high = models.DecimalField(**FRACTION, default=Decimal(0))
    attribution_low = models.DecimalField(**FRACTION, default=Decimal(0))
    attribution_central = models.DecimalField(**FRACTION, default=Decimal(0))
    attribution_high = models.DecimalField(**FRACTION, default=Decimal(0))
    drop_off_low = models.DecimalField(**FRACTION, default=Decimal(0))
    drop_off_central = models.DecimalField(**FRACTION, default=Decimal(0))
    drop_off_high = models.DecimalField(**FRACTION, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "specification", "version"], name="one_values_row_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specification_id} @ {self.version_id}"

    @property
    def is_declared(self) -> bool:
        return self.proxy_central is None


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Room")
    DESK = "desk", _("Desk")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    EVENT_SPACE = "event_space", _("Event space")
    EQUIPMENT = "equipment", _("Equipment")


class EconomicResource(models.Model):
    """Something the place offers (a room, a desk…); its use is valued by its specification."""

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="resources"
    )
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ResourceKind.choices)
    conforms_to = models.ForeignKey(
        ResourceSpecification, on_delete=models.PROTECT, related_name="resources"
    )
    capacity = models.PositiveIntegerField(default=1)
    beds = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "slug"], name="resource_slug_per_platform")
        ]

    def __str__(self) -> str:
        return self.name


class Action(models.TextChoices):
    USE = "use", _("Use")
    DELIVER_SERVICE = "deliverService", _("Service delivered")
    TRANSFER = "transfer", _("Transfer")
    WORK = "work", _("Work")
    CITE = "cite", _("Citation")
    PRODUCE = "produce", _("Production")
    CONSUME = "consume", _("Consumption")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class EconomicEvent(models.Model):
    """One flow of value (ValueFlows' EconomicEvent). Never updated, never deleted."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    provider = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    resource_conforms_to = models.ForeignKey(
        ResourceSpecification, on_delete=models.PROTECT, related_name="events"
    )
    resource_inventoried_as = models.ForeignKey(
        EconomicResource, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    resource_quantity = models.DecimalField(**QUANTITY)
    unit = models.CharField(max_length=32)
    effort_quantity = models.DecimalField(**QUANTITY, null=True, blank=True)
    has_point_in_time = models.DateTimeField(null=True, blank=True)
    has_beginning = models.DateTimeField(null=True, blank=True)
    has_end = models.DateTimeField(null=True, blank=True)
    # The date the event counts on in reports: the point in time, or the beginning.
    occurred_on = models.DateField()
    note = models.TextField(blank=True)
    evidence = models.CharField(max_length=500, blank=True)
    money_amount = models.DecimalField(**MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    declared_value = models.DecimalField(**MONEY, null=True, blank=True)
    recorded_by = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    # NULL, not "": events typed by hand have no key, and the uniqueness is over keys only.
    import_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    # Events the system derives (a booking that took place, a paid invoice) name their source.
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "import_key"],
                name="event_import_key_per_platform",
                condition=models.Q(import_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(resource_quantity__gte=0), name="event_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(has_end__isnull=True)
                | models.Q(has_beginning__isnull=False, has_end__gt=models.F("has_beginning")),
                name="event_ends_after_it_begins",
            ),
        ]
        indexes = [
            # The ledger's order (newest first, then by number): a late page's ids are
            # counted off the index alone.
            models.Index(fields=["platform", "occurred_on", "id"], name="event_platform_day_id"),
            # The ragged days at either end of a report's period, read for one agent.
            models.Index(fields=["platform", "receiver", "occurred_on"], name="event_receiver_day"),
            models.Index(fields=["platform", "provider", "occurred_on"], name="event_provider_day"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.resource_quantity} {self.unit}"


class EventStatusChange(models.Model):
    """Append-only history of an event's status: proposed, then confirmed or disputed."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(EconomicEvent, on_delete=models.PROTECT, related_name="changes")
    status = models.CharField(max_length=16, choices=Status.choices)
    by = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        # A platform's newest change marks its ledger's state (what caches are keyed by),
        # asked on every page: PostgreSQL would otherwise walk every platform's changes
        # newer than it, newest first.
        indexes = [models.Index(fields=["platform", "id"], name="change_platform_newest")]

    def __str__(self) -> str:
        return f"#{self.event_id} {self.status}"


class EventState(models.Model):
    """Projection: the current status of each event and whether a correction replaced it."""

    event = models.OneToOneField(
        EconomicEvent, on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    corrected = models.BooleanField(default=False)
    counted = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["platform", "counted"], name="state_platform_counted")]

    def __str__(self) -> str:
        return f"#{self.event_id} {self.status}{' corrected' if self.corrected else ''}"


class LedgerMonth(models.Model):
    """Projection: monthly sums of counted events, so a report costs months, not events.

    Safe only because the ledger is append-only: an event enters the sums once when it
    becomes counted (confirmed, not corrected) and leaves them once when it stops being so.
    """

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    specification = models.ForeignKey(
        ResourceSpecification, on_delete=models.CASCADE, related_name="+"
    )
    provider = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=24, decimal_places=4, default=Decimal(0))
    money = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))
    declared = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))
    events = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "month", "specification", "provider", "receiver"],
                name="ledger_month_key",
            )
        ]
        indexes = [
            models.Index(fields=["platform", "receiver", "month"], name="month_receiver"),
            models.Index(fields=["platform", "provider", "month"], name="month_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.specification_id} {self.quantity}"


class EvidenceKind(models.TextChoices):
    REFERENCE = "reference", _("A reference (invoice, lease, transfer)")
    DOCUMENT = "document", _("A document (link to it)")
    NOTE = "note", _("A note")


class RecurringCost(models.Model):
    """A cost (or income) with an outside party, declared once with a monthly schedule;
    each month it produces one declared flow. Written once, never changed."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    specification = models.ForeignKey(ResourceSpecification, on_delete=models.PROTECT)
    amount = models.DecimalField(**MONEY)
    day = models.PositiveSmallIntegerField(default=1)
    starts = models.DateField()
    months = models.PositiveIntegerField(null=True, blank=True)
    evidence_kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    evidence = models.CharField(max_length=500)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts", "id"]

    def __str__(self) -> str:
        return f"{self.specification.slug} {self.amount}/month from {self.starts}"


class Declaration(models.Model):
    """A market flow with an outside party who is not in Tribu, declared by a steward with
    its evidence: counted in the market tier, but never confirmed by the other party."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(
        EconomicEvent, on_delete=models.PROTECT, related_name="declaration"
    )
    evidence_kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    schedule = models.ForeignKey(
        RecurringCost, on_delete=models.PROTECT, null=True, blank=True, related_name="flows"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"#{self.event_id} declared ({self.evidence_kind})"


class HistoryLink(models.Model):
    """One link of a platform's hash chain over its histories (see `chain.py`).

    Each history row (ledger events, status changes, role changes, catalogue values)
    gets a link whose SHA-256 covers the row's content and the previous link's hash, so
    that changing, removing or reordering any row breaks every hash after it.
    """

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField()
    table = models.CharField(max_length=64)
    row_id = models.BigIntegerField()
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["platform", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "seq"], name="chain_seq_per_platform"),
            models.UniqueConstraint(
                fields=["platform", "table", "row_id"], name="chain_one_link_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform_id}#{self.seq} {self.digest[:12]}"
