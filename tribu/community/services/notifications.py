"""Notifications: in the app, by e-mail at once or in a weekly digest; and the ledger
flows waiting for someone's confirmation."""

from datetime import datetime
from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import TribuError
from tribu.core.words import Message
from tribu.ledger.models import EconomicEvent, Status
from tribu.ledger.services import is_counterparty, representation
from tribu.platforms.models import Platform

from ..models import (
    Delivery,
    Notification,
    NotificationPreference,
)


def preference_of(agent: Agent) -> NotificationPreference:
    return NotificationPreference.objects.get_or_create(
        agent=agent, defaults={"platform_id": agent.platform_id}
    )[0]


def set_delivery(agent: Agent, delivery: str) -> NotificationPreference:
    if delivery not in Delivery.values:
        raise TribuError(
            _("delivery: expected one of %(choices)s") % {"choices": ", ".join(Delivery.values)}
        )
    preference = preference_of(agent)
    preference.delivery = delivery
    preference.save(update_fields=["delivery"])
    return preference


def notify(recipients, kind: str, text: "str | Message", url: str = "") -> list[Notification]:
    """In-app notifications; an e-mail at once for those who chose immediate delivery.
    A `Message` is kept in English with its values, to be shown in each reader's language."""
    made = []
    message, params = (text.msgid, text.params) if isinstance(text, Message) else ("", {})
    for agent in {a.pk: a for a in recipients if a is not None}.values():
        note = Notification.objects.create(
            platform_id=agent.platform_id,
            recipient=agent,
            kind=kind,
            text=str(text),
            message=message,
            params=params,
            url=url,
        )
        if preference_of(agent).delivery == Delivery.IMMEDIATE and _email(agent):
            transaction.on_commit(partial(_send_now, note.pk))
        made.append(note)
    return made


def _email(agent: Agent) -> str:
    """Where to write; none for addresses under .invalid (demo people), which RFC 2606
    reserves for names that can never receive mail."""
    email = agent.user.email if agent.user is not None else ""
    return "" if not email or email.lower().endswith(".invalid") else email


def _send_now(notification_id: int) -> None:
    note = Notification.objects.select_related("recipient__user", "platform").get(
        pk=notification_id
    )
    send_mail(
        f"[{note.platform.name}] {note.get_kind_display()}",
        _mail_line(note),
        None,
        [_email(note.recipient)],
    )
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def _mail_line(note: Notification) -> str:
    from django.conf import settings

    return f"{note.text}\n{settings.SITE_ROOT}{note.url}" if note.url else note.text


def confirmations_to_give(agent: Agent, limit: int = 50) -> list[EconomicEvent]:
    """Proposed ledger flows that wait for `agent`'s confirmation (as the counterparty, or
    for an organization they represent)."""
    sides = [agent.pk, *agent.represents.values_list("pk", flat=True)]
    candidates = list(
        EconomicEvent.objects.filter(
            Q(provider_id__in=sides) | Q(receiver_id__in=sides),
            platform_id=agent.platform_id,
            state__status=Status.PROPOSED,
            state__corrected=False,
        )
        .exclude(recorded_by=agent)
        .select_related("provider", "receiver", "recorded_by", "resource_conforms_to", "state")
        # Whether a flow is closed is read from these, not asked once per flow.
        .prefetch_related("corrections")
        .order_by("-recorded_at")[: limit * 2]
    )
    if not candidates:
        return []
    represents = representation(agent.platform_id)  # once, not per event
    return [e for e in candidates if is_counterparty(e, agent.pk, represents)][:limit]


def mark_read(agent: Agent, notification_id: int | None = None) -> int:
    unread = Notification.objects.filter(recipient=agent, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def send_digests(platform: Platform, now: datetime | None = None) -> int:
    """One e-mail per weekly reader whose week is over, listing what they were not sent."""
    now = now or timezone.now()
    sent = 0
    preferences = NotificationPreference.objects.filter(
        platform=platform, delivery=Delivery.WEEKLY
    ).select_related("agent__user")
    for preference in preferences:
        if not preference.digest_due(now):
            continue
        pending = Notification.objects.filter(recipient=preference.agent, emailed_at__isnull=True)
        lines = [_mail_line(n) for n in pending.order_by("created_at")]
        if lines and _email(preference.agent):
            send_mail(
                _("[%(name)s] Your weekly digest") % {"name": platform.name},
                "\n\n".join(lines),
                None,
                [_email(preference.agent)],
            )
            pending.update(emailed_at=now)
            sent += 1
        preference.last_digest_at = now
        preference.save(update_fields=["last_digest_at"])
    return sent
