from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.handbook.models import Activity, RulingKind
from folja.people.models import District
from folja.questions.services import MAX_TEXT


class QuestionSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök i frågor och svar"), required=False, max_length=200)
    aktivitet = forms.ModelChoiceField(
        label=_("Aktivitet"), queryset=Activity.objects.all(), required=False
    )


class QuestionForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Aktivitet"), queryset=Activity.objects.all())
    text = forms.CharField(
        label=_("Fråga och avidentifierat fall"),
        help_text=_("Beskriv fallet utan namn, personnummer eller adress."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
    )
    district = forms.ModelChoiceField(
        label=_("Stadsdel som fallet gäller (valfritt)"),
        queryset=District.objects.all(),
        required=False,
    )

    def __init__(self, *args, ask_district: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A caseworker's question is always about their own district.
        if not ask_district:
            del self.fields["district"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Svar"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_TEXT
    )
    publish = forms.BooleanField(
        label=_("Publicera svaret för alla stadsdelar och utförare"), required=False
    )
    ruling_kind = forms.ChoiceField(
        label=_("Publicera som ny eller ändrad tillämpning i handboken"),
        help_text=_("Välj bedömning för att svaret ska bli aktivitetens nya tillämpning."),
        choices=[("", _("Ingen ny tillämpning")), *RulingKind.choices],
        required=False,
    )
    ruling_conditions = forms.CharField(
        label=_("Villkor i tillämpningen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
    )
    ruling_valid_from = forms.DateField(
        label=_("Tillämpningen gäller från (ÅÅÅÅ-MM-DD, tomt: i dag)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
