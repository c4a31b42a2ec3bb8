"""Forms of community pages: labels for every input, the services do the checking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, IntentKind, Project, Resolution


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    statement = forms.CharField(
        label=_("How do you share the Cause?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class ConcernForm(forms.Form):
    text = forms.CharField(label=_("Your concern"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Resolution.LIFTED, _("Lift the concern")),
            (Resolution.UPHELD, _("Uphold it: the application ends")),
        ],
    )
    advice = forms.CharField(
        label=_("Whose advice did you seek, and what did they say?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "description", "skills", "themes", "needs", "visibility"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"skills": _("Separated by commas."), "themes": _("Separated by commas.")}


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name shown to the others"), max_length=200)
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you work on, what you can help with."),
    )
    is_public = forms.BooleanField(
        label=_("Visitors who are not members may see my profile"), required=False
    )


class IntentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I…"),
        choices=[(IntentKind.NEED, _("need")), (IntentKind.OFFER, _("can help with"))],
    )
    title = forms.CharField(label=_("In a few words"), max_length=200)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas, e.g. python, funding.")
    )
    description = forms.CharField(
        label=_("Details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HelpedForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours of help"), min_value=0, max_digits=8, decimal_places=2, initial=1
    )
    specification = forms.ChoiceField(label=_("Kind of value"), required=False)
    declared_value = forms.DecimalField(
        label=_("Declared value (only for kinds valued per event)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    note = forms.CharField(label=_("What happened (optional)"), required=False)

    def __init__(self, *args, specifications=(), language="fr", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specification"].choices = [(s.slug, s.name(language)) for s in specifications]
        self.fields["specification"].initial = "volunteer-hour"


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("The whole charter as you propose it"), widget=forms.Textarea(attrs={"rows": 12})
    )
    rationale = forms.CharField(
        label=_("Why this change?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment or objection"), widget=forms.Textarea(attrs={"rows": 3})
    )
    objection = forms.BooleanField(
        label=_("This is a reasoned objection: the change should not be adopted as it is"),
        required=False,
    )


class DecideProposalForm(forms.Form):
    note = forms.CharField(
        label=_("Reasons (required when objections still stand)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IntroductionForm(forms.Form):
    first = forms.ChoiceField(label=_("I introduced"))
    second = forms.ChoiceField(label=_("to"))
    on = forms.DateField(
        label=_("on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.slug, a.name) for a in agents]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(label=_("Send me e-mails"), choices=Delivery.choices)
