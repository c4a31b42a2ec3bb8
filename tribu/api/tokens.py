"""Issuing, checking and revoking API tokens (`tribu token USERNAME [--revoke PREFIX]`,
and the page /me/tokens/). A token lasts settings.TRIBU_TOKEN_DAYS (90 days by default)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.core.errors import NotFound

from .models import ApiToken, token_digest

SECRET_PREFIX = "tribu_"  # noqa: S105 - a public marker, not a secret
# Writing "last used" on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def active_user(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(_("no active user “%(username)s”") % {"username": username})
    return user


def issue_token(username: str) -> str:
    """A new token for `username`; the returned secret is never stored nor shown again."""
    user = active_user(username)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=token_digest(secret),
        prefix=secret[: len(SECRET_PREFIX) + 4],
        expires_at=timezone.now() + timedelta(days=settings.TRIBU_TOKEN_DAYS),
    )
    return secret


def revoke_token(user, prefix: str) -> int:
    """End the tokens of `user` whose secret starts with `prefix`; returns how many."""
    if len(prefix) <= len(SECRET_PREFIX):
        raise NotFound(_("no token starting with “%(prefix)s”") % {"prefix": prefix})
    revoked, _by_model = ApiToken.objects.filter(user=user, prefix__startswith=prefix).delete()
    if not revoked:
        raise NotFound(_("no token starting with “%(prefix)s”") % {"prefix": prefix})
    return revoked


def tokens_of(user):
    """The user's tokens, newest first (their secrets are not kept: only prefixes)."""
    return ApiToken.objects.filter(user=user)


def revoke_own_token(user, token_id: int) -> None:
    """End one of `user`'s tokens; another user's token does not exist for them."""
    revoked, _by_model = tokens_of(user).filter(pk=token_id).delete()
    if not revoked:
        raise NotFound(_("no such token"))


def user_for_token(secret: str):
    """The active user a secret belongs to, or None."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.filter(
            digest=token_digest(secret), user__is_active=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
