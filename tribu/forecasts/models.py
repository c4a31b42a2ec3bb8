from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tribu.platforms.models import Platform


class ForecastVersion(models.Model):
    """One saved forecast of a platform: what its founders expect, before or while it runs.

    ``entry`` keeps what was typed (years, rent, other costs, each line's low / central /
    high quantity); ``impact_map`` the impact-map document it became, with the catalogue
    values of the day, so that a version is evaluated the same way forever.
    """

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="forecasts")
    number = models.PositiveIntegerField()
    entry = models.JSONField()
    impact_map = models.JSONField()
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Empty once restored from a backup that carries people as invitations, not accounts.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "number"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "number"], name="forecast_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.platform.slug} v{self.number}"
