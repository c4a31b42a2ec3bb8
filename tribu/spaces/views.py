"""Pages of the space: calendars, bookings, gatherings, invoices, residency terms, feeds.

Each view reads like a sentence: fetch with a permission check, validate, call one
service, respond.
"""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import NotFound, PermissionDenied, TribuError
from tribu.core.validation import year_problem
from tribu.ledger.models import EconomicResource, ResourceKind, ResourceSpecification
from tribu.platforms.access import (
    STEWARDS,
    access_member,
    access_platform,
    agent_is_steward,
    role_in,
)
from tribu.web.context import platform_context
from tribu.web.errors import act, page

from . import access, ical, residency, services
from .forms import (
    AgreementForm,
    BookingForm,
    ContributionForm,
    GatheringForm,
    InvoicingForm,
    ResourceForm,
    SettingsForm,
)
from .invoices import invoice_pdf
from .models import Booking, BookingStatus, Gathering, LegalDetails, RegistrationStatus

# The ledger names resource kinds; the space's pages say them in the visitor's language.
KIND_LABELS = {
    ResourceKind.ROOM: gettext_lazy("Room"),
    ResourceKind.DESK: gettext_lazy("Desk"),
    ResourceKind.MEETING_ROOM: gettext_lazy("Meeting room"),
    ResourceKind.EVENT_SPACE: gettext_lazy("Event space"),
    ResourceKind.EQUIPMENT: gettext_lazy("Equipment"),
}


# --- calendars ------------------------------------------------------------------


def week_of(request, platform) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = None
    # A week near year 1 or 9999 has no neighbours to link to: show this week instead.
    if day is None or year_problem(day.year):
        day = timezone.localdate(timezone=services.local_zone(platform))
    return day - timedelta(days=day.weekday())


def slot_label(booking, day_start, day_end, zone) -> str:
    """The part of a booking that falls on one day: 09:00–11:00, 17:00 →, → 10:00, or ↔."""
    starts = timezone.localtime(booking.start, zone).strftime("%H:%M")
    ends = timezone.localtime(booking.end, zone).strftime("%H:%M")
    begins_today, ends_today = booking.start >= day_start, booking.end <= day_end
    if begins_today and ends_today:
        return f"{starts}–{ends}"
    if begins_today:
        return f"{starts} →"
    if ends_today:
        return f"→ {ends}"
    return _("all day")


def week_grid(platform, resources, monday: date) -> list[dict]:
    """Rows of resources, columns of days; each cell lists the bookings touching that day."""
    zone = services.local_zone(platform)
    days = [monday + timedelta(days=i) for i in range(7)]
    start = timezone.make_aware(datetime.combine(monday, time.min), zone)
    end = start + timedelta(days=7)
    bookings = Booking.objects.filter(
        platform=platform,
        resource__in=resources,
        status=BookingStatus.ACTIVE,
        start__lt=end,
        end__gt=start,
    ).select_related("beneficiary", "resource")
    rows = []
    for resource in resources:
        mine = [b for b in bookings if b.resource_id == resource.pk]
        cells = []
        for day in days:
            day_start = timezone.make_aware(datetime.combine(day, time.min), zone)
            day_end = day_start + timedelta(days=1)
            touching = [b for b in mine if b.start < day_end and b.end > day_start]
            cells.append(
                {
                    "day": day,
                    "slots": [(b, slot_label(b, day_start, day_end, zone)) for b in touching],
                }
            )
        rows.append(
            {
                "resource": resource,
                "kind": KIND_LABELS.get(resource.kind, resource.kind),
                "cells": cells,
            }
        )
    return rows


@page
def calendar(request, slug: str, resource: str | None = None):
    platform = access_platform(request.user, slug)
    resources = EconomicResource.objects.filter(platform=platform).select_related("conforms_to")
    selected = None
    if resource:
        platform, selected = access.access_resource(request.user, slug, resource)
        resources = [selected]
    monday = week_of(request, platform)
    return render(
        request,
        "spaces/calendar.html",
        platform_context(
            request,
            platform,
            rows=week_grid(platform, list(resources), monday),
            monday=monday,
            days=[monday + timedelta(days=i) for i in range(7)],
            resource=selected,
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
            today=timezone.localdate(timezone=services.local_zone(platform)),
        ),
    )


# --- bookings -------------------------------------------------------------------


def beneficiaries(platform, actor: Agent) -> list[Agent]:
    """Who the actor may book for: themselves, the organizations they represent; stewards
    also for any organization of the platform."""
    choices = [actor] + list(actor.represents.filter(platform=platform))
    if agent_is_steward(actor):
        choices += [
            a
            for a in Agent.objects.filter(platform=platform, kind=AgentKind.ORGANIZATION)
            if a not in choices and a.pk != platform.place_id
        ]
    return choices


def booking_form(request, platform, actor) -> BookingForm:
    resources = EconomicResource.objects.filter(platform=platform)
    data = request.POST if request.method == "POST" else None
    initial = {"resource": request.GET.get("resource"), "beneficiary": actor.slug}
    day = request.GET.get("day")
    if day:
        initial["start"] = f"{day}T09:00"
        initial["end"] = f"{day}T18:00"
    return BookingForm(
        data, initial=initial, resources=resources, beneficiaries=beneficiaries(platform, actor)
    )


@page
def book(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, area="gatherings")
    form = booking_form(request, platform, actor)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book(
                platform,
                actor,
                EconomicResource.objects.get(platform=platform, slug=form.cleaned_data["resource"]),
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                beneficiary=Agent.objects.get(
                    platform=platform, slug=form.cleaned_data["beneficiary"]
                ),
                note=form.cleaned_data["note"],
            )
        except (NotFound, PermissionDenied):
            raise
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Booked: %(booking)s") % {"booking": booking})
            return redirect("spaces-my-bookings", slug)
    template = "spaces/_booking_form.html" if request.htmx else "spaces/book.html"
    return render(request, template, platform_context(request, platform, form=form))


@page
def my_bookings(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, area="gatherings")
    token = services.feed_token(actor)
    feed = request.build_absolute_uri(reverse("spaces-bookings-ics", args=[slug, token.token]))
    bookings = services.my_bookings(platform, actor).order_by("-start")
    return render(
        request,
        "spaces/my_bookings.html",
        platform_context(request, platform, bookings=bookings, feed_url=feed, now=timezone.now()),
    )


@page
@require_POST
def cancel_booking(request, slug: str, booking_id: int):
    booking, actor = access.access_booking(request.user, slug, booking_id)
    act(
        request,
        lambda: services.cancel_booking(booking, actor, request.POST.get("reason", "")),
        _("Booking cancelled."),
    )
    return redirect("spaces-my-bookings", slug)


@page
@require_POST
def regenerate_feed(request, slug: str):
    _platform, actor, _role = access_member(request.user, slug, area="gatherings")
    services.regenerate_feed_token(actor)
    messages.success(request, _("New private calendar address; the old one no longer works."))
    return redirect("spaces-my-bookings", slug)


@page
def bookings_ics(request, slug: str, token: str):
    platform, agent = access.access_feed(slug, token)
    return HttpResponse(
        ical.bookings_feed(platform, agent), content_type="text/calendar; charset=utf-8"
    )


# --- gatherings -----------------------------------------------------------------


@page
def gatherings(request, slug: str):
    platform = access_platform(request.user, slug)
    items = Gathering.objects.filter(platform=platform, cancelled=False).select_related(
        "booking__resource", "organizer"
    )
    if role_in(request.user, platform) is None:
        items = items.filter(is_public=True)
    now = timezone.now()
    return render(
        request,
        "spaces/gatherings.html",
        platform_context(
            request,
            platform,
            upcoming=[g for g in items if g.end > now],
            past=[g for g in items if g.end <= now][::-1],
        ),
    )


@page
def gathering(request, slug: str, gathering_id: int):
    item = access.access_gathering(request.user, slug, gathering_id)
    platform = item.platform
    actor = None
    if role_in(request.user, platform):
        _platform, actor, _role = access_member(request.user, slug, area="gatherings")
    registrations = list(
        item.registrations.select_related("agent").exclude(status=RegistrationStatus.CANCELLED)
    )
    return render(
        request,
        "spaces/gathering.html",
        platform_context(
            request,
            platform,
            gathering=item,
            registrations=registrations,
            mine=next((r for r in registrations if actor and r.agent_id == actor.pk), None),
            may_organize=bool(actor and services.may_organize(item, actor)),
            seats=sum(r.status == RegistrationStatus.REGISTERED for r in registrations),
        ),
    )


def gathering_form(request, platform, actor) -> GatheringForm:
    resources = EconomicResource.objects.filter(
        platform=platform, kind__in=services.GATHERING_RESOURCES
    )
    organizations = Agent.objects.filter(platform=platform, kind=AgentKind.ORGANIZATION).exclude(
        pk=platform.place_id
    )
    data = request.POST if request.method == "POST" else None
    return GatheringForm(
        data,
        initial={"on_behalf_of": actor.slug},
        resources=resources,
        organizers=beneficiaries(platform, actor),
        clients=organizations,
    )


@page
def new_gathering(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, area="gatherings")
    form = gathering_form(request, platform, actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_gathering(
                platform,
                actor,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                resource=EconomicResource.objects.get(platform=platform, slug=data["resource"]),
                start=data["start"],
                end=data["end"],
                capacity=data["capacity"],
                on_behalf_of=Agent.objects.get(platform=platform, slug=data["on_behalf_of"]),
                client=Agent.objects.filter(platform=platform, slug=data["client"]).first(),
                price=data["price"],
                is_public=data["is_public"],
            )
        except (NotFound, PermissionDenied):
            raise
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            return redirect("spaces-gathering", slug, item.pk)
    return render(
        request, "spaces/gathering_new.html", platform_context(request, platform, form=form)
    )


@page
@require_POST
def register(request, slug: str, gathering_id: int):
    _platform, actor, _role = access_member(request.user, slug, area="gatherings")
    item = access.access_gathering(request.user, slug, gathering_id)
    act(request, lambda: services.register(item, actor), _("You are registered."))
    return redirect("spaces-gathering", slug, gathering_id)


@page
@require_POST
def cancel_registration(request, slug: str, registration_id: int):
    registration, actor = access.access_registration(request.user, slug, registration_id)
    act(
        request,
        lambda: services.cancel_registration(registration, actor),
        _("Registration cancelled."),
    )
    return redirect("spaces-gathering", slug, registration.gathering_id)


@page
@require_POST
def check_in(request, slug: str, registration_id: int):
    registration, actor = access.access_registration(request.user, slug, registration_id)
    act(
        request,
        lambda: services.check_in(registration, actor),
        _("%(name)s is checked in.") % {"name": registration.agent.name},
    )
    return redirect("spaces-gathering", slug, registration.gathering_id)


@page
def gatherings_ics(request, slug: str):
    platform = access_platform(request.user, slug)
    return HttpResponse(ical.gatherings_feed(platform), content_type="text/calendar; charset=utf-8")


# --- invoices -------------------------------------------------------------------


@page
def invoices(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, area="gatherings")
    return render(
        request,
        "spaces/invoices.html",
        platform_context(
            request,
            platform,
            invoices=access.invoices_visible_to(platform, actor),
            may_manage=services.may_manage_invoices(platform, actor),
        ),
    )


@page
def invoicing(request, slug: str):
    """The seller's legal details and the invoicing terms every invoice prints."""
    platform, actor = access.access_invoicing(request.user, slug)
    rules = services.space_settings(platform)
    details = LegalDetails.objects.filter(agent=platform.host).first()
    initial = {name: getattr(rules, name) for name in services.INVOICING_TERMS}
    initial.update(
        legal_name=details.legal_name if details else platform.host.name,
        address=details.address if details else platform.address,
        siret=details.siret if details else "",
        vat_number=details.vat_number if details else "",
        rna=details.rna if details else "",
        purpose=details.purpose if details else "",
    )
    form = InvoicingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seller = {k: data[k] for k in services.SELLER_FIELDS}
        terms = {k: data[k] for k in services.INVOICING_TERMS}
        try:
            services.update_invoicing(platform, actor=actor, seller=seller, terms=terms)
        except TribuError as error:
            form.add_error("rna" if "RNA" in str(error) else "siret", str(error))
        else:
            messages.success(request, _("Invoicing details saved."))
            return redirect("spaces-invoices", platform.slug)
    return render(request, "spaces/invoicing.html", platform_context(request, platform, form=form))


@page
def invoice_download(request, slug: str, invoice_id: int):
    invoice, _actor = access.access_invoice(request.user, slug, invoice_id)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.reference}.pdf"'
    return response


@page
@require_POST
def invoice_paid(request, slug: str, invoice_id: int):
    invoice, actor = access.access_invoice(request.user, slug, invoice_id)
    act(
        request,
        lambda: services.mark_invoice_paid(invoice, actor),
        _("Invoice %(ref)s marked paid; the payment is in the ledger.")
        % {"ref": invoice.reference},
    )
    return redirect("spaces-invoices", slug)


# --- residency ------------------------------------------------------------------


@page
def residency_list(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, STEWARDS)
    return render(
        request,
        "spaces/residency_list.html",
        platform_context(request, platform, balances=residency.time_balances(platform)),
    )


@page
def residency_page(request, slug: str, agent_slug: str):
    platform, resident, actor = access.access_resident(request.user, slug, agent_slug)
    agreements = access.agreements_of(platform, resident).select_related("resident", "platform")
    return render(
        request,
        "spaces/residency.html",
        platform_context(
            request,
            platform,
            resident=resident,
            balances=[residency.agreement_balance(a) for a in agreements],
            contribution_form=ContributionForm(initial={"day": timezone.localdate()}),
            agreement_form=AgreementForm() if agent_is_steward(actor) else None,
        ),
    )


@page
@require_POST
def contribute(request, slug: str, agent_slug: str):
    platform, resident, actor = access.access_resident(request.user, slug, agent_slug)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the day and the number of days."))
    else:
        act(
            request,
            lambda: services.log_contribution(
                platform,
                actor,
                resident,
                day=form.cleaned_data["day"],
                days=form.cleaned_data["days"],
                note=form.cleaned_data["note"],
            ),
            _("Contribution recorded; it counts once the place confirms it."),
        )
    return redirect("spaces-residency", slug, agent_slug)


@page
@require_POST
def new_agreement(request, slug: str, agent_slug: str):
    platform, resident, actor = access.access_resident(request.user, slug, agent_slug)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the dates and the days owed."))
    else:
        act(
            request,
            lambda: services.create_agreement(platform, actor, resident, **form.cleaned_data),
            _("Residency agreement recorded."),
        )
    return redirect("spaces-residency", slug, agent_slug)


# --- resources and rules (stewards) ---------------------------------------------


def resource_form(request, platform) -> ResourceForm:
    specs = [
        (spec.slug, spec.name(get_language() or "fr"))
        for spec in ResourceSpecification.objects.filter(platform=platform, market=False)
    ]
    data = request.POST if request.POST.get("form") == "resource" else None
    return ResourceForm(data, kinds=list(KIND_LABELS.items()), specs=specs)


def settings_form(request, platform) -> SettingsForm:
    rules = services.space_settings(platform)
    data = request.POST if request.POST.get("form") == "settings" else None
    return SettingsForm(
        data,
        initial={
            "opens_at": rules.opens_at,
            "closes_at": rules.closes_at,
            "guest_max_hours_per_week": rules.guest_max_hours_per_week,
        },
    )


@page
def resources(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, STEWARDS)
    add, rules = resource_form(request, platform), settings_form(request, platform)
    for form, action in ((add, services.add_resource), (rules, services.update_space_settings)):
        if form.is_bound and form.is_valid():
            try:
                action(platform, actor=actor, **form.cleaned_data)
            except (NotFound, PermissionDenied):
                raise
            except TribuError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved."))
                return redirect("spaces-resources", slug)
    items = EconomicResource.objects.filter(platform=platform).select_related("conforms_to")
    return render(
        request,
        "spaces/resources.html",
        platform_context(
            request,
            platform,
            resources=[(r, KIND_LABELS.get(r.kind, r.kind)) for r in items],
            add_form=add,
            settings_form=rules,
        ),
    )


@page
@require_POST
def cancel_gathering(request, slug: str, gathering_id: int):
    _platform, actor, _role = access_member(request.user, slug, area="gatherings")
    item = access.access_gathering(request.user, slug, gathering_id)
    act(
        request,
        lambda: services.cancel_gathering(item, actor, request.POST.get("reason", "")),
        _("Gathering cancelled."),
    )
    return redirect("spaces-gathering", slug, gathering_id)
