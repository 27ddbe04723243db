"""The one form field for amounts of money and hours, as a Swede types them.

"1 250,50", "1250,50", "1 250" and "1250.50" are all the same amount: spaces of any kind
between the thousands (a typed space, a non-breaking or a narrow one pasted from a document),
a decimal comma or point, and a unit ("kr", "timmar") after the figure are accepted. What is
shown in the field is written the Swedish way too (1 250,50), so a form sent back with an error
reads as it was typed. `DecimalField(localize=True)` does neither: it drops a thousands
separator only when the locale's own (a non-breaking space) is typed, and only with
USE_THOUSAND_SEPARATOR.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# Every space a person or a copied text puts between thousands.
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
# A unit written after the figure; the field's label already says which.
_UNIT = re.compile(r"(kr|kronor|sek|:-|tim|timmar|h)\.?$", re.IGNORECASE)
_MINUS = str.maketrans({"−": "-", "–": "-"})  # a minus sign or en dash copied from a page


def parse_decimal_text(text: str) -> str:
    """The text of an amount in the form Python's Decimal reads ("1250.50"), or the text
    itself when it is not one (the field then says it is not a number)."""
    value = _UNIT.sub("", _SPACES.sub("", text.strip())).translate(_MINUS)
    if "," in value and "." in value:
        return text  # "1.250,50" or "1,250.50": which one is the decimal mark is a guess
    if value.count(",") == 1:
        value = value.replace(",", ".")
    return value


class DecimalInput(forms.TextInput):
    """A text input (a number input refuses "1 250,50" in the browser) that opens the
    numeric keyboard and shows its value the way the field reads it."""

    def __init__(self, attrs=None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            text = str(value)
            places = len(text.split(".")[1]) if "." in text else 0
            return number_format(value, decimal_pos=places, force_grouping=True)
        return super().format_value(value)


class SwedishDecimalField(forms.DecimalField):
    """A DecimalField for money and hours that reads "1 250,50"."""

    widget = DecimalInput
    default_error_messages = {
        "invalid": _("Skriv ett tal, till exempel 1 250,50."),
    }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.pop("localize", None)  # the field reads both ways itself
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_decimal_text(value)
        return super().to_python(value)
