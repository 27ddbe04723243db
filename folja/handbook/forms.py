"""Forms of the handbook check input shape only; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.cases.forms import AccessibleForm, CaseDateField
from folja.handbook.models import Activity, RulingKind
from folja.handbook.selectors import legal_reference_choices


class RulingForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("Bedömning"), choices=RulingKind.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Villkor"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasoning = forms.CharField(
        label=_("Motivering på klarspråk"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Korta meningar. Texten visas för handläggare, utförare och den enskilde."),
    )
    legal_references = forms.MultipleChoiceField(
        label=_("Lagrum"),
        required=False,
        choices=legal_reference_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = CaseDateField(label=_("Gäller från"))
    valid_to = CaseDateField(label=_("Gäller till"), required=False)
    illustrative = forms.BooleanField(
        label=_("Exempeltext (inte antagen av staden)"), required=False
    )


class ActivityForm(RulingForm):
    name = forms.CharField(label=_("Aktivitet"), max_length=120)
    code = forms.SlugField(
        label=_("Kod"),
        max_length=60,
        help_text=_("Små bokstäver och bindestreck, t.ex. resa-utomlands."),
    )
    grey_zone = forms.BooleanField(label=_("Gråzon"), required=False)

    field_order = ["name", "code", "grey_zone"]


def activity_choices() -> list[tuple[int, str]]:
    return [(a.pk, a.name) for a in Activity.objects.all()]


class CatalogueActivitiesField(forms.TypedMultipleChoiceField):
    """Activities picked from the catalogue (checkboxes); free text stays in its own field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Aktiviteter ur stadens aktivitetshandbok"))
        kwargs.setdefault("required", False)
        super().__init__(
            choices=activity_choices, coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs
        )
