"""The ledger: read it, record a flow, confirm or dispute as the counterparty, correct."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribu.core.errors import TribuError
from tribu.dossiers.receipt import beneficiary_problem, is_gift
from tribu.ledger.models import EventStatusChange
from tribu.ledger.services import confirm_event, correct_event, dispute_event, record_event
from tribu.platforms.access import (
    STEWARDS,
    access_event,
    access_member,
    is_member,
    own_events,
)
from tribu.platforms.models import TrialArea
from tribu.reports.ledger_view import Listing, cached_totals, ledger_events
from tribu.web.context import language, platform_context
from tribu.web.errors import page

from ..forms import CorrectionForm, DisputeForm, FlowForm, LedgerFilterForm
from ..row_markup import rows_markup
from ..rows import RowBuilder

PER_PAGE = 50


def _builder(platform, actor, role) -> RowBuilder:
    return RowBuilder(platform, actor, language()).with_role(role)


@page
def ledger(request, slug: str):
    platform, actor, role = access_member(request.user, slug, area="own")
    filters = LedgerFilterForm(platform, request.GET or None, language=language())
    events = ledger_events(platform, filters.ledger_filter())
    if not is_member(request.user, platform, TrialArea.LEDGER):  # on trial: their own flows
        events = events.filter(pk__in=own_events(platform, actor).values("pk"))
    totals = cached_totals(platform, events)
    listing = Listing(events, totals["total"])
    page_obj = Paginator(listing, PER_PAGE).get_page(request.GET.get("page"))
    builder = _builder(platform, actor, role)
    query = request.GET.copy()
    query.pop("page", None)
    rows = builder.rows(list(page_obj))
    return render(
        request,
        "ledger/ledger.html",
        platform_context(
            request,
            platform,
            filters=filters,
            page_obj=page_obj,
            totals=totals,
            rows=rows,
            rows_html=rows_markup(rows, get_token(request)),
            query=query.urlencode(),
        ),
    )


@page
def event_detail(request, slug: str, event_id: int):
    event, actor, role = access_event(request.user, slug, event_id)
    platform = event.platform
    history = (
        EventStatusChange.objects.filter(platform=platform, event=event)
        .select_related("by")
        .order_by("at", "id")
    )
    corrections = event.corrections.filter(platform=platform).order_by("id")
    row = _builder(platform, actor, role).row(event)
    gift = role in STEWARDS and is_gift(event)  # its stewards make the company's tax receipt
    return render(
        request,
        "ledger/event_detail.html",
        platform_context(
            request,
            platform,
            row=row,
            row_html=rows_markup([row], get_token(request)),
            history=history,
            corrections=corrections,
            dispute_form=DisputeForm(),
            gift_receipt=gift,
            receipt_problem=gift and beneficiary_problem(event),
        ),
    )


@page
def event_record(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, area="own")
    form = FlowForm(
        platform,
        request.POST or None,
        language=language(),
        initial={"provider": actor, "receiver": platform.host},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event, _created = record_event(platform, actor, form.flow())
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Flow #%(id)s recorded; it counts once the other side confirms it.")
                % {"id": event.pk},
            )
            return redirect("ledger", platform.slug)
    return render(
        request,
        "ledger/event_form.html",
        platform_context(request, platform, form=form, title=_("Record a flow")),
    )


@page
def event_correct(request, slug: str, event_id: int):
    event, actor, _role = access_event(request.user, slug, event_id)
    platform = event.platform
    form = CorrectionForm(
        platform, request.POST or None, language=language(), initial=FlowForm.initial_from(event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = correct_event(event, actor, form.flow(), form.cleaned_data["reason"])
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Flow #%(old)s corrected by #%(new)s.") % {"old": event.pk, "new": correction.pk},
            )
            return redirect("event-detail", platform.slug, correction.pk)
    return render(
        request,
        "ledger/event_form.html",
        platform_context(
            request,
            platform,
            form=form,
            corrects=event,
            title=_("Correct flow #%(id)s") % {"id": event.pk},
        ),
    )


@require_POST
@page
def event_confirm(request, slug: str, event_id: int):
    event, actor, role = access_event(request.user, slug, event_id)
    return _status_change(
        request,
        event,
        (actor, role),
        lambda: confirm_event(event, actor),
        _("Flow #%(id)s confirmed.") % {"id": event.pk},
    )


@require_POST
@page
def event_dispute(request, slug: str, event_id: int):
    event, actor, role = access_event(request.user, slug, event_id)
    reason = request.POST.get("reason", "")
    return _status_change(
        request,
        event,
        (actor, role),
        lambda: dispute_event(event, actor, reason),
        _("Flow #%(id)s disputed.") % {"id": event.pk},
    )


def _status_change(request, event, member, change, done: str):
    """Apply the change; HTMX gets the row back, a plain form post goes back to the ledger."""
    actor, role = member
    error = None
    try:
        change()
    except TribuError as exc:
        if getattr(exc, "status", 400) in (403, 404):
            raise
        error = str(exc)
    if request.htmx:
        event.refresh_from_db()
        event.state.refresh_from_db()
        row = _builder(event.platform, actor, role).row(event)
        said = None if error else done
        response = HttpResponse(rows_markup([row], get_token(request), error, said))
        response["HX-Trigger"] = "ledger-changed"  # the totals line refreshes itself
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("ledger", event.platform.slug)
