"""Forms of the space's pages; they only parse input: the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tribu.core.validation import real_offset

from .models import GatheringKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BookingForm(forms.Form):
    resource = forms.ChoiceField(label=_("Resource"))
    start = forms.DateTimeField(label=_("Start"), widget=DATETIME, validators=[real_offset])
    end = forms.DateTimeField(label=_("End"), widget=DATETIME, validators=[real_offset])
    beneficiary = forms.ChoiceField(
        label=_("For"),
        help_text=_(
            "Book for an organization you represent, for example a colleague passing through."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=300, help_text=_("For a colleague: their name.")
    )

    def __init__(self, *args, resources, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(r.slug, r.name) for r in resources]
        self.fields["beneficiary"].choices = [(a.slug, a.name) for a in beneficiaries]


class GatheringForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GatheringKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resource = forms.ChoiceField(label=_("Where"))
    start = forms.DateTimeField(label=_("Start"), widget=DATETIME, validators=[real_offset])
    end = forms.DateTimeField(label=_("End"), widget=DATETIME, validators=[real_offset])
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)
    on_behalf_of = forms.ChoiceField(label=_("On behalf of"))
    client = forms.ChoiceField(label=_("Client (learning expedition)"), required=False)
    price = forms.DecimalField(
        label=_("Price (learning expedition)"),
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=0,
    )
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)

    def __init__(self, *args, resources, organizers, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(r.slug, r.name) for r in resources]
        self.fields["on_behalf_of"].choices = [(a.slug, a.name) for a in organizers]
        self.fields["client"].choices = [("", "—")] + [(a.slug, a.name) for a in clients]


class ContributionForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.DecimalField(
        label=_("Days given"), min_value=0, max_digits=4, decimal_places=1, initial=1
    )
    note = forms.CharField(label=_("What you did"), max_length=300, required=False)


class AgreementForm(forms.Form):
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("End"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most 12 months after the start."),
    )
    days_owed_per_month = forms.DecimalField(
        label=_("Days of contribution owed per month"),
        min_value=0,
        max_digits=4,
        decimal_places=1,
        initial=5,
    )


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    spec = forms.ChoiceField(
        label=_("Valued as"), required=False, help_text=_("Empty: the usual one for its kind.")
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, initial=1)
    beds = forms.IntegerField(label=_("Beds"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, kinds, specs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["spec"].choices = [("", "—")] + specs


class SettingsForm(forms.Form):
    opens_at = forms.TimeField(label=_("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(
        label=_("Closes at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    guest_max_hours_per_week = forms.IntegerField(
        label=_("Hours a guest may book per week"), min_value=0
    )


class InvoicingForm(forms.Form):
    """The seller's legal details (the host organization) and the invoicing terms."""

    legal_name = forms.CharField(label=_("Legal name of the seller"), max_length=200)
    address = forms.CharField(label=_("Seller's address"), widget=forms.Textarea(attrs={"rows": 3}))
    siret = forms.CharField(
        label=_("SIRET (14 digits)"),
        required=False,
        max_length=20,
        help_text=_("Its first nine digits, the SIREN, are printed too."),
    )
    vat_number = forms.CharField(label=_("Intra-community VAT number"), required=False)
    rna = forms.CharField(
        label=pgettext_lazy("form label", "RNA number (associations)"),
        required=False,
        max_length=20,
        help_text=_("W followed by nine digits; printed on the gift receipts of an association."),
    )
    purpose = forms.CharField(
        label=_("Object of the association"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As registered; printed on its gift receipts (the Cause otherwise)."),
    )
    vat_rate = forms.DecimalField(
        label=_("VAT rate (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    vat_exemption = forms.CharField(
        label=_("VAT exemption mention"),
        required=False,
        max_length=200,
        help_text=_("Only when no VAT is charged, e.g. “TVA non applicable, art. 293 B du CGI”."),
    )
    payment_days = forms.IntegerField(
        label=_("Payment due after (days)"), min_value=0, max_value=60
    )
    late_penalty_rate = forms.DecimalField(
        label=_("Late-payment penalty rate (% a year)"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text=_("Empty: the ECB's refinancing rate plus ten points, as the law says."),
    )
