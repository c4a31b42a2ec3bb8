from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CarrierProfile(models.TextChoices):
    ACTIVIST_ASSOCIATION = "activist_association", _("Activist association")
    INVESTOR = "investor", _("Investor")
    PATRON_FOUNDATION = "patron_foundation", _("Patron or foundation")
    COMPANY_HOST = "company_host", _("Company host")
    COMMUNITY_LAB = "community_lab", _("Community lab")


class CauseCategory(models.TextChoices):
    """A short list, so that the observatory can compare platforms of the same kind."""

    ENVIRONMENT = "environment", _("Environment and climate")
    SOCIAL_INCLUSION = "social_inclusion", _("Social inclusion and solidarity")
    FUTURE_OF_WORK = "future_of_work", _("Work and entrepreneurship")
    DIGITAL = "digital", _("Digital and technology")
    CULTURE = "culture", _("Culture and creation")
    FOOD_AGRICULTURE = "food_agriculture", _("Food and agriculture")
    HEALTH = "health", _("Health and care")
    EDUCATION = "education", _("Education and research")
    CRAFT_MAKING = "craft_making", _("Craft, making and repair")
    OTHER = "other", _("Other")


class PlatformStatus(models.TextChoices):
    """A platform's life: a draft is its founders' only; a closed one is read-only."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class TrialArea(models.TextChoices):
    """What stewards may open to applicants and members on trial, beyond the public page,
    the charter, gatherings, needs and offers, their own application and their own flows."""

    LEDGER = "ledger", _("The whole ledger and its notes")
    BALANCES = "balances", _("Balance sheets, the flow map and the catalogue")
    MEMBERS = "members", _("The roles list, the directory and members-only profiles")
    COMMUNITY = "community", _("Other applications, projects and the charter's debates")


class Platform(models.Model):
    """A value platform: a space dedicated to a Cause; the tenant of every other table."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    cause_title = models.CharField(_("Cause"), max_length=200)
    manifesto = models.TextField(_("manifesto"), blank=True)
    cause_category = models.CharField(
        _("cause category"),
        max_length=32,
        choices=CauseCategory.choices,
        default=CauseCategory.OTHER,
    )
    cause_detail = models.CharField(_("cause, in your words"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=PlatformStatus.choices, default=PlatformStatus.OPEN
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    commune_code = models.CharField(
        _("commune code (INSEE)"), max_length=5, blank=True, help_text=_("For example 75102.")
    )
    region_code = models.CharField(_("region code (INSEE)"), max_length=3, blank=True)
    monthly_rent = models.DecimalField(
        _("monthly rent"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    monthly_charges = models.DecimalField(
        _("monthly service charges"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    opening_date = models.DateField(_("opening date"), null=True, blank=True)
    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    carrier_profile = models.CharField(
        _("carrier profile"),
        max_length=32,
        choices=CarrierProfile.choices,
        default=CarrierProfile.COMPANY_HOST,
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    is_public = models.BooleanField(_("public"), default=True)
    vouches_required = models.PositiveSmallIntegerField(_("vouches required"), default=2)
    trial_days = models.PositiveSmallIntegerField(_("trial days"), default=30)
    trial_sees = models.JSONField(
        _("what people on trial also see"),
        default=list,
        blank=True,
        help_text=_("Areas the stewards open to applicants and members on trial."),
    )
    discount_rate = models.DecimalField(
        _("discount rate"), max_digits=5, decimal_places=4, default="0.0350"
    )
    count_inkind_costs = models.BooleanField(
        _("count in-kind costs"),
        default=False,
        help_text=_("What an agent gives in kind also counts in its costs."),
    )
    is_demo = models.BooleanField(_("illustrative data"), default=False)
    place = models.OneToOneField(
        "agents.Agent",
        on_delete=models.PROTECT,
        related_name="place_of",
        null=True,
        blank=True,
        help_text=_("The organization that stands for the place itself."),
    )
    host = models.ForeignKey(
        "agents.Agent",
        on_delete=models.PROTECT,
        related_name="hosted_platforms",
        null=True,
        blank=True,
        help_text=_("The organization that pays the rent."),
    )
    photo = models.ImageField(_("photo of the place"), upload_to="places/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("platform")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platform-detail", args=[self.slug])


class Role(models.TextChoices):
    HOST = "host", _("Host")
    FACILITATOR = "facilitator", _("Facilitator")
    RESIDENT = "resident", _("Resident")
    NEWCOMER = "newcomer", _("Newcomer")
    GUEST = "guest", _("Guest")
    ALUMNI = "alumni", _("Alumni")


class Membership(models.Model):
    """An agent's place in a platform. Its role changes only through `MembershipChange`."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="memberships")
    agent = models.ForeignKey("agents.Agent", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "agent"], name="one_membership_per_agent")
        ]

    def __str__(self) -> str:
        return f"{self.agent} — {self.get_role_display()}"


class MembershipChange(models.Model):
    """Append-only history of roles: who became what, when, why, on whose word."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="changes")
    role = models.CharField(max_length=16, choices=Role.choices)
    previous_role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_role or '∅'} → {self.role}"


class SettingChange(models.Model):
    """Append-only history of a platform's settings: who changed what, when."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=32)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"

    @property
    def label(self) -> str:
        if self.field in ("created", "photo"):
            return {"created": _("Founded"), "photo": _("photo")}[self.field]
        return str(Platform._meta.get_field(self.field).verbose_name)


class Invitation(models.Model):
    """A link that lets a person create an account (or attach theirs) and join a platform.

    An invitation names a role; a claim (`agent` set) hands an agent that an import
    created to whoever opens the link. Used once, valid until `expires_at`.
    """

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.NEWCOMER)
    agent = models.ForeignKey(
        "agents.Agent", on_delete=models.CASCADE, null=True, blank=True, related_name="claims"
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        "agents.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.platform}"

    def get_absolute_url(self) -> str:
        return reverse("platforms-invitation", args=[self.token])
