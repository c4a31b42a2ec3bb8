from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CarrierProfile(models.TextChoices):
    ACTIVIST_ASSOCIATION = "activist_association", _("Association militante")
    INVESTOR = "investor", _("Investisseur")
    PATRON_FOUNDATION = "patron_foundation", _("Mécène ou fondation")
    COMPANY_HOST = "company_host", _("Entreprise hôte")


class Platform(models.Model):
    """A value platform: a space dedicated to a Cause; the tenant of every other table."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=200)
    cause_title = models.CharField(_("Cause"), max_length=200)
    manifesto = models.TextField(_("manifeste"), blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacité"), null=True, blank=True)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    carrier_profile = models.CharField(
        _("profil du porteur"), max_length=32, choices=CarrierProfile.choices,
        default=CarrierProfile.COMPANY_HOST,
    )
    time_zone = models.CharField(_("fuseau horaire"), max_length=64, default="Europe/Paris")
    is_public = models.BooleanField(_("public"), default=True)
    vouches_required = models.PositiveSmallIntegerField(_("parrainages requis"), default=2)
    trial_days = models.PositiveSmallIntegerField(_("jours d'essai"), default=30)
    discount_rate = models.DecimalField(
        _("taux d'actualisation"), max_digits=5, decimal_places=4, default="0.0350"
    )
    count_inkind_costs = models.BooleanField(
        _("compter les coûts en nature"), default=False,
        help_text=_("Ce que l'agent donne en nature est aussi compté dans ses coûts."),
    )
    is_demo = models.BooleanField(_("données d'illustration"), default=False)
    place = models.OneToOneField(
        "agents.Agent", on_delete=models.PROTECT, related_name="place_of", null=True,
        blank=True, help_text=_("L'organisation qui représente le lieu lui-même."),
    )
    host = models.ForeignKey(
        "agents.Agent", on_delete=models.PROTECT, related_name="hosted_platforms",
        null=True, blank=True, help_text=_("L'organisation qui paie le loyer."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("plateforme")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platform-detail", args=[self.slug])


class Role(models.TextChoices):
    HOST = "host", _("Hôte")
    FACILITATOR = "facilitator", _("Facilitateur·rice")
    RESIDENT = "resident", _("Résident·e")
    NEWCOMER = "newcomer", _("Nouvel·le arrivant·e")
    GUEST = "guest", _("Invité·e")
    ALUMNI = "alumni", _("Ancien·ne")


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
