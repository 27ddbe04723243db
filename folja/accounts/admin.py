from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    """django-otp's device admin, whose key and QR-code pages fetch the device with `.get()`:
    a device id that does not exist (deleted, or typed by hand) was a 500. Here it is a 404."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


# Importing django-otp's admin module (above) registered its own class; this one replaces it.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
