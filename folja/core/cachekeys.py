"""Keys for cached figures that carry text.

A cached value that holds a label ("Kvinnor", a month name, "Totalt") was translated when it
was computed; served to a page in the other language it would show Swedish on an English page
or the reverse. Every such key ends with the active language, so each language has its own."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def text_cache_key(*parts: object) -> str:
    """`parts` joined with ':', then the active language (the default if none is active)."""
    return ":".join([*(str(p) for p in parts), get_language() or settings.LANGUAGE_CODE])
