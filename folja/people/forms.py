"""Forms of the person registry. They check input shape; the number's validity, uniqueness and
the mandate's dates are the services' rules, shown next to their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.cases.forms import AccessibleForm, CaseDateField
from folja.people.models import PreferredFormat, ProtectedIdentity, RepresentativeKind

NUMBER_HELP = _(
    "Personnummer eller samordningsnummer, ÅÅÅÅMMDD-NNNN. I ett samordningsnummer är dagen "
    "födelsedagen plus 60."
)


class PersonForm(AccessibleForm):
    personnummer = forms.CharField(label=_("Personnummer"), max_length=13, help_text=NUMBER_HELP)
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    address = forms.CharField(label=_("Adress"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=10, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    language = forms.CharField(label=_("Språk"), max_length=40, required=False)
    preferred_format = forms.ChoiceField(
        label=_("Önskat format"), choices=PreferredFormat.choices, initial=PreferredFormat.STANDARD
    )
    protected_identity = forms.ChoiceField(
        label=_("Skyddad identitet"),
        choices=ProtectedIdentity.choices,
        initial=ProtectedIdentity.NONE,
        help_text=_(
            "Vid skyddad identitet ser bara personal som enhetschefen har gett behörighet "
            "adress och kontaktuppgifter."
        ),
    )

    def __init__(self, *args, show_contact: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_contact:
            # Who may not see a protected person's contact details is not shown them here
            # either, and cannot change them (the service keeps them as they are).
            for name in ("address", "postal_code", "city", "phone", "email"):
                del self.fields[name]


class RepresentativeForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("Typ av företrädare"), choices=RepresentativeKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Namn"), max_length=200)
    personnummer = forms.CharField(
        label=_("Företrädarens personnummer"), max_length=13, help_text=NUMBER_HELP
    )
    address = forms.CharField(label=_("Adress"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=10, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    valid_from = CaseDateField(label=_("Förordnad från"))
    valid_to = CaseDateField(
        label=_("Förordnad till och med"),
        required=False,
        help_text=_("Lämna tomt om förordnandet gäller tills vidare."),
    )


class NamedStaffForm(AccessibleForm):
    staff = forms.ModelMultipleChoiceField(
        label=_("Personal som får se adress och kontaktuppgifter"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset
        self.fields["staff"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.get_role_display()})"
        )


class NavetUploadForm(AccessibleForm):
    file = forms.FileField(
        label=_("Fil från folkbokföringen (Navet)"),
        help_text=_("En aviseringsfil i UTF-8, som den beskrivs i docs/navet.md."),
    )
