from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class Agent(models.Model):
    """A Person or an Organization in one platform (ValueFlows' Agent).

    Agents belong to a platform so that no platform ever sees another's people; one login
    may stand behind agents in several platforms.
    """

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="agents"
    )
    slug = models.SlugField()
    kind = models.CharField(max_length=16, choices=AgentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agents",
    )
    is_public = models.BooleanField(_("public profile"), default=False)
    bio = models.TextField(_("about"), blank=True)
    representatives = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="represents",
        help_text=_("The people who act on behalf of this organization."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "slug"], name="agent_slug_per_platform")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organization(self) -> bool:
        return self.kind == AgentKind.ORGANIZATION
