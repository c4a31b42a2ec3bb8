"""A funder's read-only access: a secret link, granted by a steward, revocable, and
expiring when the steward says so. It opens the balance sheet, the forecast and the
sponsor and foundation dossiers of one platform; never members, the ledger or the
investor dossier (which names the portfolio's members)."""

import hashlib
import secrets
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.core.errors import NotFound, TribuError

from .models import FunderLink

SHARED_KINDS = ("sponsor", "foundation")
MAX_DAYS = 366


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def grant(platform, user, person: str, days: int | str | None = None) -> tuple[FunderLink, str]:
    """A new link (its token is returned once, never stored)."""
    person = (person or "").strip()
    if not person:
        raise TribuError(_("say who the link is for"))
    expires = None
    if days not in (None, ""):
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= MAX_DAYS:
            raise TribuError(_("a link lasts from one day to one year"))
        expires = timezone.localdate() + timedelta(days=days)
    token = secrets.token_urlsafe(24)
    link = FunderLink.objects.create(
        platform=platform,
        person=person[:200],
        token_hash=_hash(token),
        expires_on=expires,
        granted_by=user,
    )
    return link, token


def revoke(platform, link_id: int) -> FunderLink:
    link = FunderLink.objects.filter(platform=platform, pk=link_id).first()
    if link is None:
        raise NotFound(_("no such link for this platform"))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def is_open(link: FunderLink, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return link.revoked_at is None and (link.expires_on is None or today <= link.expires_on)


def opened(token: str) -> FunderLink:
    """The link behind ``token`` while it is open; the same answer for a wrong, revoked
    or expired link, so that none can be told apart."""
    link = (
        FunderLink.objects.filter(token_hash=_hash(token or ""))
        .select_related("platform", "platform__host")
        .first()
    )
    if link is None or not is_open(link):
        raise NotFound(_("this link does not open anything (wrong, revoked or expired)"))
    return link


def shared_kind(kind: str) -> str:
    if kind not in SHARED_KINDS:
        raise NotFound(_("this link opens the sponsor and foundation dossiers only"))
    return kind
