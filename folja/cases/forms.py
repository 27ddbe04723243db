"""Forms check input shape only (types, ranges, pairs of fields); the rules live in services.
Every error is Swedish, next to its field and tied to it with aria-describedby."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from folja.cases.models import ApplicationKind, OtherService, Outcome
from folja.core.fields import SwedishDecimalField
from folja.guidelines.models import LegalBasis, LifeArea
from folja.providers.models import AgeBand, Provider
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
RATING_CHOICES = [("", _("Välj"))] + [(str(i), str(i)) for i in range(1, 8)]
ACTS = [("SoL", "SoL"), ("LSS", "LSS")]


class AccessibleForm(forms.Form):
    """Ties each field's error to it (aria-describedby, aria-invalid)."""

    # A service names a rule's field; a form may show it next to another of its fields.
    error_aliases: dict[str, str] = {}
    # Fields required only in some cases (the form's clean() or the service says when, next
    # to the field): not required by the form, but the label must not call them optional.
    conditionally_required: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.conditionally_required:
            self.fields[name].required_for_send = True

    def mark_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            error_id = f"{self[name].auto_id}_error"
            described = attrs.get("aria-describedby", "")
            if error_id not in described:
                attrs["aria-describedby"] = f"{described} {error_id}".strip()
            attrs["aria-invalid"] = "true"

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError next to the fields it names."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                name = self.error_aliases.get(name, name)
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)
        self.mark_errors()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CaseDateField(forms.DateField):
    """A date within what casework can mean; far-off years are typing mistakes."""

    widget = DateInput

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise ValidationError(_("Ange ett datum mellan år 2000 och 2100."), code="range")


def hours_field(label, *, required: bool = True) -> forms.DecimalField:
    return SwedishDecimalField(
        label=label,
        required=required,
        min_value=Decimal("0.5"),
        max_value=Decimal("744"),
        max_digits=6,
        decimal_places=2,
    )


class SearchForm(AccessibleForm):
    q = forms.CharField(
        label=_("Sök på namn eller personnummer"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        q = self.cleaned_data["q"].strip()
        if any(ch.isdigit() for ch in q):
            try:
                parse_personnummer(q)
            except InvalidPersonnummer:
                raise ValidationError(
                    _(
                        "Personnumret är inte giltigt. Skriv det som ÅÅMMDD-NNNN eller "
                        "ÅÅÅÅMMDD-NNNN och kontrollera siffrorna."
                    ),
                    code="personnummer",
                ) from None
        return q


class ApplicationForm(AccessibleForm):
    received_on = CaseDateField(label=_("Ansökan inkom"))
    kind = forms.ChoiceField(
        label=_("Typ av ansökan"), choices=ApplicationKind.choices, widget=forms.RadioSelect
    )
    activities = forms.CharField(
        label=_("Aktiviteter som ansökan gäller"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fyll i om ansökan gäller namngivna aktiviteter."),
    )
    requested_act = forms.ChoiceField(label=_("Sökt enligt"), choices=ACTS)
    requested_hours_per_month = hours_field(_("Sökta timmar per månad"), required=False)

    conditionally_required = ("activities",)
    field_order = ["received_on", "kind", "catalogue_activities", "activities"]

    def __init__(self, *args, **kwargs):
        # The activity handbook's catalogue; free text stays possible (issue 15).
        from folja.handbook.forms import CatalogueActivitiesField

        super().__init__(*args, **kwargs)
        self.fields["catalogue_activities"] = CatalogueActivitiesField()
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        named = data.get("activities", "").strip() or data.get("catalogue_activities")
        if data.get("kind") == ApplicationKind.SPECIFIC and not named:
            self.add_error("activities", _("Skriv vilka aktiviteter ansökan gäller."))
        return data


class AssessmentForm(AccessibleForm):
    assessed_on = CaseDateField(label=_("Utredningsdatum"))
    needs = forms.CharField(
        label=_("Behov"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    other_services = forms.MultipleChoiceField(
        label=_("Övriga insatser den enskilde har"),
        choices=OtherService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free_text = forms.CharField(
        label=_("Övrigt om stödsituationen"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, life_areas: list[LifeArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.life_areas = life_areas
        for area in life_areas:
            self.fields[f"cw_{area.code}"] = forms.TypedChoiceField(
                label=_("%(area)s – handläggarens skattning (1–7)") % {"area": area.name},
                choices=RATING_CHOICES,
                coerce=int,
                help_text=area.description,
            )
            self.fields[f"p_{area.code}"] = forms.TypedChoiceField(
                label=_("%(area)s – den enskildes egen skattning (1–7)") % {"area": area.name},
                choices=RATING_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
            )

    def rating_rows(self):
        return [(area, self[f"cw_{area.code}"], self[f"p_{area.code}"]) for area in self.life_areas]


class DecisionForm(AccessibleForm):
    decided_on = CaseDateField(label=_("Beslutsdatum"))
    outcome = forms.ChoiceField(
        label=_("Utfall"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    legal_basis = forms.ModelChoiceField(
        label=_("Lagrum"), queryset=LegalBasis.objects.all(), empty_label=_("Välj lagrum")
    )
    hours_per_month = hours_field(_("Beviljade timmar per månad"), required=False)
    double_staffing = forms.BooleanField(label=_("Dubbelbemanning (två ledsagare)"), required=False)
    valid_from = CaseDateField(label=_("Gäller från"), required=False)
    valid_to = CaseDateField(label=_("Gäller till och med"), required=False)
    reasons = forms.CharField(
        label=_("Motivering"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    part_1 = forms.CharField(label=_("Avslagen del 1"), required=False, max_length=300)
    reason_1 = forms.CharField(label=_("Skäl för avslag, del 1"), required=False, max_length=2000)
    part_2 = forms.CharField(label=_("Avslagen del 2"), required=False, max_length=300)
    reason_2 = forms.CharField(label=_("Skäl för avslag, del 2"), required=False, max_length=2000)
    part_3 = forms.CharField(label=_("Avslagen del 3"), required=False, max_length=300)
    reason_3 = forms.CharField(label=_("Skäl för avslag, del 3"), required=False, max_length=2000)
    deviation_reason = forms.CharField(
        label=_("Skäl till avvikelse från jämförbara beslut"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när timmarna ligger utanför stadens 10–90-percentil."),
    )

    model = forms.ChoiceField(
        label=_("Tilldelningsmodell"),
        required=False,
        choices=[("", _("Enligt riktlinjerna"))],
        help_text=_(
            "Riktlinjerna bestämmer modellen. Fri ledsagning kan bara väljas för den som är med "
            "i ett försök med den."
        ),
    )

    error_aliases = {"rejected_parts": "part_1"}
    # Hours and validity for a decision that grants time; a rejected part's reason; the
    # deviation reason outside the 10–90 percentile.
    conditionally_required = (
        "hours_per_month",
        "valid_from",
        "valid_to",
        "reason_1",
        "reason_2",
        "reason_3",
        "deviation_reason",
    )
    PART_FIELDS = (("part_1", "reason_1"), ("part_2", "reason_2"), ("part_3", "reason_3"))

    def __init__(self, *args, model_choices: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if model_choices:
            self.fields["model"].choices = model_choices

    def clean(self):
        data = super().clean()
        parts = []
        for part_name, reason_name in self.PART_FIELDS:
            part = data.get(part_name, "").strip()
            reason = data.get(reason_name, "").strip()
            if part and not reason:
                self.add_error(reason_name, _("Skriv skälet till att den här delen avslås."))
            elif reason and not part:
                self.add_error(part_name, _("Skriv vilken del som avslås."))
            elif part:
                parts.append({"part": part, "reason": reason})
        data["rejected_parts"] = parts
        return data


class LetterForm(AccessibleForm):
    notified_on = CaseDateField(
        label=_("Den enskilde delges beslutet"),
        help_text=_("Överklagandetiden, tre veckor, räknas från den dagen."),
    )


class OrderForm(AccessibleForm):
    provider = forms.ModelChoiceField(
        label=_("Utförare som den enskilde valt"),
        queryset=Provider.objects.filter(lov_approved=True, active=True),
        empty_label=_("Välj utförare"),
    )
    goals = forms.CharField(
        label=_("Mål med insatsen"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activities = forms.CharField(
        label=_("Aktiviteter"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preferred_languages = forms.CharField(
        label=_("Önskat språk hos ledsagaren"),
        required=False,
        max_length=200,
        help_text=_("Skilj flera med kommatecken."),
    )
    preferred_interests = forms.CharField(
        label=_("Intressen som ledsagaren gärna delar"),
        required=False,
        max_length=300,
        help_text=_("Skilj flera med kommatecken."),
    )
    preferred_age_band = forms.ChoiceField(
        label=_("Önskad ålder hos ledsagaren"),
        required=False,
        choices=[("", _("Ingen önskan")), *AgeBand.choices],
    )
    preferred_gender = forms.ChoiceField(
        label=_("Önskat kön hos ledsagaren"),
        required=False,
        choices=[("", _("Ingen önskan")), ("female", _("Kvinna")), ("male", _("Man"))],
    )
    physical_strength_needed = forms.BooleanField(
        label=_("Ledsagaren behöver kunna ge fysiskt stöd"), required=False
    )
    communication_needs = forms.CharField(
        label=_("Kommunikationsbehov"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_rules = forms.CharField(
        label=_("Kontaktvägar och överenskommelser"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    SEND_REQUIRED = ("goals", "activities", "communication_needs", "contact_rules")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft may be incomplete; these must be filled before the order can be sent.
        for name in self.SEND_REQUIRED:
            self.fields[name].required_for_send = True
            self.fields[name].help_text = _("Måste fyllas i innan beställningen skickas.")

    @staticmethod
    def _list(text: str) -> list[str]:
        return [item.strip() for item in text.split(",") if item.strip()][:20]

    def handover(self) -> dict:
        data = self.cleaned_data
        return {
            "goals": data["goals"].strip(),
            "activities": data["activities"].strip(),
            "preferred_languages": self._list(data["preferred_languages"]),
            "preferred_interests": self._list(data["preferred_interests"]),
            "preferred_age_band": data["preferred_age_band"],
            "preferred_gender": data["preferred_gender"],
            "physical_strength_needed": data["physical_strength_needed"],
            "communication_needs": data["communication_needs"].strip(),
            "contact_rules": data["contact_rules"].strip(),
        }

    @classmethod
    def initial_from(cls, order) -> dict:
        return {
            "provider": order.provider_id,
            "goals": order.goals,
            "activities": order.activities,
            "preferred_languages": ", ".join(order.preferred_languages or []),
            "preferred_interests": ", ".join(order.preferred_interests or []),
            "preferred_age_band": order.preferred_age_band,
            "preferred_gender": order.preferred_gender,
            "physical_strength_needed": order.physical_strength_needed,
            "communication_needs": order.communication_needs,
            "contact_rules": order.contact_rules,
        }


class SessionReviewForm(AccessibleForm):
    verdict = forms.ChoiceField(
        label=_("Beslut om den överskjutande tiden"),
        choices=[
            ("approve", _("Godkänn – tiden ersätts")),
            ("reject", _("Avslå – tiden ersätts inte")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Skäl"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskCloseForm(AccessibleForm):
    resolution = forms.CharField(label=_("Vad gjordes?"), max_length=2000)


class ExpenseClaimDecisionForm(AccessibleForm):
    verdict = forms.ChoiceField(
        label=_("Beslut om utlägget"),
        choices=[
            ("approve", _("Godkänn – utlägget dras från omkostnadsersättningen")),
            ("reject", _("Avslå – utlägget ersätts inte")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Skäl"),
        required=False,
        max_length=2000,
        help_text=_("Krävs vid avslag. Den enskilde ser skälet på Mina sidor."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    conditionally_required = ("note",)


class CostlyActivityDecisionForm(AccessibleForm):
    verdict = forms.ChoiceField(
        label=_("Beslut om ansökan"),
        choices=[("approve", _("Bevilja")), ("reject", _("Avslå"))],
        widget=forms.RadioSelect,
    )
    approved_amount_sek = SwedishDecimalField(
        label=_("Beviljat belopp (kr)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text=_("Krävs när ansökan beviljas."),
    )
    note = forms.CharField(
        label=_("Skäl"),
        required=False,
        max_length=2000,
        help_text=_("Krävs vid avslag. Den enskilde ser skälet på Mina sidor."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    conditionally_required = ("approved_amount_sek", "note")


# Appeal forms live in their own module; re-exported so views find every casework form here.
from folja.cases.forms_appeals import (  # noqa: E402
    AppealForm,
    DismissForm,
    ForwardForm,
    JudgmentForm,
    ReconsiderForm,
)

__all__ = ["AppealForm", "DismissForm", "ForwardForm", "JudgmentForm", "ReconsiderForm"]
