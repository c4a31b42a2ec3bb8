"""Template filters over tribu.core.formats: `{% load formats %}` then
`{{ amount|money:platform.currency }}`, `{{ ratio|ratio }}`, `{{ q|quantity }}`,
`{{ n|number:1 }}`, `{{ day|day }}`, `{{ start|span:end }}`."""

from django import template

from tribu.core import formats, words

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


@register.filter
def unit(value, quantity=1):
    """`{{ e.unit|unit:e.resource_quantity }}`: the unit's name, singular or plural."""
    return formats.format_unit(value, quantity)


@register.filter
def amount_of(quantity, unit_code):
    """`{{ e.resource_quantity|amount_of:e.unit }}`: "2,5 heures"."""
    return formats.format_amount_of(quantity, unit_code)


@register.filter
def measure(value, unit_code):
    """`{{ l.quantity|measure:l.unit }}`: "4 mois" for a unit, "1 200,00 €" for a currency."""
    return formats.format_measure(value, unit_code)


@register.filter
def explain(line, currency):
    """A balance-sheet line (JSON-ready dict) explained for people."""
    return formats.format_explanation(
        line["quantity"],
        line["unit"],
        line["proxy"],
        line["adjustments"].values(),
        line["value"]["central"],
        currency,
    )


@register.filter
def share(value):
    """A fraction between 0 and 1 as a percentage: 0.25 → "25 %"."""
    return formats.format_share(value)


@register.filter
def readable(text):
    """A fixed English text (a default source, an engine note) in the active language."""
    return words.readable(text)
