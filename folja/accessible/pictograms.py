"""Own pictograms (bildstöd): simple SVG line drawings made for Följa and licensed like the rest
of the project (AGPL-3.0-or-later). No non-commercial symbol sets are used. Each has Swedish alt
text, because a picture must never carry meaning the text does not."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

PICTOGRAM_DIR = Path(__file__).resolve().parent / "static" / "accessible" / "pictograms"
LICENCE = "AGPL-3.0-or-later (egna bilder för Följa)"

ALT_TEXT = {
    "clock": _("Klocka: timmar"),
    "calendar": _("Kalender: period"),
    "money": _("Pengar"),
    "person": _("En person"),
    "escort": _("Två personer går tillsammans: ledsagning"),
    "bus": _("Buss: resa"),
    "ticket": _("Biljett"),
    "phone": _("Telefon"),
    "letter": _("Brev"),
    "warning": _("Varning"),
    "check": _("Klart, godkänt"),
    "house": _("Hus: stadsdelsförvaltningen"),
}


def static_path(key: str) -> str:
    return f"accessible/pictograms/{key}.svg"


@cache
def svg_markup(key: str) -> str:
    """The drawing itself, for documents that must work offline (downloads)."""
    if key not in ALT_TEXT:
        raise KeyError(key)
    return (PICTOGRAM_DIR / f"{key}.svg").read_text(encoding="utf-8")


def inline_svg(key: str) -> str:
    """The SVG with role="img" and a <title>, so screen readers read the alt text."""
    svg = svg_markup(key).strip()
    alt = str(ALT_TEXT[key])
    head, rest = svg.split(">", 1)
    return f'{head} role="img" aria-label="{alt}"><title>{alt}</title>{rest}'
