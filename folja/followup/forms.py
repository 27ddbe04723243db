"""Forms of the follow-up pages: asking for a tertial report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.delivery.forms import DescribedForm
from folja.people.models import District

TERTIALS = (
    (1, _("T1 januari–april")),
    (2, _("T2 maj–augusti")),
    (3, _("T3 september–december")),
)


class TertialReportForm(DescribedForm):
    year = forms.TypedChoiceField(label=_("År"), coerce=int)
    tertial = forms.TypedChoiceField(label=_("Tertial"), choices=TERTIALS, coerce=int)
    district = forms.ModelChoiceField(
        label=_("Stadsdel"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("Hela staden"),
    )

    def __init__(self, *args, years: list[int], districts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        if districts is None:
            # A unit manager's report is of their own district: nothing to choose.
            del self.fields["district"]
        else:
            self.fields["district"].queryset = districts
