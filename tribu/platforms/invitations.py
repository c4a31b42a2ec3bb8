"""Invitations and claim links: how the people of a platform get an account.

A steward invites by e-mail (one person, or many from a CSV); an import hands each person
it created with an e-mail a claim link. Opening the link creates an account or attaches
an existing one: one account may belong to several platforms, one role in each.
"""

import csv
import io
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import Conflict, NotFound, PermissionDenied, TribuError

from .access import STEWARDS, role_of
from .models import Invitation, Membership, Platform, Role
from .services import add_agent, free_slug, set_role

VALID_FOR = timedelta(days=14)
INVITABLE = {Role.NEWCOMER, Role.RESIDENT, Role.GUEST, Role.FACILITATOR}


def used_message() -> str:
    return _("This invitation has already been used. Log in, or ask a steward for a new one.")


def link(invitation: Invitation) -> str:
    return f"{settings.SITE_ROOT}{invitation.get_absolute_url()}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _check_steward(platform: Platform, actor: Agent) -> None:
    if actor.platform_id != platform.pk or role_of(actor) not in STEWARDS:
        raise PermissionDenied(
            _("Only the stewards of %(name)s invite people.") % {"name": platform.name}
        )


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise TribuError(_("“%(e)s” is not an e-mail address.") % {"e": email[:60]}) from None
    return email


def pending(platform: Platform, email: str):
    return Invitation.objects.filter(
        platform=platform, email=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


def _check_not_invited(platform: Platform, email: str) -> None:
    current = pending(platform, email).first()
    if current:
        raise Conflict(
            _("%(e)s has already been invited; the invitation is valid until %(d)s.")
            % {"e": email, "d": date_format(timezone.localtime(current.expires_at), "DATE_FORMAT")}
        )
    if Agent.objects.filter(platform=platform, user__email__iexact=email).exists():
        raise Conflict(_("%(e)s already belongs to this platform.") % {"e": email})


def _check_role(role: str) -> None:
    if role not in INVITABLE:
        raise TribuError(_("Choose the role of the person from the list."))


@transaction.atomic
def invite(
    platform: Platform, actor: Agent, email: str, *, name: str = "", role: str = Role.NEWCOMER
) -> Invitation:
    """An invitation to join with `role`; the link is e-mailed at once."""
    _check_steward(platform, actor)
    from .founding import check_not_closed

    check_not_closed(platform)
    _check_role(role)
    email = _clean_email(email)
    _check_not_invited(platform, email)
    invitation = Invitation.objects.create(
        platform=platform,
        email=email,
        name=(name or "").strip()[:200],
        role=role,
        token=_new_token(),
        invited_by=actor,
        expires_at=timezone.now() + VALID_FOR,
    )
    transaction.on_commit(lambda: send(invitation))
    return invitation


def read_csv(text: str) -> list[tuple[str, str]]:
    """(name, e-mail) pairs; a first line of titles is skipped; bad lines are named."""
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        if number == 1 and not any("@" in c for c in cells):
            continue
        email = next((c for c in cells if "@" in c), "")
        if not email:
            raise TribuError(_("Line %(n)s: no e-mail address.") % {"n": number})
        name = " ".join(c for c in cells if c != email)
        try:
            rows.append((name, _clean_email(email)))
        except TribuError as error:
            raise TribuError(_("Line %(n)s: %(why)s") % {"n": number, "why": error}) from None
    if not rows:
        raise TribuError(_("The file lists nobody: one line per person, a name and an e-mail."))
    return rows


@transaction.atomic
def invite_many(
    platform: Platform, actor: Agent, text: str, *, role: str = Role.NEWCOMER
) -> list[Invitation]:
    """Everyone in the CSV, or nobody if any line is wrong (the message names the line)."""
    rows = read_csv(text)
    seen = set()
    for _name, email in rows:
        if email in seen:
            raise TribuError(_("%(e)s appears twice in the file.") % {"e": email})
        seen.add(email)
    return [invite(platform, actor, email, name=name, role=role) for name, email in rows]


def claim_for(agent: Agent, email: str) -> Invitation:
    """A claim link for an agent an import created (no account yet)."""
    email = _clean_email(email)
    current = Invitation.objects.filter(agent=agent, accepted_at__isnull=True).first()
    if current:
        return current
    membership = Membership.objects.filter(agent=agent).first()
    return Invitation.objects.create(
        platform_id=agent.platform_id,
        agent=agent,
        email=email,
        name=agent.name,
        role=membership.role if membership else Role.GUEST,
        token=_new_token(),
        expires_at=timezone.now() + VALID_FOR,
    )


def claims_to_send(platform: Platform) -> list[Invitation]:
    """The claim links of people still without an account; expired ones get a new link."""
    links = []
    for claim in Invitation.objects.filter(
        platform=platform, agent__isnull=False, agent__user__isnull=True, accepted_at__isnull=True
    ).select_related("agent"):
        if claim.expires_at <= timezone.now():
            claim.token, claim.expires_at = _new_token(), timezone.now() + VALID_FOR
            claim.save(update_fields=["token", "expires_at"])
        links.append(claim)
    return links


def send(invitation: Invitation) -> None:
    platform = invitation.platform
    body = _(
        "You are invited to join %(name)s, a value platform dedicated to: %(cause)s.\n\n"
        "Open this link to create your account or attach the one you have "
        "(valid until %(d)s):\n%(link)s"
    ) % {
        "name": platform.name,
        "cause": platform.cause_title,
        "d": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
        "link": link(invitation),
    }
    send_mail(_("Invitation to %(name)s") % {"name": platform.name}, body, None, [invitation.email])


def find(token: str) -> Invitation:
    """The invitation behind a link, or a message saying why it no longer works."""
    invitation = Invitation.objects.filter(token=token).select_related("platform", "agent").first()
    if invitation is None:
        raise NotFound(
            _("This invitation link is not valid. Ask a steward of the platform for a new one.")
        )
    if invitation.accepted_at:
        raise Conflict(
            _("This invitation has already been used. Log in, or ask a steward for a new one.")
        )
    if invitation.expires_at <= timezone.now():
        raise Conflict(
            _("This invitation expired on %(d)s. Ask a steward of the platform for a new one.")
            % {"d": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")}
        )
    return invitation


@transaction.atomic
def accept(token: str, user) -> Agent:
    """Attach `user` to the platform: as the agent an import created, or as a new agent with
    the role chosen; a newcomer where vouches are required goes through applying."""
    invitation = find(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise Conflict(
            _("This invitation has already been used. Log in, or ask a steward for a new one.")
        )
    platform = invitation.platform
    if Agent.objects.filter(platform=platform, user=user).exists():
        raise Conflict(_("Your account already belongs to %(name)s.") % {"name": platform.name})
    agent = _claim(invitation, user) if invitation.agent_id else _join(invitation, user)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return agent


def _claim(invitation: Invitation, user) -> Agent:
    agent = Agent.objects.select_for_update().get(pk=invitation.agent_id)
    if agent.user_id:
        raise Conflict(
            _("This invitation has already been used. Log in, or ask a steward for a new one.")
        )
    agent.user = user
    agent.save(update_fields=["user"])
    return agent


def _join(invitation: Invitation, user) -> Agent:
    platform = invitation.platform
    name = invitation.name or user.get_full_name() or user.get_username()
    if invitation.role == Role.NEWCOMER and platform.vouches_required:
        from tribu.community.services import apply

        statement = _("Invited by %(who)s.") % {
            "who": invitation.invited_by.name if invitation.invited_by else platform.name
        }
        return apply(platform, user, name=name, statement=statement).agent
    agent = add_agent(platform, slug=free_slug(platform, name), name=name, user=user)
    set_role(agent, invitation.role, by=invitation.invited_by, reason=_("invitation accepted"))
    return agent
