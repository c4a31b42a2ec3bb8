"""The extended balance sheet of an agent, the events behind its lines, and the flow map."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tribu.core.errors import NotFound
from tribu.ledger.catalogue import current_values
from tribu.ledger.models import ResourceSpecification
from tribu.platforms.access import access_member, agent_in
from tribu.platforms.models import TrialArea
from tribu.web import pictures
from tribu.web.context import language, platform_context
from tribu.web.errors import page

from .aggregates import counted_events
from .balance import agent_balance, agent_balance_and_draws, default_period
from .exports import balance_csv as render_csv
from .exports import balance_csv_name
from .flowmap import flow_map as build_flow_map
from .forms import PeriodForm, period_from
from .valuing import value_event


def _agent_and_period(request, platform):
    form = PeriodForm(platform, request.GET or None)
    default = default_period()
    slug = platform.host.slug if platform.host else ""
    start = end = None
    if form.is_bound and form.is_valid():
        slug = form.cleaned_data["agent"] or slug
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    agent = agent_in(platform, slug)
    period = period_from(start, end, default)
    if not form.is_bound:
        form = PeriodForm(
            platform, initial={"agent": agent.slug, "start": period.start, "end": period.end}
        )
    return form, agent, period


@page
def balance_sheet(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, area=TrialArea.BALANCES)
    form, agent, period = _agent_and_period(request, platform)
    sheet, draws = agent_balance_and_draws(platform, agent, period, language=language())
    for entry in sheet["switching_values"]:
        entry["parameter_label"] = pictures.parameter_label(entry["parameter"])
    query = f"agent={agent.slug}&start={period.start}&end={period.end}"
    return render(
        request,
        "reports/balance.html",
        platform_context(
            request,
            platform,
            form=form,
            agent=agent,
            period=period,
            sheet=sheet,
            query=query,
            charts=pictures.balance_charts(sheet, draws),
        ),
    )


LINE_EVENTS_PER_PAGE = 100


@page
def balance_line(request, slug: str, spec_slug: str):
    """The counted events behind one line of a balance sheet."""
    platform, _actor, _role = access_member(request.user, slug, area=TrialArea.BALANCES)
    _form, agent, period = _agent_and_period(request, platform)
    spec = ResourceSpecification.objects.filter(platform=platform, slug=spec_slug).first()
    if spec is None:
        raise NotFound(_("unknown specification “%(slug)s”") % {"slug": spec_slug})
    side = "provider" if request.GET.get("side") == "provider" else "receiver"
    events = counted_events(platform.pk, agent.pk, side, spec.pk, period).order_by(
        "occurred_on", "id"
    )
    page_obj = Paginator(events, LINE_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    values = current_values(platform.pk)
    rows = [(e, value_event(e, values, platform.currency, language())) for e in page_obj]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/balance_line.html",
        platform_context(
            request,
            platform,
            agent=agent,
            period=period,
            spec=spec,
            rows=rows,
            side=side,
            spec_name=spec.name(language()),
            page_obj=page_obj,
            query=query.urlencode(),
        ),
    )


@page
def balance_csv(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, area=TrialArea.BALANCES)
    _form, agent, period = _agent_and_period(request, platform)
    sheet = agent_balance(platform, agent, period, language=language())
    response = HttpResponse(render_csv(sheet), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{balance_csv_name(sheet)}"'
    return response


@page
def balance_xlsx(request, slug: str):
    from tribu.reports.xlsx import balance_xlsx as render_xlsx
    from tribu.reports.xlsx import catalogue_assumptions

    platform, _actor, _role = access_member(request.user, slug)
    _form, agent, period = _agent_and_period(request, platform)
    sheet = agent_balance(platform, agent, period, language=language())
    book = render_xlsx(sheet, catalogue_assumptions(platform, language()))
    response = HttpResponse(book, content_type=XLSX)
    name = f"balance-{platform.slug}-{agent.slug}-{period.start}-{period.end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@page
def flow_map(request, slug: str):
    platform, _actor, _role = access_member(request.user, slug, area=TrialArea.BALANCES)
    form, _agent, period = _agent_and_period(request, platform)
    del form.fields["agent"]  # the flow map is the whole platform's
    data = build_flow_map(platform, period, language())
    return render(
        request,
        "reports/flow_map.html",
        platform_context(
            request,
            platform,
            form=form,
            period=period,
            data=data,
            charts=pictures.flow_charts(data, period),
        ),
    )
