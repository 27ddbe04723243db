"""Portal forms. They validate input and say what is wrong in Swedish next to the field; the
writes happen in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from folja.core.fields import SwedishDecimalField
from folja.delivery.models import CostlyActivityApplication
from folja.delivery.services import DeliveryError, check_receipt
from folja.portal.models import FeedbackAbout, FeedbackKind
from folja.providers.models import Provider

DATE_HELP = _("Skriv datumet så här: 2024-03-18.")


class DateInput(forms.DateInput):
    """A plain text field with the format spelled out: browsers' date pickers differ in how
    they are read out and typed into, a written date works the same everywhere."""

    input_type = "text"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", attrs={"autocomplete": "off"}, **kwargs)


class ExpenseClaimForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput(), help_text=DATE_HELP)
    amount_sek = SwedishDecimalField(
        label=_("Belopp i kronor"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
        decimal_places=2,
        max_digits=9,
    )
    description = forms.CharField(
        label=_("Vad gällde kostnaden?"),
        max_length=200,
        help_text=_("Till exempel: biljett till ledsagaren."),
    )
    receipt = forms.FileField(
        label=_("Kvitto"),
        help_text=_("Ett foto eller en PDF av kvittot. JPEG, PNG eller PDF, högst 5 MB."),
    )
    costly_activity = forms.ModelChoiceField(
        label=_("Gäller kvittot en dyr aktivitet?"),
        help_text=_("Välj aktiviteten om du har sökt pengar för den."),
        queryset=CostlyActivityApplication.objects.none(),
        required=False,
        empty_label=_("Nej"),
    )

    def __init__(self, *args, activities=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["costly_activity"]
        if activities is None or not activities.exists():
            del self.fields["costly_activity"]  # nothing to choose: do not ask
            return
        field.queryset = activities
        field.label_from_instance = lambda a: f"{a.activity} ({a.date:%Y-%m-%d})"

    def clean_receipt(self) -> UploadedFile:
        upload = self.cleaned_data["receipt"]
        try:
            check_receipt(upload)  # by its content, never by its name or the browser's claim
        except DeliveryError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return upload


class CostlyActivityForm(forms.Form):
    activity = forms.CharField(label=_("Vad vill du göra?"), max_length=200)
    date = forms.DateField(label=_("Vilken dag?"), widget=DateInput(), help_text=DATE_HELP)
    estimated_cost_sek = SwedishDecimalField(
        label=_("Vad kostar det ungefär, i kronor?"),
        min_value=Decimal("1"),
        max_value=Decimal("1000000"),
        decimal_places=2,
        max_digits=9,
    )


class ProviderChangeForm(forms.Form):
    to_provider = forms.ModelChoiceField(
        label=_("Vilken utförare vill du byta till?"),
        queryset=Provider.objects.none(),
        empty_label=_("Välj utförare"),
    )
    reason = forms.CharField(
        label=_("Varför vill du byta? (om du vill)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, providers=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = providers if providers is not None else Provider.objects.none()
        if current is not None:
            qs = qs.exclude(pk=current.pk)
        self.fields["to_provider"].queryset = qs


class FeedbackForm(forms.Form):
    about = forms.ChoiceField(
        label=_("Vem gäller det?"), choices=FeedbackAbout.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label=_("Vad vill du lämna?"), choices=FeedbackKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Vad vill du berätta?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, has_provider: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_provider = has_provider

    def clean_about(self) -> str:
        about = self.cleaned_data["about"]
        if about == FeedbackAbout.PROVIDER and not self.has_provider:
            raise forms.ValidationError(_("Du har ingen utförare just nu."))
        return about


class FeedbackReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Svar till personen"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ChoosePersonForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Vem vill du se uppgifter för?"), coerce=int)

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in persons]
