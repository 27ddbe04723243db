"""Forms of the work list's own pages: the reason a decision was not carried out, and the
person's choice of provider."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.cases.forms import AccessibleForm
from folja.cases.models import NonExecutionReason
from folja.providers.models import Provider, ProviderChoiceKind


class NonExecutionReasonForm(AccessibleForm):
    reason = forms.ChoiceField(
        label=_("Skäl till att beslutet inte verkställts"),
        choices=NonExecutionReason.choices,
        widget=forms.RadioSelect,
    )
    reason_text = forms.CharField(
        label=_("Beskriv skälet"),
        help_text=_("Krävs när du väljer Annat skäl."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProviderChoiceForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("Den enskildes val"),
        choices=ProviderChoiceKind.choices,
        widget=forms.RadioSelect,
    )
    provider = forms.ModelChoiceField(
        label=_("Utförare som den enskilde valt"),
        help_text=_("Behövs när den enskilde har valt utförare."),
        queryset=Provider.objects.filter(lov_approved=True, active=True).order_by("name"),
        empty_label=_("Välj utförare"),
        required=False,
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required when the person chose (the service says so next to the field): not
        # "frivilligt", though the form cannot require it on its own.
        self.fields["provider"].required_for_send = True
