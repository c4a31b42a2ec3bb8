"""The balance sheet's and the flow map's form: whose, over which period."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from tribu.ledger.forms import DATE, agents_of
from tribu.platforms.models import Platform

from .aggregates import Period


class PeriodForm(forms.Form):
    """The balance sheet's agent and period; the default is the last twelve whole months."""

    agent = forms.ChoiceField(label=_("Whose balance sheet"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until (excluded)"), required=False, widget=DATE)

    def __init__(self, platform: Platform, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [(a.slug, a.name) for a in agents_of(platform)]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start >= end:
            raise forms.ValidationError(_("The start must come before the end."))
        return data


def period_from(start: date | None, end: date | None, default: Period) -> Period:
    if start and not end:
        end = max(default.end, start + timedelta(days=1))
    if end and not start:
        start = min(default.start, end - timedelta(days=1))
    return Period(start or default.start, end or default.end)
