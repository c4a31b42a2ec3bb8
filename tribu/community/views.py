"""Community pages. Each view fetches through an access helper, validates its form, calls
one service and redirects; `action` (tribu.web.errors) turns service errors into 404, 403
or a message on the page."""

import difflib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribu.agents.models import Agent
from tribu.core.errors import PermissionDenied, TribuError
from tribu.ledger.services import confirm_event, counterparty_of, current_status
from tribu.platforms.access import (
    FACILITATORS,
    STEWARDS,
    VOUCHING_ROLES,
    access_event,
    access_member,
    access_platform,
    acting_agent,
    role_in,
    role_of,
)
from tribu.platforms.models import Membership, Role, TrialArea
from tribu.web.context import platform_context
from tribu.web.errors import action, back

from . import dashboard as board
from . import services
from .access import (
    access_application,
    access_comment,
    access_concern,
    access_intent,
    access_match,
    access_profile,
    access_project,
    access_proposal,
    viewer,
    visible_applications,
    visible_profiles,
    visible_projects,
)
from .forms import (
    ApplyForm,
    CommentForm,
    ConcernForm,
    DecideProposalForm,
    DecisionForm,
    HelpedForm,
    IntentForm,
    IntroductionForm,
    NoteForm,
    PreferenceForm,
    ProfileForm,
    ProjectForm,
    ProposalForm,
)
from .models import (
    Application,
    ApplicationStatus,
    CharterProposal,
    CharterVersion,
    CommentKind,
    Intent,
    IntentKind,
    IntentStatus,
    Match,
    MatchStatus,
    Notification,
    ProposalStatus,
)


def _page(request, platform, template: str, context: dict):
    agent = viewer(request.user, platform)
    unread = (
        Notification.objects.filter(recipient=agent, read_at__isnull=True).count() if agent else 0
    )
    mine = {"me": agent, "my_role": role_in(request.user, platform), "unread": unread}
    return render(
        request, f"community/{template}", platform_context(request, platform, **context | mine)
    )


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def _done(request, message: str, to: str):
    messages.success(request, message)
    return redirect(to)


# --- joining --------------------------------------------------------------------


@action
def join(request, slug: str):
    platform = access_platform(request.user, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ApplyForm(
        request.POST or None,
        initial={"name": request.user.get_full_name() or request.user.username},
    )
    if request.method == "POST" and form.is_valid():
        application = services.apply(platform, request.user, **form.cleaned_data)
        return _done(
            request,
            _("Your application is recorded; residents have been asked to vouch for you."),
            _url("community-application", slug, application.pk),
        )
    mine = Application.objects.filter(platform=platform, agent__user=request.user).first()
    return _page(request, platform, "join.html", {"form": form, "mine": mine})


@action
def applications(request, slug: str):
    platform, me, _role = access_member(request.user, slug, area="own")
    rows = visible_applications(request.user, platform, me).select_related("agent")
    return _page(
        request,
        platform,
        "applications.html",
        {
            "open": board.awaiting_vouches(platform).filter(pk__in=rows.values("pk")),
            "closed": rows.exclude(status=ApplicationStatus.OPEN)[:50],
        },
    )


@action
def application_detail(request, slug: str, pk: int):
    application, me = access_application(request.user, slug, pk)
    platform = application.platform
    concerns = application.concerns.select_related("author", "resolution__by")
    return _page(
        request,
        platform,
        "application.html",
        {
            "application": application,
            "steps": application.steps.select_related("by"),
            "vouches": application.vouches.select_related("voucher"),
            "concerns": concerns,
            "may_vouch": application.is_open
            and me.pk != application.agent_id
            and role_of(me) in VOUCHING_ROLES
            and not application.vouches.filter(voucher=me).exists(),
            "is_facilitator": role_of(me) in FACILITATORS,
            "note_form": NoteForm(),
            "concern_form": ConcernForm(),
            "decision_form": DecisionForm(),
        },
    )


@require_POST
@action
def vouch(request, slug: str, pk: int):
    application, me = access_application(request.user, slug, pk)
    form = NoteForm(request.POST)
    services.vouch(application, me, form.data.get("note", ""))
    return _done(request, _("Your vouch is recorded."), back(request))


@require_POST
@action
def concern(request, slug: str, pk: int):
    application, me = access_application(request.user, slug, pk)
    services.raise_concern(application, me, request.POST.get("text", ""))
    return _done(request, _("Your concern is recorded; the facilitator is told."), back(request))


@require_POST
@action
def concern_withdraw(request, slug: str, pk: int):
    concern_, me = access_concern(request.user, slug, pk)
    services.withdraw_concern(concern_, me, request.POST.get("note", ""))
    return _done(request, _("Your concern is withdrawn."), back(request))


@require_POST
@action
def concern_decide(request, slug: str, pk: int):
    concern_, me = access_concern(request.user, slug, pk)
    services.decide_concern(
        concern_,
        me,
        request.POST.get("outcome", ""),
        reasons=request.POST.get("reasons", ""),
        advice=request.POST.get("advice", ""),
    )
    return _done(request, _("Your decision is recorded with its reasons."), back(request))


@require_POST
@action
def leave(request, slug: str):
    platform, me, _role = access_member(request.user, slug, area="own")
    services.leave(me, request.POST.get("reason", ""))
    return _done(
        request,
        _("You left %(name)s. Thank you for everything.") % {"name": platform.name},
        platform.get_absolute_url(),
    )


# --- members and projects -------------------------------------------------------


@action
def member_list(request, slug: str):
    platform = access_platform(request.user, slug)
    roles = dict(Membership.objects.filter(platform=platform).values_list("agent_id", "role"))
    people = [
        (a, Role(roles[a.pk]).label)
        for a in visible_profiles(request.user, platform)
        if a.pk in roles
    ]
    return _page(
        request,
        platform,
        "members.html",
        {"people": people, "projects": visible_projects(request.user, platform)},
    )


@action
def member_detail(request, slug: str, agent_slug: str):
    agent = access_profile(request.user, slug, agent_slug)
    platform = agent.platform
    return _page(
        request,
        platform,
        "member.html",
        {
            "agent": agent,
            "projects": visible_projects(request.user, platform).filter(owner=agent),
            # `role` is the viewer's (see _page): the member's own is `member_role`.
            "member_role": _role_label(role_of(agent)),
            "mine": request.user.is_authenticated and agent.user_id == request.user.pk,
        },
    )


def _role_label(role: str | None) -> str:
    return Role(role).label if role else ""


@action
def profile_edit(request, slug: str):
    """One's own profile in this platform: name, about, visibility."""
    platform, me, _role = access_member(request.user, slug, area="own")
    initial = {"name": me.name, "bio": me.bio, "is_public": me.is_public}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(me, **form.cleaned_data)
        return _done(request, _("Profile saved."), _url("community-member", slug, me.slug))
    return _page(request, platform, "profile_form.html", {"form": form})


@action
def project_detail(request, slug: str, pk: int):
    project = access_project(request.user, slug, pk)
    return _page(request, project.platform, "project.html", {"project": project})


@action
def project_edit(request, slug: str, pk: int | None = None):
    platform, me, _role = access_member(request.user, slug, area=TrialArea.COMMUNITY)
    project = access_project(request.user, slug, pk) if pk else None
    if project is not None and project.owner_id != me.pk:
        raise PermissionDenied(_("only its owner edits a project"))
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        saved = services.save_project(me, form.cleaned_data, project)
        return _done(request, _("Project saved."), _url("community-project", slug, saved.pk))
    return _page(request, platform, "project_form.html", {"form": form, "project": project})


# --- needs and offers -----------------------------------------------------------


@action
def intent_list(request, slug: str):
    platform, me, _role = access_member(request.user, slug, area="intents")
    form = IntentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        intent = services.post_intent(me, **form.cleaned_data)
        return _done(
            request,
            _("Posted. Matching offers and needs are suggested below."),
            _url("community-intent", slug, intent.pk),
        )
    open_intents = Intent.objects.filter(platform=platform, status=IntentStatus.OPEN)
    return _page(
        request,
        platform,
        "intents.html",
        {
            "form": form,
            "needs": open_intents.filter(kind=IntentKind.NEED).select_related("agent"),
            "offers": open_intents.filter(kind=IntentKind.OFFER).select_related("agent"),
            "mine": Intent.objects.filter(platform=platform, agent=me).exclude(
                status=IntentStatus.OPEN
            )[:20],
        },
    )


@action
def intent_detail(request, slug: str, pk: int):
    intent, me = access_intent(request.user, slug, pk)
    platform = access_platform(request.user, slug)
    related = "offer_matches" if intent.kind == IntentKind.NEED else "need_matches"
    matches = (
        getattr(intent, related)
        .exclude(status=MatchStatus.DISMISSED)
        .select_related("need__agent", "offer__agent", "event")
    )
    rows = [_match_row(m, me) for m in matches]
    helped = HelpedForm(
        specifications=services.help_specifications(platform), language=get_language() or "fr"
    )
    return _page(
        request, platform, "intent.html", {"intent": intent, "rows": rows, "helped_form": helped}
    )


def _match_row(match: Match, me: Agent) -> dict:
    sides = (match.need.agent_id, match.offer.agent_id)
    row = {"match": match, "mine": me.pk in sides, "status": None, "may_confirm": False}
    if match.event_id:
        row["status"] = current_status(match.event)
        row["may_confirm"] = (
            row["status"] != "confirmed" and counterparty_of(match.event).pk == me.pk
        )
    return row


@require_POST
@action
def intent_withdraw(request, slug: str, pk: int):
    intent, me = access_intent(request.user, slug, pk)
    services.withdraw_intent(intent, me)
    return _done(request, _("Withdrawn."), _url("community-intents", slug))


@require_POST
@action
def match_helped(request, slug: str, pk: int):
    match, me = access_match(request.user, slug, pk)
    specs = services.help_specifications(match.need.platform)
    form = HelpedForm(request.POST, specifications=specs)
    if not form.is_valid():
        raise TribuError(_("hours: give a number of hours, 0 or more"))
    data = form.cleaned_data
    spec = specs.filter(slug=data["specification"]).first() if data["specification"] else None
    event = services.mark_helped(
        match,
        me,
        hours=data["hours"],
        specification=spec,
        declared_value=data["declared_value"],
        note=data["note"],
    )
    return _done(
        request,
        _("Thank you! Flow #%(id)s is proposed; %(who)s is asked to confirm it.")
        % {"id": event.pk, "who": counterparty_of(event).name},
        back(request),
    )


@require_POST
@action
def match_dismiss(request, slug: str, pk: int):
    match, me = access_match(request.user, slug, pk)
    services.dismiss_match(match, me)
    return _done(request, _("Suggestion dismissed."), back(request))


@require_POST
@action
def event_confirm(request, slug: str, event_id: int):
    """Confirm a flow born from a match, through the ledger's own service."""
    event, me, _role = access_event(request.user, slug, event_id)
    confirm_event(event, me)
    return _done(
        request,
        _("Flow #%(id)s confirmed: it now counts in the balance sheets.") % {"id": event.pk},
        back(request),
    )


# --- the living charter ---------------------------------------------------------


def charter_diff(old: str, new: str) -> str:
    """A side-by-side table of changes; HtmlDiff escapes the texts itself."""
    table = difflib.HtmlDiff().make_table(
        old.splitlines(), new.splitlines(), _("before"), _("after"), context=True, numlines=2
    )
    return mark_safe(table)  # noqa: S308 - built by difflib from escaped text


@action
def charter(request, slug: str):
    platform = access_platform(request.user, slug)
    versions = list(
        CharterVersion.objects.filter(platform=platform).select_related(
            "adopted_by", "proposal__author"
        )
    )
    history = [
        {"version": v, "diff": charter_diff(versions[i - 1].text, v.text) if i else ""}
        for i, v in enumerate(versions)
    ]
    me = viewer(request.user, platform)
    proposals = (
        CharterProposal.objects.filter(platform=platform).select_related("author")
        if me
        else CharterProposal.objects.none()
    )
    current = versions[-1] if versions else None
    return _page(
        request,
        platform,
        "charter.html",
        {
            "current": current,
            "history": history[::-1],
            "proposals": proposals,
            "form": ProposalForm(initial={"text": current.text if current else ""}),
            "advice_days": services.settings_for(platform).advice_days,
        },
    )


@require_POST
@action
def charter_propose(request, slug: str):
    platform, me, _role = access_member(request.user, slug, area=TrialArea.COMMUNITY)
    proposal = services.propose_change(
        me, request.POST.get("text", ""), request.POST.get("rationale", "")
    )
    return _done(
        request,
        _("Your proposal is open for advice."),
        _url("community-charter-proposal", slug, proposal.pk),
    )


@action
def charter_proposal(request, slug: str, pk: int):
    proposal, me = access_proposal(request.user, slug, pk)
    comments = proposal.comments.select_related("author", "withdraws")
    withdrawn = set(
        comments.filter(kind=CommentKind.WITHDRAWAL).values_list("withdraws_id", flat=True)
    )
    return _page(
        request,
        proposal.platform,
        "proposal.html",
        {
            "proposal": proposal,
            "comments": comments,
            "withdrawn": withdrawn,
            "diff": charter_diff(proposal.base.text if proposal.base else "", proposal.text),
            "standing": services.standing_objections(proposal).count(),
            "is_open": proposal.status == ProposalStatus.OPEN,
            "is_facilitator": role_of(me) in FACILITATORS,
            "comment_form": CommentForm(),
            "decide_form": DecideProposalForm(),
        },
    )


@require_POST
@action
def charter_comment(request, slug: str, pk: int):
    access_member(request.user, slug, area=TrialArea.COMMUNITY)
    proposal, me = access_proposal(request.user, slug, pk)
    services.comment(
        proposal, me, request.POST.get("text", ""), objection=bool(request.POST.get("objection"))
    )
    return _done(request, _("Thank you for your advice."), back(request))


@require_POST
@action
def objection_withdraw(request, slug: str, pk: int):
    objection, me = access_comment(request.user, slug, pk)
    services.withdraw_objection(objection, me)
    return _done(request, _("Your objection is withdrawn."), back(request))


@require_POST
@action
def proposal_decide(request, slug: str, pk: int):
    proposal, me = access_proposal(request.user, slug, pk)
    note = request.POST.get("note", "")
    if request.POST.get("decision") == "reject":
        services.reject(proposal, me, note)
        return _done(request, _("The proposal is not adopted."), back(request))
    version = services.adopt(proposal, me, note)
    return _done(
        request,
        _("Version %(n)s of the charter is adopted.") % {"n": version.number},
        _url("community-charter", slug),
    )


# --- facilitation ---------------------------------------------------------------


@action
def facilitator_dashboard(request, slug: str):
    platform, me, _role = access_member(request.user, slug, roles=STEWARDS)
    balances, balances_note = board.time_balances(platform)
    agents = Agent.objects.filter(platform=platform).order_by("name")
    return _page(
        request,
        platform,
        "dashboard.html",
        {
            "awaiting": board.awaiting_vouches(platform),
            "concerns": board.open_concerns(platform),
            "stale": board.stale_needs(platform),
            "pairs": board.suggested_introductions(platform),
            "quiet": board.quiet_members(platform),
            "synergies": board.synergies(platform),
            "introductions": board.introduction_outcomes(platform),
            "network": mark_safe(board.network_svg(platform)),  # noqa: S308 - names escaped
            "balances": balances,
            "balances_note": balances_note,
            "intro_form": IntroductionForm(agents=agents, initial={"on": timezone.localdate()}),
        },
    )


@require_POST
@action
def introduce(request, slug: str):
    platform, me, _role = access_member(request.user, slug, roles=STEWARDS)
    agents = Agent.objects.filter(platform=platform)
    form = IntroductionForm(request.POST, agents=agents)
    if not form.is_valid():
        raise TribuError(_("introduction: choose two agents and a date"))
    data = form.cleaned_data
    services.introduce(
        me,
        agents.get(slug=data["first"]),
        agents.get(slug=data["second"]),
        data["note"],
        data["on"],
    )
    return _done(request, _("Introduction recorded."), _url("community-dashboard", slug))


# --- notifications --------------------------------------------------------------


@action
def notifications(request, slug: str):
    platform, me, _role = access_member(request.user, slug, area="own")
    if request.method == "POST":
        if "delivery" in request.POST:
            services.set_delivery(me, request.POST["delivery"])
            return _done(request, _("Preference saved."), request.path)
        services.mark_read(me)
        return _done(request, _("All marked as read."), request.path)
    preference = services.preference_of(me)
    return _page(
        request,
        platform,
        "notifications.html",
        {
            "items": Notification.objects.filter(recipient=me)[:100],
            "to_confirm": services.confirmations_to_give(me),
            "form": PreferenceForm(initial={"delivery": preference.delivery}),
        },
    )


@action
def my_agent(request, slug: str):
    """Shortcut to one's own profile."""
    platform = access_platform(request.user, slug)
    agent = acting_agent(request.user, platform)
    if agent is None:
        return redirect(_url("community-join", slug))
    return redirect(_url("community-member", slug, agent.slug))
