"""Forms of the provider portal: implementation plan, escorts, API tokens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.delivery.forms import DescribedForm
from folja.providers.models import AgeBand, Capacity


class PlanForm(DescribedForm):
    goals = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 3}))
    activities = forms.CharField(label=_("Aktiviteter"), widget=forms.Textarea(attrs={"rows": 3}))
    who = forms.CharField(label=_("Vem gör vad"), widget=forms.Textarea(attrs={"rows": 2}))
    when = forms.CharField(label=_("När"), widget=forms.Textarea(attrs={"rows": 2}))
    how = forms.CharField(label=_("Hur"), widget=forms.Textarea(attrs={"rows": 2}))
    participation = forms.CharField(
        label=_("Den enskildes delaktighet"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hur den enskilde har varit med och tagit fram planen."),
    )


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()][:20]


class EscortForm(DescribedForm):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    gender = forms.ChoiceField(
        label=_("Kön"), choices=[("female", _("Kvinna")), ("male", _("Man"))]
    )
    age_band = forms.ChoiceField(label=_("Ålder"), choices=AgeBand.choices)
    languages = forms.CharField(
        label=_("Språk"),
        max_length=300,
        help_text=_("Skilj med kommatecken, t.ex. svenska, arabiska."),
    )
    interests = forms.CharField(
        label=_("Intressen"), max_length=300, required=False, help_text=_("Skilj med kommatecken.")
    )
    physical_capacity = forms.ChoiceField(label=_("Fysisk förmåga"), choices=Capacity.choices)

    def clean_languages(self) -> list[str]:
        return _split(self.cleaned_data["languages"])

    def clean_interests(self) -> list[str]:
        return _split(self.cleaned_data["interests"])


class TokenForm(DescribedForm):
    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("Till exempel namnet på systemet som ska använda den."),
    )


class OrderSearchForm(DescribedForm):
    q = forms.CharField(
        label=_("Sök uppdrag på namn"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()


class SessionUploadForm(DescribedForm):
    file = forms.FileField(
        label=_("Passfil (CSV)"),
        help_text=_("Månadens pass i formatet som beskrivs nedan."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
