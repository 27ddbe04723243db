from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.core.fields import SwedishDecimalField
from folja.people.models import District
from folja.simulation.texts import MODEL_LABELS


class InvestigationForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("Population"),
        queryset=District.objects.filter(active=True),
        required=False,
        empty_label=_("Hela staden"),
    )
    models = forms.MultipleChoiceField(
        label=_("Modeller"),
        choices=list(MODEL_LABELS.items()),
        initial=["monthly", "flex3", "free"],
        widget=forms.CheckboxSelectMultiple,
    )
    replicates = forms.IntegerField(
        label=_("Antal simuleringar"), min_value=10, max_value=2000, initial=100
    )
    months = forms.IntegerField(label=_("Månader"), min_value=3, max_value=36, initial=12)
    seed = forms.IntegerField(label=_("Slumpfrö"), min_value=0, max_value=2**31, initial=1)
    review_threshold = SwedishDecimalField(
        label=_("Uppföljningströskel, gånger planerad tid (exempelvärde)"),
        min_value=1,
        max_value=10,
        decimal_places=2,
        required=False,
    )
    allowance_per_month = SwedishDecimalField(
        label=_("Omkostnadsersättning per månad, kr (exempelvärde)"),
        min_value=0,
        max_value=10000,
        decimal_places=2,
        required=False,
    )


class PilotForm(forms.Form):
    name = forms.CharField(label=_("Namn på försöket"), max_length=120)
    district = forms.ModelChoiceField(
        label=_("Stadsdel"), queryset=District.objects.filter(active=True)
    )
    size = forms.IntegerField(
        label=_("Antal i försöksgruppen"), min_value=2, max_value=100, initial=10
    )
    starts_on = forms.DateField(
        label=_("Försöket börjar"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Försöket slutar"), widget=forms.DateInput(attrs={"type": "date"})
    )
    seed = forms.IntegerField(label=_("Slumpfrö"), min_value=0, max_value=2**31, initial=1)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("Försöket måste sluta efter att det börjar."))
        return data
