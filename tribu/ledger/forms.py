"""Forms of the ledger's pages. They check shapes; the services check meaning (roles,
rules)."""

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tribu.agents.models import Agent
from tribu.core.formats import format_unit
from tribu.ledger.catalogue import PARAMETERS
from tribu.ledger.models import Action, ResourceSpecification, SpecificationValues
from tribu.ledger.services import Flow, valued_per_event
from tribu.platforms.models import Platform
from tribu.reports.ledger_view import CORRECTED, LedgerFilter

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SpecificationChoice(forms.ModelChoiceField):
    def __init__(self, *args, language: str = "fr", **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: ResourceSpecification) -> str:
        return f"{obj.name(self.language)} ({format_unit(obj.unit)})"


# Each kind of flow in a sentence, where it is chosen.
ACTION_EXPLAINED = {
    Action.USE: _("Use — a space or a thing lent for a while (a desk, a room, a night)"),
    Action.DELIVER_SERVICE: _(
        "Service delivered — work done for the other (a repair, an hour of mentoring, a visit)"
    ),
    Action.TRANSFER: _("Transfer — something given for good (money, goods, a referral)"),
    Action.WORK: _("Work — time given to the place or to a shared project"),
    Action.CITE: _("Citation — a mention of the other (press, a publication, a talk)"),
    Action.PRODUCE: _("Production — something made at the place (a prototype, a text, an event)"),
    Action.CONSUME: _("Consumption — something used up (coffee, supplies, energy)"),
}


def agents_of(platform: Platform):
    return Agent.objects.filter(platform=platform).order_by("name")


def specs_of(platform: Platform):
    return ResourceSpecification.objects.filter(platform=platform).order_by("slug")


class FlowForm(forms.Form):
    """One flow in one short form: what, who gave, who received, how much, when, evidence."""

    specification = SpecificationChoice(queryset=None, label=_("What"))
    provider = forms.ModelChoiceField(queryset=None, label=_("Who gave"))
    receiver = forms.ModelChoiceField(queryset=None, label=_("Who received"))
    quantity = forms.DecimalField(
        label=_("How much (in the unit of what)"), min_value=0, max_digits=18, decimal_places=4
    )
    occurred = forms.DateField(label=_("When"), widget=DATE)
    action = forms.ChoiceField(
        label=_("Kind of flow"),
        choices=[(value, ACTION_EXPLAINED[value]) for value in Action.values],
        initial=Action.USE,
        help_text=_("Choose the sentence that tells what happened between the two."),
    )
    money_amount = forms.DecimalField(
        label=_("Amount paid (market flows)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    declared_value = forms.DecimalField(
        label=_("Value of this flow (when its kind has no set price)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Evidence (a link or a reference)"), required=False, max_length=500
    )

    def __init__(self, platform: Platform, *args, language: str = "fr", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specification"].queryset = specs_of(platform)
        self.fields["specification"].language = language
        self.fields["provider"].queryset = agents_of(platform)
        self.fields["receiver"].queryset = agents_of(platform)
        self.fields["occurred"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("provider") and data.get("provider") == data.get("receiver"):
            self.add_error("receiver", _("The giver and the receiver must differ."))
        spec = data.get("specification")
        if spec is None:
            return data
        name = spec.name(self.fields["specification"].language)
        if spec.market and data.get("money_amount") is None:
            self.add_error(
                "money_amount",
                _("“%(name)s” is paid for: give the amount paid.") % {"name": name},
            )
        elif not spec.market and valued_per_event(spec) and data.get("declared_value") is None:
            self.add_error(
                "declared_value",
                _("“%(name)s” has no set price: each flow states its own value. Give it here.")
                % {"name": name},
            )
        return data

    def flow(self) -> Flow:
        d = self.cleaned_data
        return Flow(
            action=d["action"],
            provider=d["provider"],
            receiver=d["receiver"],
            specification=d["specification"],
            quantity=d["quantity"],
            occurred=d["occurred"],
            note=d["note"],
            evidence=d["evidence"],
            money_amount=d["money_amount"],
            declared_value=d["declared_value"],
        )

    @staticmethod
    def initial_from(event) -> dict:
        return {
            "specification": event.resource_conforms_to,
            "provider": event.provider,
            "receiver": event.receiver,
            "quantity": event.resource_quantity,
            "occurred": event.occurred_on,
            "action": event.action,
            "money_amount": event.money_amount,
            "declared_value": event.declared_value,
            "note": event.note,
            "evidence": event.evidence,
        }


class CorrectionForm(FlowForm):
    reason = forms.CharField(label=_("Why this correction"), max_length=500)


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("Why do you dispute it?"), max_length=500)


class ListSelect(forms.Select):
    """A plain list of options, written in Python: Django's own select includes a template per
    option, and the ledger's filter lists every agent of the platform on every page."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            _option(option) for _group, group, _index in widget["optgroups"] for option in group
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', name, _attrs(widget["attrs"]), SafeString(options)
        )


def _attrs(attrs: dict) -> SafeString:
    """As Django's widgets write them: in their order, `True` ones bare, `False` ones left out."""
    shown = [(key, value) for key, value in attrs.items() if value is not False]
    return format_html_join(
        "",
        " {}{}",
        ((key, "" if value is True else format_html('="{}"', value)) for key, value in shown),
    )


def _option(option: dict) -> SafeString:
    selected = " selected" if option["selected"] else ""
    return format_html(
        '\n  <option value="{}"{}>{}</option>', str(option["value"]), selected, option["label"]
    )


class LedgerFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until (excluded)"), required=False, widget=DATE)
    agent = forms.ChoiceField(label=_("Agent"), required=False, widget=ListSelect)
    spec = forms.ChoiceField(label=_("Kind of value"), required=False, widget=ListSelect)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=ListSelect,
        choices=[
            ("", _("any")),
            ("proposed", _("Proposed")),
            ("confirmed", _("Confirmed")),
            ("disputed", _("Disputed")),
            (CORRECTED, _("Corrected")),
        ],
    )

    def __init__(self, platform: Platform, *args, language: str = "fr", **kwargs):
        super().__init__(*args, **kwargs)
        named = agents_of(platform).values_list("slug", "name")  # a list only shows them
        self.fields["agent"].choices = [("", _("anyone")), *named]
        self.fields["spec"].choices = [("", _("any"))] + [
            (s.slug, s.name(language)) for s in specs_of(platform)
        ]

    def ledger_filter(self) -> LedgerFilter:
        if not self.is_valid():
            return LedgerFilter()
        d = self.cleaned_data
        return LedgerFilter(d["start"], d["end"], d["agent"], d["spec"], d["status"])


PARAMETER_LABELS = {
    "proxy": _("Proxy"),
    "deadweight": _("Deadweight"),
    "displacement": _("Displacement"),
    "attribution": _("Attribution"),
    "drop_off": _("Drop-off"),
}
LEVEL_LABELS = {"low": _("low"), "central": _("central"), "high": _("high")}
RANGE_FIELDS = ["proxy_low", "proxy_central", "proxy_high"] + [
    f"{name}_{level}" for name in PARAMETERS for level in ("low", "central", "high")
]


class CatalogueValuesForm(forms.Form):
    """The proxy and adjustments of one kind of value; saving makes a new catalogue version."""

    source = forms.CharField(
        label=_("Source of the proxy"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_date = forms.DateField(label=_("Date of the source"), required=False, widget=DATE)
    note = forms.CharField(label=_("Why this change (kept with the version)"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RANGE_FIELDS:
            parameter, level = name.rsplit("_", 1)
            self.fields[name] = forms.DecimalField(
                label=format_lazy("{} — {}", PARAMETER_LABELS[parameter], LEVEL_LABELS[level]),
                required=parameter != "proxy",
                min_value=0,
                max_digits=18,
                decimal_places=4,
            )

    @staticmethod
    def initial_from(values: SpecificationValues | None) -> dict:
        if values is None:
            return {}
        initial = {name: getattr(values, name) for name in RANGE_FIELDS}
        initial["source"] = values.proxy_source
        initial["source_date"] = values.proxy_date
        return initial

    def changes(self, values: SpecificationValues | None) -> dict:
        """Only what differs from the values in force."""
        d = self.cleaned_data
        current = self.initial_from(values)
        change = {name: d[name] for name in RANGE_FIELDS if d[name] != current.get(name)}
        if d["source"] != current.get("source", ""):
            change["source"] = d["source"]
        if d["source_date"] and d["source_date"] != current.get("source_date"):
            change["source_date"] = d["source_date"].isoformat()
        return change
