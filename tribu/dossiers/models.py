from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tribu.platforms.models import Platform


class FunderLink(models.Model):
    """Read access for one outside person (a funder) to a platform's balance sheet,
    forecast and dossiers — nothing about its members — through a secret link.

    Only the link's SHA-256 is kept: the link itself is shown once, when granted. A
    steward revokes it at any time; it may also expire on its own.
    """

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="funder_links")
    person = models.CharField(_("for whom"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # Empty once restored from a backup that carries people as invitations, not accounts.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.platform.slug}: {self.person}"
