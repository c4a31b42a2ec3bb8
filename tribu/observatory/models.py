"""The observatory's tables: this instance's signing key, the indicator documents it
publishes or receives, its withdrawals, its subscriptions and the refusals it logged.

A document's body is kept exactly as signed (canonical JSON text); the columns beside it
are copies of a few of its fields, so that the observatory's figures read one narrow
query instead of parsing thousands of bodies.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstanceKey(models.Model):
    """The Ed25519 key pair of this instance: one row, made at first start."""

    # One row only: a second first start that races the first fails and reads the winner's.
    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    private_key = models.BinaryField()  # raw 32 bytes; never served
    public_key = models.CharField(max_length=64)  # base64url of the raw 32 bytes
    fingerprint = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.fingerprint


class Subscription(models.Model):
    """Another instance's feed, pulled by `observatory_pull`. Its key is pinned at the
    first successful pull: a feed that later changes key is refused."""

    url = models.URLField(_("feed address"), max_length=500, unique=True)
    public_key = models.CharField(max_length=64, blank=True)
    illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.url


class Document(models.Model):
    """A signed indicator document: one of ours (no subscription) or a peer's."""

    doc_id = models.CharField(max_length=200, unique=True)
    body = models.TextField()  # canonical JSON (RFC 8785), exactly the signed bytes
    signature = models.CharField(max_length=100)
    issuer = models.CharField(max_length=64)  # fingerprint of the signing key
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    platform = models.ForeignKey(
        "platforms.Platform",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observatory_documents",
    )
    platform_ref = models.CharField(max_length=200)
    platform_name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    cause_category = models.CharField(max_length=32)
    carrier_profile = models.CharField(max_length=32)
    region_code = models.CharField(max_length=3, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)
    ratio = models.FloatField(null=True)
    p_above_1 = models.FloatField(null=True)
    benefits = models.FloatField(default=0)
    costs = models.FloatField(default=0)
    illustrative = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "platform_name"]
        indexes = [
            models.Index(fields=["illustrative", "withdrawn_at"], name="obs_doc_live"),
            models.Index(fields=["cause_category"], name="obs_doc_cause"),
            models.Index(fields=["carrier_profile"], name="obs_doc_carrier"),
        ]

    def __str__(self) -> str:
        return self.doc_id


class Withdrawal(models.Model):
    """A signed withdrawal of one of our documents, served in our feed for subscribers."""

    doc_id = models.CharField(max_length=200, unique=True)
    withdraws = models.CharField(max_length=200)
    body = models.TextField()
    signature = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.doc_id


class Refusal(models.Model):
    """A document a pull refused, with the reason; the document itself is not kept."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="refusals"
    )
    doc_id = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.doc_id or '?'}: {self.reason}"
