"""The person's choice of format: which one they want their letters in and, for braille,
fullskrift or kortskrift. The write is in `folja.accessible.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.people.models import BrailleGrade, PreferredFormat


class FormatPreferencesForm(forms.Form):
    preferred_format = forms.ChoiceField(
        label=_("Hur vill du få dina brev och beslut?"),
        choices=PreferredFormat.choices,
        widget=forms.RadioSelect,
    )
    braille_grade = forms.ChoiceField(
        label=_("Punktskrift"),
        help_text=_(
            "Fullskrift har alla bokstäver. Kortskrift har förkortningar och är kortare att läsa."
        ),
        choices=BrailleGrade.choices,
        widget=forms.RadioSelect,
    )
