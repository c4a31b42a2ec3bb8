"""A platform's own pages: the guided form that starts one and its settings with their
history (they call `founding`, like the API and the import), invitations, costs, photo;
its Cause page, and its members."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribu.agents.models import AgentKind
from tribu.core.errors import TribuError
from tribu.ledger import declared
from tribu.ledger.models import Action, Declaration, RecurringCost
from tribu.ledger.services import Flow
from tribu.reports.headline import platform_headline
from tribu.web.context import language, platform_context
from tribu.web.errors import act, page

from . import founding, photos
from . import invitations as invites
from .access import STEWARDS, access_member, access_platform
from .cause import cause_lists
from .forms import (
    STEPS,
    AddMemberForm,
    DeclareForm,
    InviteCsvForm,
    InviteForm,
    PhotoForm,
    SettingsForm,
)
from .members import add_member
from .models import Invitation, Membership, Platform, PlatformStatus, SettingChange, TrialArea
from .services import add_agent, free_slug, widen_trial
from .validation import SETTINGS, clean_settings, free_platform_slug

SESSION = "founding"


def _step_of(request) -> int:
    try:
        step = int(request.POST.get("step") or request.GET.get("step") or 0)
    except ValueError:
        step = 0
    return min(max(step, 0), len(STEPS) - 1)


def _check_step(data: dict) -> None:
    """What the service will refuse, said at the step where it is typed."""
    clean_settings({k: v for k, v in data.items() if k in SETTINGS}, draft=True)
    if "host_name" in data:
        founding.check_host_name(data["host_name"])


@login_required
def start(request):
    saved = request.session.get(SESSION, {})
    step = _step_of(request)
    form_class = STEPS[step]
    if request.method == "POST" and "back" in request.POST:
        return redirect(f"{request.path}?step={max(step - 1, 0)}")
    initial = dict(saved)
    initial.setdefault("slug", free_platform_slug(saved.get("name", "")))
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if form_class is STEPS[-1]:
                return _found(request, saved, form.cleaned_data["slug"])
            _check_step(form.cleaned_data)
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            request.session[SESSION] = {**saved, **form.cleaned_data}
            return redirect(f"{request.path}?step={step + 1}")
    context = {
        "form": form,
        "step": step,
        "steps": STEPS,
        "saved": saved,
        "summary": _summary(saved) if form_class is STEPS[-1] else [],
    }
    return render(request, "platforms/start.html", context)


def _summary(saved: dict) -> list[tuple[str, str]]:
    rows = []
    for form_class in STEPS[:-1]:
        for name, field in form_class.base_fields.items():
            value = saved.get(name)
            if value in (None, ""):
                continue
            choices = dict(getattr(field, "choices", []) or [])
            rows.append((field.label, choices.get(value, value)))
    return rows


def _found(request, saved: dict, slug: str):
    fields = {k: v for k, v in saved.items() if k in SETTINGS}
    platform = founding.found_platform(
        request.user,
        slug=slug,
        host_name=saved.get("host_name", ""),
        founder_name=saved.get("founder_name", ""),
        **fields,
    )
    request.session.pop(SESSION, None)
    messages.success(request, _("Your platform is ready as a draft: only you can see it."))
    return redirect("platforms-settings", platform.slug)


@page
def settings(request, slug: str):
    platform = founding.steward_platform(request.user, slug)
    initial = {name: getattr(platform, name) for name in SETTINGS}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = founding.update_settings(platform, request.user, **form.cleaned_data)
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Saved: %(n)s change(s) added to the history.") % {"n": len(changed)},
            )
            return redirect("platforms-settings", platform.slug)
    changes = SettingChange.objects.filter(platform=platform).select_related("by")[:100]
    return render(
        request,
        "platforms/settings.html",
        platform_context(
            request,
            platform,
            form=form,
            changes=changes,
            Status=PlatformStatus,
            trial_areas=TrialArea.choices,
        ),
    )


@require_POST
@page
def trial_areas(request, slug: str):
    """What people on trial see beyond their own: the checked areas, by `widen_trial`."""
    platform, actor, _role = access_member(request.user, slug, roles=STEWARDS)
    areas = request.POST.getlist("areas")
    act(request, lambda: widen_trial(platform, actor, areas), _("Saved: what people on trial see."))
    return redirect("platforms-settings", platform.slug)


@require_POST
@page
def change_status(request, slug: str):
    platform = founding.steward_platform(request.user, slug)
    try:
        founding.set_status(platform, request.user, request.POST.get("status", ""))
    except TribuError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is now “%(status)s”.")
            % {"name": platform.name, "status": platform.get_status_display()},
        )
    return redirect("platforms-settings", platform.slug)


@page
def invitations(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, roles=STEWARDS)
    one = InviteForm(request.POST if "one-email" in request.POST else None, prefix="one")
    many = InviteCsvForm(
        request.POST if "many-role" in request.POST else None, request.FILES or None, prefix="many"
    )
    if request.method == "POST":
        done = _invite(request, platform, actor, one, many)
        if done is not None:
            messages.success(request, _("Invitation(s) sent: %(n)s.") % {"n": done})
            return redirect("platforms-invitations", platform.slug)
    sent = Invitation.objects.filter(platform=platform).select_related("agent")[:200]
    return render(
        request,
        "platforms/invitations.html",
        platform_context(request, platform, one=one, many=many, sent=sent, now=timezone.now()),
    )


def _invite(request, platform, actor, one, many) -> int | None:
    """How many were invited, or None when a form says what is wrong."""
    form = one if one.is_bound else many
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        if form is one:
            invites.invite(platform, actor, d["email"], name=d["name"], role=d["role"])
            return 1
        text = d["file"].read().decode("utf-8-sig", errors="replace")
        return len(invites.invite_many(platform, actor, text, role=d["role"]))
    except TribuError as error:
        form.add_error(None, str(error))
        return None


def invitation(request, token: str):
    """The link's landing: sign up or log in, then join with one click."""
    try:
        invitation = invites.find(token)
    except TribuError as error:
        return render(request, "platforms/invitation.html", {"error": str(error)}, status=410)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            agent = invites.accept(token, request.user)
        except TribuError as error:
            return render(request, "platforms/invitation.html", {"error": str(error)}, status=409)
        messages.success(request, _("Welcome to %(name)s.") % {"name": agent.platform.name})
        if agent.platform.status == PlatformStatus.DRAFT:
            return redirect("profile")
        return redirect(agent.platform.get_absolute_url())
    return render(request, "platforms/invitation.html", {"invitation": invitation})


@page
def costs(request, slug: str):
    """Declared flows with outside parties, and monthly schedules of them (stewards)."""
    platform, actor, _role = access_member(request.user, slug, roles=STEWARDS)
    declared.catch_up(platform)
    form = DeclareForm(platform, request.POST or None, language=language())
    if request.method == "POST" and form.is_valid():
        try:
            count = _declare(platform, actor, form.cleaned_data)
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Declared: %(n)s flow(s) counted.") % {"n": count})
            return redirect("platforms-costs", platform.slug)
    events = (
        Declaration.objects.filter(platform=platform)
        .select_related("event__provider", "event__receiver", "event__resource_conforms_to")
        .order_by("-event__occurred_on", "-id")[:100]
    )
    schedules = RecurringCost.objects.filter(platform=platform).select_related(
        "provider", "receiver", "specification"
    )
    context = platform_context(
        request, platform, form=form, declarations=events, schedules=schedules
    )
    return render(request, "platforms/costs.html", context)


@transaction.atomic
def _declare(platform, actor, d: dict) -> int:
    """Creates the new outside party too; all of it is undone if the declaration fails."""
    outsider = d["outsider"]
    if outsider is None:
        name = d["outsider_name"].strip()
        if not name:
            raise TribuError(_("Choose the outside party, or give the name of a new one."))
        outsider = add_agent(
            platform, slug=free_slug(platform, name), name=name, kind=AgentKind.ORGANIZATION
        )
    inside = d["inside"]
    provider, receiver = (inside, outsider) if d["direction"] == "cost" else (outsider, inside)
    if d["monthly"]:
        schedule = declared.Schedule(
            provider,
            receiver,
            d["specification"],
            d["amount"],
            d["occurred"],
            d["evidence"],
            d["evidence_kind"],
            months=d["months"],
            note=d["note"],
        )
        cost = declared.declare_recurring(platform, actor, schedule)
        return cost.flows.count()
    flow = Flow(
        action=Action.TRANSFER,
        provider=provider,
        receiver=receiver,
        specification=d["specification"],
        quantity=Decimal(1),
        occurred=d["occurred"],
        note=d["note"],
        evidence=d["evidence"],
        money_amount=d["amount"],
    )
    declared.declare_flow(platform, actor, flow, d["evidence_kind"])
    return 1


@page
def photo(request, slug: str):
    """Upload the photo of the place (stewards)."""
    platform = founding.steward_platform(request.user, slug)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photos.set_photo(platform, request.user, form.cleaned_data["photo"])
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The photo of the place is saved."))
            return redirect(platform.get_absolute_url())
    return render(request, "platforms/photo.html", platform_context(request, platform, form=form))


@page
def photo_file(request, slug: str):
    """The photo itself, served by the app to whoever may see the platform."""
    platform = access_platform(request.user, slug)
    if not platform.photo:
        raise Http404
    response = FileResponse(platform.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if platform.is_public else "private"
    return response


# --- the Cause page, and the members -------------------------------------------


@page
def platform_detail(request, slug: str):
    platform = access_platform(request.user, slug)
    return render(
        request,
        "platforms/platform_detail.html",
        platform_context(
            request,
            platform,
            headline=platform_headline(platform, language()),
            **cause_lists(platform.pk),
            **cause_page_extras(request, platform),
        ),
    )


def cause_page_extras(request, platform: Platform) -> dict:
    """How to join, and the link preview's metadata (OpenGraph, Twitter card)."""
    photo = (
        request.build_absolute_uri(reverse("platforms-photo-file", args=[platform.slug]))
        if platform.photo
        else ""
    )
    return {
        "share_url": request.build_absolute_uri(platform.get_absolute_url()),
        "share_image": photo,
        "is_draft": platform.status == PlatformStatus.DRAFT,
    }


@page
def members(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, area=TrialArea.MEMBERS)
    if request.method == "POST":
        platform, actor, _role = access_member(request.user, slug, roles=STEWARDS)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agent = add_member(platform, actor, d["user"], d["role"], d["name"])
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is now a member.") % {"name": agent.name})
            return redirect("members", platform.slug)
    memberships = (
        Membership.objects.filter(platform=platform)
        .select_related("agent")
        .order_by("role", "agent__name")
    )
    return render(
        request,
        "platforms/members.html",
        platform_context(request, platform, memberships=memberships, form=form),
    )
