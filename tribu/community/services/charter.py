"""The living charter: its versions, proposals for change, comments and objections, and
their adoption (by a facilitator, or on its own after the advice period)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tribu.agents.models import Agent
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.core.words import Message
from tribu.platforms.access import (
    FACILITATORS,
    members,
    require_role,
)
from tribu.platforms.models import Platform

from ..models import (
    CharterComment,
    CharterProposal,
    CharterVersion,
    CommentKind,
    NotificationKind,
    ProposalStatus,
)
from .common import _require_community, _same_platform, _text, _url, settings_for
from .notifications import notify


def current_charter(platform: Platform) -> CharterVersion | None:
    return CharterVersion.objects.filter(platform=platform).order_by("-number").first()


@transaction.atomic
def start_charter(platform: Platform, text: str, by: Agent | None = None) -> CharterVersion:
    """The first version, written by the founders before anyone could object to it."""
    if current_charter(platform) is not None:
        raise Conflict(_("this platform already has a charter: propose a change instead"))
    return CharterVersion.objects.create(
        platform=platform,
        number=1,
        text=_text(text, _("text")),
        adopted_by=by,
        note=_("First version"),
    )


@transaction.atomic
def propose_change(
    author: Agent, text: str, rationale: str, now: datetime | None = None
) -> CharterProposal:
    """Any member proposes a new text; the advice period starts now (`now` for imports
    and the demo, which replay proposals made earlier)."""
    _require_community(author, _("propose a charter change"))
    platform = author.platform
    base = current_charter(platform)
    text = _text(text, _("proposed text"))
    if base is not None and base.text.strip() == text:
        raise TribuError(_("proposed text: it is the same as the current charter"))
    now = now or timezone.now()
    proposal = CharterProposal.objects.create(
        platform=platform,
        author=author,
        base=base,
        text=text,
        rationale=_text(rationale, _("why")),
        opened_at=now,
        closes_at=now + timedelta(days=settings_for(platform).advice_days),
    )
    notify(
        [m for m in members(platform) if m.pk != author.pk],
        NotificationKind.CHARTER,
        Message(
            gettext_noop(
                "%(author)s proposes a change to the charter; advice is open until %(day)s."
            ),
            author=author.name,
            day=timezone.localdate(proposal.closes_at).isoformat(),
        ),
        _url("community-charter-proposal", platform, proposal.pk),
    )
    return proposal


def _open_proposal(proposal: CharterProposal) -> CharterProposal:
    locked = CharterProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.OPEN:
        raise Conflict(
            _("this proposal is already closed (%(status)s)")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def comment(
    proposal: CharterProposal, author: Agent, text: str, *, objection: bool = False
) -> CharterComment:
    _same_platform(author, proposal)
    _require_community(author, _("comment on the charter"))
    proposal = _open_proposal(proposal)
    kind = CommentKind.OBJECTION if objection else CommentKind.COMMENT
    return CharterComment.objects.create(
        platform_id=proposal.platform_id,
        proposal=proposal,
        author=author,
        kind=kind,
        text=_text(text, _("text")),
    )


@transaction.atomic
def withdraw_objection(objection: CharterComment, author: Agent, text: str = "") -> CharterComment:
    _same_platform(author, objection)
    if objection.kind != CommentKind.OBJECTION or objection.author_id != author.pk:
        raise PermissionDenied(_("only its author withdraws an objection"))
    _open_proposal(objection.proposal)
    if CharterComment.objects.filter(withdraws=objection).exists():
        raise Conflict(_("this objection is already withdrawn"))
    return CharterComment.objects.create(
        platform_id=objection.platform_id,
        proposal_id=objection.proposal_id,
        author=author,
        kind=CommentKind.WITHDRAWAL,
        text=text.strip() or _("Objection withdrawn"),
        withdraws=objection,
    )


def standing_objections(proposal: CharterProposal):
    return proposal.comments.filter(kind=CommentKind.OBJECTION, withdrawal__isnull=True)


@transaction.atomic
def adopt(
    proposal: CharterProposal, by: Agent | None, note: str = "", now: datetime | None = None
) -> CharterVersion:
    """Adopt a proposal as the next version: by the facilitator (who gives reasons when
    objections still stand), or by the system when the advice period passed without one."""
    if by is not None:
        _same_platform(by, proposal)
        require_role(by, FACILITATORS, _("adopt charter changes"))
    proposal = _open_proposal(proposal)
    standing = standing_objections(proposal).exists()
    if by is None and (standing or proposal.closes_at > (now or timezone.now())):
        raise Conflict(
            _(
                "a proposal is adopted on its own only after its advice period, "
                "with no standing objection"
            )
        )
    if by is not None and standing and not note.strip():
        raise TribuError(_("note: objections still stand; give the reasons for adopting"))
    current = current_charter(proposal.platform)
    if (current and current.pk) != proposal.base_id:
        raise Conflict(
            _(
                "the charter changed since this proposal was made: "
                "propose the change again on the current text"
            )
        )
    proposal.status = ProposalStatus.ADOPTED
    proposal.save(update_fields=["status"])
    version = CharterVersion.objects.create(
        platform_id=proposal.platform_id,
        number=(current.number if current else 0) + 1,
        text=proposal.text,
        proposal=proposal,
        adopted_by=by,
        note=note.strip() or _("Adopted: no objection stood at the end of the advice period"),
    )
    notify(
        members(proposal.platform),
        NotificationKind.CHARTER,
        Message(gettext_noop("Version %(n)s of the charter is adopted."), n=version.number),
        _url("community-charter", proposal.platform),
    )
    return version


@transaction.atomic
def reject(proposal: CharterProposal, by: Agent, note: str) -> CharterProposal:
    _same_platform(by, proposal)
    require_role(by, FACILITATORS, _("decide on charter changes"))
    note = _text(note, _("note"))
    proposal = _open_proposal(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.save(update_fields=["status"])
    CharterComment.objects.create(
        platform_id=proposal.platform_id,
        proposal=proposal,
        author=by,
        kind=CommentKind.COMMENT,
        text=note,
    )
    return proposal


def adopt_due(platform: Platform, now: datetime | None = None) -> list[CharterVersion]:
    """Adopt, oldest first, the proposals whose advice period passed with no objection."""
    now = now or timezone.now()
    adopted = []
    due = CharterProposal.objects.filter(
        platform=platform, status=ProposalStatus.OPEN, closes_at__lte=now
    ).order_by("opened_at", "pk")
    for proposal in due:
        if standing_objections(proposal).exists():
            continue
        try:
            adopted.append(adopt(proposal, None, now=now))
        except Conflict:  # based on a text another adoption just replaced
            continue
    return adopted
