"""Forms every area shares."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmForm(forms.Form):
    """A step that cannot be undone (closing a payment month, revoking an API key) is taken
    only with this box ticked. It is checked on the server, so it works without JavaScript and
    a stray or repeated POST changes nothing."""

    confirm = forms.BooleanField(
        error_messages={"required": _("Kryssa i rutan för att bekräfta.")},
    )

    def __init__(self, *args, label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["confirm"]
        field.label = label
        field.widget.attrs["required"] = True

    def full_clean(self) -> None:
        super().full_clean()
        if "confirm" in self.errors:
            attrs = self.fields["confirm"].widget.attrs
            attrs["aria-describedby"] = "confirm-error"
            attrs["aria-invalid"] = "true"
