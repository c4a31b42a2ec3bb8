"""Template filters over tribu.core.formats: `{% load formats %}` then
`{{ amount|money:platform.currency }}`, `{{ ratio|ratio }}`, `{{ q|quantity }}`,
`{{ n|number:1 }}`, `{{ day|day }}`, `{{ start|span:end }}`."""

from django import template

from tribu.core import formats

register = template.Library()


@register.filter
def money(value, currency="EUR"):
    return formats.format_money(value, currency or "EUR")


@register.filter
def money0(value, currency="EUR"):
    """Money in whole units, for headline figures."""
    return formats.format_money(value, currency or "EUR", digits=0)


@register.filter
def ratio(value, digits=2):
    return formats.format_ratio(value, digits=int(digits))


@register.filter
def number(value, digits=0):
    return formats.format_number(value, int(digits))


@register.filter
def quantity(value):
    return formats.format_quantity(value)


@register.filter
def percent(value, digits=0):
    return formats.format_percent(value, digits=int(digits))


@register.filter
def day(value):
    return formats.format_date(value)


@register.filter
def moment(value):
    return formats.format_datetime(value)


@register.filter
def span(start, end):
    return formats.format_datetime_range(start, end)
