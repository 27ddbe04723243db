"""Admin forms for guideline versions and LOV rates. They only collect input: every rule that
refuses a value is in folja.guidelines.services, and its errors are put next to the fields."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from folja.guidelines import services
from folja.guidelines.models import GuidelineVersion, LovRate
from folja.guidelines.reference import ILLUSTRATIVE

_SEPARATORS = re.compile(r"[\s,;]+")


class StorhelgField(forms.CharField):
    """The storhelg dates as text, one per line (commas also separate): easier to read and
    correct than a JSON list. Entries are passed on as typed; the service says which one is
    not a date."""

    widget = forms.Textarea(attrs={"rows": 8, "cols": 20})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(day) for day in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [entry for entry in _SEPARATORS.split(text) if entry]


class ServiceCheckedForm(forms.ModelForm):
    """Runs the service's check on the cleaned values and shows its errors by field. The
    model's own uniqueness check is left to the service, whose message says what to do."""

    check = staticmethod(lambda *, values, pk: None)

    def clean(self):
        cleaned = super().clean()
        try:
            self.check(values=cleaned, pk=self.instance.pk)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        return cleaned

    def validate_unique(self) -> None:
        pass


def _illustrative_choices() -> list[tuple[str, str]]:
    return [(name, GuidelineVersion._meta.get_field(name).verbose_name) for name in ILLUSTRATIVE]


class GuidelineVersionForm(ServiceCheckedForm):
    check = staticmethod(services.guideline_version_check)
    storhelg = StorhelgField(
        label=_("storhelgsdagar"),
        required=False,
        help_text=_("Ett datum per rad, ÅÅÅÅ-MM-DD."),
    )
    illustrative_fields = forms.MultipleChoiceField(
        label=_("exempelvärden"),
        choices=_illustrative_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Värden som inte är stadens beslutade, utan exempel. Sidorna märker dem."),
    )

    class Meta:
        model = GuidelineVersion
        fields = [
            "name",
            "valid_from",
            "model",
            "period_anchor",
            "late_cancellation_cutoff_hours",
            "late_cancellation_charged",
            "no_show_charged",
            "expense_allowance_per_month",
            "costly_activity_yearly_ceiling",
            "free_review_threshold",
            "reporting_deadline_days",
            "storhelg",
            "no_choice_provider",
            "illustrative_fields",
            "notes",
        ]


class LovRateForm(ServiceCheckedForm):
    check = staticmethod(services.lov_rate_check)

    class Meta:
        model = LovRate
        fields = ["year", "regi", "day", "evening", "night", "weekend", "storhelg", "source"]
