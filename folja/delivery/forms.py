"""Forms for booking, reporting, cancelling and expense claims in the provider portal. They
only parse and check input shape; the rules live in the services and the rules engine."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.delivery.services import DeliveryError, check_receipt

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class DescribedForm(forms.Form):
    """Ties each field's error list to its input with aria-describedby (WCAG 3.3.1)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{name}-help"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = f"{name}-error"
                attrs["aria-invalid"] = "true"


class TimesForm(DescribedForm):
    start = forms.DateTimeField(
        label=_("Start"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    end = forms.DateTimeField(
        label=_("Slut"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Sluttiden måste vara efter starttiden."))
        return data


class BookForm(TimesForm):
    escort = forms.ModelChoiceField(
        label=_("Ledsagare"), queryset=None, required=False, empty_label=_("Ingen vald ännu")
    )
    escorts = forms.TypedChoiceField(
        label=_("Antal ledsagare"), choices=[(1, "1"), (2, "2")], coerce=int, initial=1
    )
    activity = forms.CharField(label=_("Aktivitet"), max_length=200, required=False)

    def __init__(self, *args, escorts_qs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = escorts_qs


class ReportForm(TimesForm):
    pass


class CancelForm(DescribedForm):
    cause = forms.ChoiceField(
        label=_("Orsak"),
        widget=forms.RadioSelect,
        choices=[
            ("person", _("Den enskilde avbokade")),
            ("no_show", _("Uteblivet besök")),
            ("provider", _("Utföraren ställde in")),
        ],
    )
    cancelled_at = forms.DateTimeField(
        label=_("När avbokade den enskilde?"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_(
            "Om avbokningen var i tid eller sen avgörs av stadens riktlinje, inte av utföraren."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("cause") == "person" and not data.get("cancelled_at"):
            self.add_error("cancelled_at", _("Ange när den enskilde avbokade."))
        return data


class ExpenseClaimForm(DescribedForm):
    order = forms.ModelChoiceField(label=_("Beställning (person)"), queryset=None)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_sek = forms.DecimalField(
        label=_("Belopp (kr)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
    )
    description = forms.CharField(label=_("Vad gäller utgiften?"), max_length=200)
    receipt = forms.FileField(
        label=_("Kvitto"),
        help_text=_("PDF, JPEG eller PNG, högst 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, orders_qs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders_qs
        self.fields["order"].label_from_instance = lambda o: f"{o.person} ({o.pk})"

    def clean_receipt(self):
        receipt = self.cleaned_data["receipt"]
        try:
            check_receipt(receipt)  # by its content, never by its name or the browser's claim
        except DeliveryError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return receipt
