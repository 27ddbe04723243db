"""The e-application form on Mina sidor: plain Swedish, every error next to its field. Files
are checked by their content the way receipts are (folja.delivery.services.receipts); a file
that passes is kept even when another field needs correcting, so nothing is lost."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from folja.cases.models import ApplicationKind
from folja.core.fields import SwedishDecimalField

# At most this many documents with one application (more is better sent by post).
MAX_ATTACHMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EApplicationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vad vill du söka?"),
        choices=[
            (ApplicationKind.OPEN, _("Ledsagning när jag behöver det (öppen ansökan)")),
            (ApplicationKind.SPECIFIC, _("Ledsagning till vissa aktiviteter")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vad du vill söka.")},
    )
    activities = forms.CharField(
        label=_("Vilka aktiviteter? (om du söker för vissa aktiviteter)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel: simning på onsdagar, konserter, besök hos släkt."),
    )
    catalogue_activities = forms.TypedMultipleChoiceField(
        label=_("Välj aktiviteter (om du söker för vissa aktiviteter)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Stadens lista över aktiviteter. Du kan också skriva egna nedan."),
    )
    needs = forms.CharField(
        label=_("Berätta vad du behöver hjälp med"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Skriv med egna ord. Vad vill du göra? Vad är svårt att göra utan stöd?"),
        error_messages={"required": _("Berätta vad du behöver hjälp med.")},
    )
    requested_act = forms.ChoiceField(
        label=_("Vilken lag söker du enligt?"),
        choices=[
            ("LSS", _("LSS – om du har rätt till stöd enligt LSS (ledsagarservice)")),
            ("SoL", _("Socialtjänstlagen – för andra som behöver stöd (ledsagning)")),
        ],
        widget=forms.RadioSelect,
        help_text=_("Är du osäker? Välj det som passar bäst. Din handläggare hjälper dig."),
        error_messages={
            "required": _("Välj en av lagarna. Din handläggare hjälper dig om det blir fel.")
        },
    )
    requested_hours_per_month = SwedishDecimalField(
        label=_("Hur många timmar i månaden behöver du? (om du vet)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("744"),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "invalid": _("Skriv ett antal timmar med siffror, till exempel 10."),
            "min_value": _("Skriv minst en halv timme, eller lämna rutan tom."),
            "max_value": _("Det är fler timmar än det finns i en månad."),
        },
    )
    attachments = MultipleFileField(
        label=_("Bifoga dokument (om du vill)"),
        required=False,
        help_text=_(
            "Till exempel ett läkarintyg. Ett foto eller en PDF: JPEG, PNG eller PDF, högst "
            "5 MB per fil och högst 5 filer."
        ),
    )

    def __init__(self, *args, kept: int = 0, **kwargs) -> None:
        from folja.handbook.forms import activity_choices

        super().__init__(*args, **kwargs)
        self.kept = kept  # documents already kept from an earlier try
        self.fields["catalogue_activities"].choices = activity_choices()

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data["attachments"]
        if len(files) + self.kept > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Du kan bifoga högst %(n)d filer.") % {"n": MAX_ATTACHMENTS}, code="too_many"
            )
        return files

    def clean(self):
        data = super().clean()
        named = data.get("activities", "").strip() or data.get("catalogue_activities")
        if data.get("kind") == ApplicationKind.SPECIFIC and not named:
            self.add_error("activities", _("Skriv vilka aktiviteter du söker ledsagning till."))
        return data
