"""Forms of the work list's own pages: the reason a decision was not carried out, and the
person's choice of provider."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.cases.forms import AccessibleForm
from folja.cases.models import NonExecutionReason


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
