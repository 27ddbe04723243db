from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from folja.core.clock import in_window

MAX_DAYS = 366


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("Från och med"), required=False)
    until = forms.DateField(label=_("Till och med"), required=False)

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            if data.get(name) and not in_window(data[name]):
                # Year 9999 would overflow the window's next-day arithmetic into a 500.
                self.add_error(name, _("Ange ett datum mellan år 1900 och år 2100."))
                return data
        until = data.get("until") or date.today()
        since = data.get("since") or until - timedelta(days=30)
        if since > until:
            self.add_error("since", _("Startdatum måste vara före slutdatum."))
        elif (until - since).days > MAX_DAYS:
            self.add_error("since", _("Välj högst ett år åt gången."))
        data["since"], data["until"] = since, until
        return data


class PersonLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Personnummer, namn, pseudonym eller id"),
        max_length=60,
        error_messages={
            "required": _("Skriv ett personnummer, ett namn, en pseudonym eller ett id.")
        },
    )
