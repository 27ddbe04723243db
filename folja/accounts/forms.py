from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from folja.accounts.backends import LOGIN_REFUSED_ATTR


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Engångskod"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={
            "invalid": _("Koden är sex siffror."),
            "required": _("Skriv koden från din app."),
        },
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=200,
        error_messages={"required": _("Skriv ditt lösenord.")},
    )
    token = forms.RegexField(
        label=_("Engångskod"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        required=False,
        error_messages={"invalid": _("Koden är sex siffror.")},
    )


class LoginForm(AuthenticationForm):
    # Django's own Swedish catalogue leaves these untranslated.
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Tänk på att stora och små bokstäver skiljs åt. "
            "Efter fem misslyckade försök spärras inloggningen i 15 minuter."
        ),
        "inactive": _("Kontot är avstängt."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        # A backend that refused a right password (a demo account in production) says why.
        refused = getattr(self.request, LOGIN_REFUSED_ATTR, None)
        if refused:
            return forms.ValidationError(refused, code="demo_account")
        return super().get_invalid_login_error()

    def clean_username(self) -> str:
        # AuthenticationForm sets max_length after the field is built, so its validator never
        # runs: an over-long name reached axes, whose 255-character column then failed (a 500).
        username = self.cleaned_data.get("username") or ""
        if len(username) > 150:
            raise forms.ValidationError(_("Användarnamnet är för långt."), code="max_length")
        return username
