"""Community life: joining by peer vouching, projects, needs and offers, introductions,
the living charter and notifications.

Rows that tell a history (steps of an application, vouches, concerns and their
resolutions, introductions, charter versions and comments) are written once and never
changed: `guards.py` makes UPDATE of them fail in the database. A few fields are
projections kept by `services.py` (an application's status, a proposal's status), so that
pages need not replay the history to know where things stand.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tribu.core.words import render


class CommunitySettings(models.Model):
    """Community rules of one platform that the platform itself does not hold."""

    platform = models.OneToOneField(
        "platforms.Platform", on_delete=models.CASCADE, related_name="community_settings"
    )
    advice_days = models.PositiveSmallIntegerField(_("advice period (days)"), default=7)
    reapply_days = models.PositiveSmallIntegerField(
        _("wait before applying again after a refusal (days)"), default=180
    )
    vouch_requests_per_day = models.PositiveSmallIntegerField(
        _("vouch requests sent per day at most"), default=5
    )

    def __str__(self) -> str:
        return f"{self.platform} community settings"


# --- joining --------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    OPEN = "open", _("Awaiting vouches")
    ACCEPTED = "accepted", _("Accepted")
    ENDED = "ended", _("Ended")


class Application(models.Model):
    """Someone asking to join a platform, with how they share its Cause."""

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="applications"
    )
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="applications")
    statement = models.TextField(_("how you share the Cause"))
    created_at = models.DateTimeField(default=timezone.now)
    trial_ends_at = models.DateTimeField()
    # Projection of the steps below, kept by services.py.
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.OPEN
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["platform", "status"], name="application_status")]

    def __str__(self) -> str:
        return f"{self.agent} → {self.platform}"

    @property
    def is_open(self) -> bool:
        return self.status == ApplicationStatus.OPEN


class StepKind(models.TextChoices):
    APPLIED = "applied", _("applied")
    VOUCHED = "vouched", _("vouched")
    CONCERN = "concern", _("raised a concern")
    CONCERN_WITHDRAWN = "concern_withdrawn", _("withdrew a concern")
    CONCERN_LIFTED = "concern_lifted", _("lifted a concern after seeking advice")
    CONCERN_UPHELD = "concern_upheld", _("upheld a concern after seeking advice")
    ACCEPTED = "accepted", _("became a resident")
    EXPIRED = "expired", _("trial period ended without enough vouches")


class ApplicationStep(models.Model):
    """Append-only timeline of an application, visible to every member."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    by = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.application_id}"


class Vouch(models.Model):
    """A member's word for a newcomer; one per voucher and application."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="vouches")
    voucher = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "application", "voucher"], name="one_vouch_per_voucher"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} → #{self.application_id}"


class Concern(models.Model):
    """A member's reservation about a newcomer; open until withdrawn or decided."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="concerns")
    author = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("concern"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"concern #{self.pk}"

    @property
    def is_open(self) -> bool:
        return not hasattr(self, "resolution")


class Resolution(models.TextChoices):
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")
    LIFTED = "lifted", _("Lifted by the facilitator")
    UPHELD = "upheld", _("Upheld by the facilitator")


class ConcernResolution(models.Model):
    """How a concern closed: withdrawn, or decided by the facilitator with reasons."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="resolution")
    outcome = models.CharField(max_length=16, choices=Resolution.choices)
    by = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(blank=True)
    advice = models.TextField(_("advice sought"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.outcome} #{self.concern_id}"


# --- projects, needs and offers -------------------------------------------------


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class Project(models.Model):
    """A member's own project: what it is, which skills and themes, what it needs."""

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="projects"
    )
    owner = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    themes = models.CharField(_("themes"), max_length=300, blank=True)
    needs = models.TextField(_("what it needs"), blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class IntentKind(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class IntentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Intent(models.Model):
    """ValueFlows' Intent: "I need…" or "I can help with…", with tags."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="intents")
    kind = models.CharField(_("kind"), max_length=8, choices=IntentKind.choices)
    title = models.CharField(_("in a few words"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=IntentStatus.choices, default=IntentStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["platform", "kind", "status"], name="intent_open")]

    def __str__(self) -> str:
        return self.title

    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


def split_tags(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for tag in text.replace(";", ",").split(","):
        tag = tag.strip().lower().lstrip("#")
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    HELPED = "helped", _("Helped")
    DISMISSED = "dismissed", _("Dismissed")


class Match(models.Model):
    """An offer suggested for a need, with the reason; "this helped me" links a ledger event."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="offer_matches")
    offer = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="need_matches")
    score = models.FloatField()  # a similarity, not money
    shared_tags = models.CharField(max_length=300, blank=True)
    shared_words = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED
    )
    event = models.ForeignKey(
        "ledger.EconomicEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "need", "offer"], name="one_match_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ← {self.offer_id}"

    @property
    def reason(self) -> str:
        """Why the offer was suggested, in the reader's language."""
        parts = []
        if self.shared_tags:
            parts.append(_("shares tags: %(tags)s") % {"tags": self.shared_tags})
        if self.shared_words:
            parts.append(_("similar words: %(words)s") % {"words": self.shared_words})
        return "; ".join(str(p) for p in parts)


class Introduction(models.Model):
    """ "I introduced A to B": later flows between them can be credited to it."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    on = models.DateField(_("date"), default=timezone.localdate)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id}"


# --- the living charter ---------------------------------------------------------


class CharterVersion(models.Model):
    """One adopted text of the charter; versions are numbered 1, 2, 3… and kept forever."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    text = models.TextField()
    proposal = models.OneToOneField(
        "CharterProposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adopted_by = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "number"], name="charter_version_number")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("In its advice period")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")


class CharterProposal(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    base = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("proposed text"))
    rationale = models.TextField(_("why"))
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"proposal #{self.pk}"

    @property
    def advice_over(self) -> bool:
        return timezone.now() >= self.closes_at


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    OBJECTION = "objection", _("Reasoned objection")
    WITHDRAWAL = "withdrawal", _("Objection withdrawn")


class CharterComment(models.Model):
    """A comment, a reasoned objection, or the withdrawal of one's objection."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(CharterProposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=CommentKind.choices)
    text = models.TextField(_("text"))
    withdraws = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="withdrawal"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


# --- notifications --------------------------------------------------------------


class NotificationKind(models.TextChoices):
    VOUCH_REQUEST = "vouch_request", _("Vouch request")
    JOINING = "joining", _("Joining")
    CONFIRMATION = "confirmation", _("Confirmation to give")
    MATCH = "match", _("Match")
    CHARTER = "charter", _("Charter")


class Notification(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        "agents.Agent", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    text = models.TextField()
    # The sentence in English and its values, to show it in the reader's language;
    # `text` is the same sentence as written when it was sent (and e-mailed).
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def shown(self) -> str:
        """The notification in the active language."""
        return render(self.message, self.params) if self.message else self.text


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one e-mail per notification")
    WEEKLY = "weekly", _("A weekly digest")


class NotificationPreference(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    agent = models.OneToOneField(
        "agents.Agent", on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        _("e-mails"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.delivery}"

    def digest_due(self, now) -> bool:
        return self.last_digest_at is None or now - self.last_digest_at >= timedelta(days=7)
