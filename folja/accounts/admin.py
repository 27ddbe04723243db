from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext as _

from folja.accounts.models import Role, User
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer


class FoljaUserChangeForm(UserChangeForm):
    def clean_personnummer(self) -> str:
        # Stored normalized, as the e-ID login compares it with the identity provider's claim.
        raw = self.cleaned_data.get("personnummer", "").strip()
        if not raw:
            return ""
        try:
            return parse_personnummer(raw).normalized
        except InvalidPersonnummer as exc:
            raise forms.ValidationError(
                _("Ogiltigt personnummer (%(reason)s).") % {"reason": exc}
            ) from None


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = FoljaUserChangeForm
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "district",
        "provider",
        "is_active",
    ]
    list_filter = ["role", "is_active", "district"]
    # The person link is set by the casework flow, not by hand: admin handles staff accounts.
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "Följa",
            {"fields": ("role", "district", "provider", "phone", "hsa_id", "personnummer")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Följa", {"fields": ("role", "district", "provider")}),
    )

    def get_queryset(self, request):
        # A person's own login carries the person's name and stands for a person in care:
        # personal data, which stays out of the admin (it is set up by the casework flow).
        return super().get_queryset(request).exclude(role=Role.PERSON)
