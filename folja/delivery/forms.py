"""Forms for booking, reporting, cancelling and expense claims in the provider portal. They
only parse and check input shape; the rules live in the services and the rules engine. Times
go through the services' one check (`session_time_errors`), so each field shows its own
Swedish error before anything is written."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.core import clock
from folja.core.fields import SwedishDecimalField
from folja.delivery.models import SessionStatus
from folja.delivery.services import DeliveryError, check_receipt, session_time_errors

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


def _add_time_errors(form: forms.Form, errors: list[DeliveryError]) -> None:
    for error in errors:
        if error.field in form.fields and error.field not in form.errors:
            form.add_error(error.field, forms.ValidationError(error.message, code=error.code))


class TimesForm(DescribedForm):
    # The status the session will have once the form is saved: it decides whether the start
    # must already have passed.
    status = SessionStatus.BOOKED

    start = forms.DateTimeField(
        label=_("Start"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    end = forms.DateTimeField(
        label=_("Slut"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )

    def clean(self):
        data = super().clean()
        _add_time_errors(
            self,
            session_time_errors(
                now=clock.now(), start=data.get("start"), end=data.get("end"), status=self.status
            ),
        )
        return data


class BookForm(TimesForm):
    escort = forms.ModelChoiceField(
        label=_("Ledsagare"), queryset=None, required=False, empty_label=_("Ingen vald ännu")
    )
    escorts = forms.TypedChoiceField(
        label=_("Antal ledsagare"), choices=[(1, "1"), (2, "2")], coerce=int, initial=1
    )
    activity = forms.CharField(label=_("Aktivitet"), max_length=200, required=False)
    # The activity handbook (issue 15): the activity picked from the catalogue, and how the
    # provider applied its ruling (required unless the activity is covered outright).
    handbook_activity = forms.ModelChoiceField(
        label=_("Aktivitet ur aktivitetshandboken"),
        queryset=None,
        required=False,
        empty_label=_("Ingen vald"),
    )
    handbook_note = forms.CharField(
        label=_("Så tillämpade ni handboken"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när aktiviteten inte ingår utan villkor."),
    )

    def __init__(self, *args, escorts_qs=None, **kwargs) -> None:
        from folja.handbook.models import Activity

        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = escorts_qs
        self.fields["handbook_activity"].queryset = Activity.objects.all()
        self.ruling = None  # the chosen activity's ruling in force on the session's day

    def clean(self):
        from folja.handbook.models import Activity, Ruling
        from folja.handbook.selectors import needs_note, published

        data = super().clean()
        activity: Activity | None = data.get("handbook_activity")
        start = data.get("start")
        if activity is not None and start is not None:
            self.ruling = Ruling.objects.filter(published(start.date()), activity=activity).first()
            if needs_note(self.ruling) and not data.get("handbook_note", "").strip():
                self.add_error(
                    "handbook_note",
                    _("Skriv hur ni har tillämpat handboken för den här aktiviteten."),
                )
        return data


class ReportForm(TimesForm):
    status = SessionStatus.EXECUTED


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
        # Whether a no-show is possible yet depends on the session: the service checks that.
        _add_time_errors(
            self, session_time_errors(now=clock.now(), cancelled_at=data.get("cancelled_at"))
        )
        return data


class ExpenseClaimForm(DescribedForm):
    order = forms.ModelChoiceField(label=_("Beställning (person)"), queryset=None)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_sek = SwedishDecimalField(
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
    costly_activity = forms.ModelChoiceField(
        label=_("Mer kostsam aktivitet"),
        help_text=_("Välj aktiviteten om utgiften gäller en beviljad mer kostsam aktivitet."),
        queryset=None,
        required=False,
        empty_label=_("Ingen"),
    )

    def __init__(self, *args, orders_qs=None, activities_qs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders_qs
        self.fields["order"].label_from_instance = lambda o: f"{o.person} ({o.pk})"
        if activities_qs is None:
            del self.fields["costly_activity"]
        else:
            self.fields["costly_activity"].queryset = activities_qs
            self.fields["costly_activity"].label_from_instance = lambda a: (
                f"{a.activity}, {a.date:%Y-%m-%d} ({a.person})"
            )

    def clean(self):
        cleaned = super().clean()
        order, activity = cleaned.get("order"), cleaned.get("costly_activity")
        if order is not None and activity is not None and activity.person_id != order.person_id:
            self.add_error("costly_activity", _("Aktiviteten gäller en annan person."))
        return cleaned

    def clean_receipt(self):
        receipt = self.cleaned_data["receipt"]
        try:
            check_receipt(receipt)  # by its content, never by its name or the browser's claim
        except DeliveryError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return receipt
