"""Issuing and checking API tokens (`tribu token USERNAME` calls `issue_token`)."""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.core.errors import NotFound

from .models import ApiToken, token_digest

SECRET_PREFIX = "tribu_"  # noqa: S105 - a public marker, not a secret
# Writing "last used" on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def issue_token(username: str) -> str:
    """A new token for `username`; the returned secret is never stored nor shown again."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(_("no active user “%(username)s”") % {"username": username})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, digest=token_digest(secret), prefix=secret[: len(SECRET_PREFIX) + 4]
    )
    return secret


def user_for_token(secret: str):
    """The active user a secret belongs to, or None."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.filter(digest=token_digest(secret), user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
