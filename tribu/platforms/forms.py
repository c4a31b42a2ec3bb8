"""The founding form's steps and the settings form. Fields take text as typed: the
service (`validation.clean_settings`) checks meaning, so that the page, the API and the
import refuse the same input with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tribu.ledger.models import EvidenceKind

from .members import ADDABLE_ROLES, signed_up
from .models import CarrierProfile, CauseCategory, Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"})
TEXT = forms.Textarea(attrs={"rows": 5})


def text(label, help_text="", required=False, widget=None, max_length=300):
    return forms.CharField(
        label=label, help_text=help_text, required=required, widget=widget, max_length=max_length
    )


CARRIER_HELP = {
    CarrierProfile.COMPANY_HOST: _("A company pays the rent and invites others in."),
    CarrierProfile.ACTIVIST_ASSOCIATION: _(
        "An association carries the Cause, often with a corporate sponsor."
    ),
    CarrierProfile.INVESTOR: _(
        "An investor whose thesis is the Cause; its portfolio forms the community."
    ),
    CarrierProfile.PATRON_FOUNDATION: _("A patron or a foundation supports the experiment."),
    CarrierProfile.COMMUNITY_LAB: _("A community lab run by its own members."),
}


class CauseStep(forms.Form):
    title = _("The Cause")
    intro = _(
        "A value platform starts from a Cause: a space is rented and dedicated to it, and "
        "people who share it come to work there."
    )
    name = text(_("Name of the platform"), _("How people will call the place."))
    cause_title = text(
        _("The Cause, in one line"),
        _("What the place is dedicated to, for example “the education of tomorrow”."),
    )
    cause_category = forms.ChoiceField(
        label=_("Kind of Cause"),
        choices=CauseCategory.choices,
        initial=CauseCategory.OTHER,
        help_text=_("Lets the observatory compare platforms of the same kind."),
    )
    cause_detail = text(_("The Cause, in your words (optional)"), _("A few words if no kind fits."))
    manifesto = text(
        _("Manifesto (optional)"),
        _("Why this Cause, and who you hope will come. Shown on the public page."),
        widget=TEXT,
        max_length=5000,
    )


class CarrierStep(forms.Form):
    title = _("Who carries it")
    intro = _("The host organisation pays the rent; you represent it in Tribu.")
    carrier_profile = forms.ChoiceField(
        label=_("Carrier profile"),
        choices=[
            (value, f"{label} — {CARRIER_HELP[value]}") for value, label in CarrierProfile.choices
        ],
        initial=CarrierProfile.COMPANY_HOST,
        widget=forms.RadioSelect,
    )
    host_name = text(
        _("Host organisation"),
        _("The company, association, fund or foundation that pays the rent."),
        max_length=200,
    )
    founder_name = text(
        _("Your name in the platform"), _("How the other members will see you."), max_length=200
    )


class PlaceStep(forms.Form):
    title = _("The place")
    intro = _("The rent and charges are the host's costs, against which its benefits are weighed.")
    address = text(_("Address"), _("Where people come to work."))
    commune_code = text(
        _("Commune code (INSEE, optional)"),
        _("For example 75102; used by the observatory."),
        max_length=5,
    )
    surface_m2 = text(_("Surface (m²)"), widget=NUMBER, max_length=12)
    capacity = text(
        _("Capacity (people)"), _("How many can work there at once."), widget=NUMBER, max_length=12
    )
    monthly_rent = text(
        _("Monthly rent"), _("In euros, excluding charges."), widget=NUMBER, max_length=20
    )
    monthly_charges = text(_("Monthly service charges"), widget=NUMBER, max_length=20)
    opening_date = text(_("Opening date"), _("Today or later."), widget=DATE, max_length=10)


class ReviewStep(forms.Form):
    title = _("Check and create")
    intro = _(
        "Your platform starts as a draft: only you see it until you open it. You can change "
        "everything afterwards."
    )
    slug = forms.SlugField(
        label=_("Web address"),
        help_text=_("The end of the page's address: letters, digits and dashes."),
        max_length=50,
        error_messages={"invalid": _("Use only letters without accents, digits and dashes.")},
    )


STEPS = [CauseStep, CarrierStep, PlaceStep, ReviewStep]


class SettingsForm(CauseStep, PlaceStep):
    """Everything a steward may change afterwards."""

    field_order = [
        *CauseStep.base_fields,
        "carrier_profile",
        *PlaceStep.base_fields,
        "region_code",
        "is_public",
        "vouches_required",
        "trial_days",
    ]

    carrier_profile = forms.ChoiceField(label=_("Carrier profile"), choices=CarrierProfile.choices)
    # An open platform keeps its past opening date: the rule binds drafts only.
    opening_date = text(
        _("Opening date"),
        _("While the platform is in preparation: today or later."),
        widget=DATE,
        max_length=10,
    )
    region_code = text(_("Region code (INSEE, optional)"), max_length=3)
    is_public = forms.BooleanField(
        label=_("Public page"),
        required=False,
        help_text=_("Anyone can read the Cause page and ask to join."),
    )
    vouches_required = text(_("Vouches needed to join"), widget=NUMBER, max_length=3)
    trial_days = text(_("Trial period (days)"), widget=NUMBER, max_length=4)


class PhotoForm(forms.Form):
    photo = forms.ImageField(
        label=_("Photo of the place"),
        help_text=_("Shown on the public page and in link previews; it is resized."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = text(_("Name (optional)"), max_length=200)
    role = forms.ChoiceField(
        label=_("Role"),
        initial=Role.NEWCOMER,
        choices=[
            (Role.NEWCOMER, Role.NEWCOMER.label),
            (Role.RESIDENT, Role.RESIDENT.label),
            (Role.GUEST, Role.GUEST.label),
            (Role.FACILITATOR, Role.FACILITATOR.label),
        ],
    )


class InviteCsvForm(forms.Form):
    file = forms.FileField(
        label=_("A CSV file of names and e-mails"),
        help_text=_("One person a line: name, e-mail. A first line of titles is skipped."),
    )
    role = InviteForm.base_fields["role"]


class DeclareForm(forms.Form):
    """A market flow with an outside party, or a monthly schedule of them."""

    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("cost", _("We pay them (a cost)")), ("income", _("They pay us (an income)"))],
        widget=forms.RadioSelect,
        initial="cost",
    )
    specification = forms.ModelChoiceField(queryset=None, label=_("What"))
    inside = forms.ModelChoiceField(
        queryset=None, label=_("On the platform's side"), help_text=_("Usually the host.")
    )
    outsider = forms.ModelChoiceField(
        queryset=None,
        label=_("Outside party"),
        required=False,
        empty_label=_("— someone new (name below) —"),
    )
    outsider_name = text(
        _("Name of a new outside party"), _("A landlord, a cleaning company, a freelancer…")
    )
    amount = forms.DecimalField(label=_("Amount paid"), max_digits=18, decimal_places=2)
    occurred = forms.DateField(label=_("Date (or first month)"), widget=DATE)
    monthly = forms.BooleanField(
        label=_("Every month"),
        required=False,
        help_text=_("Declared once: each month then gets its own flow, on the same day."),
    )
    months = forms.IntegerField(
        label=_("For how many months (empty: until further notice)"), required=False, min_value=1
    )
    evidence_kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    evidence = text(
        _("Evidence"), _("An invoice or lease reference, a link to the document, or a note.")
    )
    note = text(_("Note (optional)"), max_length=1000)

    def __init__(self, platform, *args, language: str = "fr", **kwargs):
        super().__init__(*args, **kwargs)
        from tribu.agents.models import Agent
        from tribu.ledger.declared import is_outsider
        from tribu.ledger.models import ResourceSpecification

        specs = ResourceSpecification.objects.filter(platform=platform, market=True)
        self.fields["specification"].queryset = specs.order_by("slug")
        self.fields["specification"].label_from_instance = lambda s: s.name(language)
        agents = list(Agent.objects.filter(platform=platform).order_by("name"))
        outside = [a.pk for a in agents if is_outsider(platform, a)]
        everyone = Agent.objects.filter(platform=platform).order_by("name")
        self.fields["outsider"].queryset = everyone.filter(pk__in=outside)
        self.fields["inside"].queryset = everyone.exclude(pk__in=outside)
        self.fields["inside"].initial = platform.host_id
        if "rent" in specs.values_list("slug", flat=True):
            self.fields["specification"].initial = specs.get(slug="rent").pk


class AddMemberForm(forms.Form):
    """A host or facilitator adds someone who has signed up."""

    user = forms.CharField(label=_("Username or e-mail of the person"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        initial=Role.NEWCOMER,
        choices=[(role, role.label) for role in ADDABLE_ROLES],
    )
    name = forms.CharField(
        label=_("Name shown in the platform (optional)"), required=False, max_length=200
    )

    def clean_user(self):
        user = signed_up(self.cleaned_data["user"])
        if user is None:
            raise forms.ValidationError(_("Nobody has signed up with this name or e-mail."))
        return user
