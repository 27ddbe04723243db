"""Pictograms (bildstöd) from the Mulberry Symbols, an open symbol set made for people who use
symbols to communicate (CC BY-SA 4.0, by Steve Lee; see ATTRIBUTION.md beside the files). The
SVGs are shipped unchanged with the set's licence, and every document that shows them says so.

Each symbol has Swedish alt text, because a picture must never carry meaning the text does not.
A section has its symbols, and each key phrase of a statement (hours left, when they lapse, how
to book, how to complain, …) has its own on its line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

PICTOGRAM_DIR = Path(__file__).resolve().parent / "static" / "accessible" / "pictograms"
LICENCE_FILE = PICTOGRAM_DIR / "LICENSE.txt"
ATTRIBUTION_FILE = PICTOGRAM_DIR / "ATTRIBUTION.md"
SET_NAME = "Mulberry Symbols"
AUTHOR = "Steve Lee"
LICENCE = "CC BY-SA 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
SET_URL = "https://mulberrysymbols.org"
# What every page and file with the symbols shows, as the set asks for.
ATTRIBUTION = _(
    "Bilderna är Mulberry Symbols av Steve Lee. Licens: CC BY-SA 4.0 "
    "(creativecommons.org/licenses/by-sa/4.0). Mer om bilderna: mulberrysymbols.org."
)
SIZE = 72  # CSS pixels for a section's symbols
LINE_SIZE = 40  # a key phrase's symbol beside its line


@dataclass(frozen=True)
class Pictogram:
    file: str
    alt: Promise


PICTOGRAMS: dict[str, Pictogram] = {
    "clock": Pictogram("clock", _("Klocka: timmar")),
    "calendar": Pictogram("calendar_month", _("Kalender: period")),
    "hours_left": Pictogram("timer_2", _("Timer: tid som är kvar")),
    "lapse": Pictogram("empty", _("Tomt glas: timmar som försvinner")),
    "warning": Pictogram("warning_light", _("Varning")),
    "money": Pictogram("money", _("Pengar")),
    "wallet": Pictogram("wallet", _("Plånbok: pengar som är kvar")),
    "receipt": Pictogram("new_document", _("Papper: kvitto")),
    "person": Pictogram("good_person", _("En person")),
    "escort": Pictogram("care_assistant_1a", _("Två personer tillsammans: ledsagning")),
    "book": Pictogram("telephone_2_to", _("En person ringer: boka")),
    "phone": Pictogram("telephone_handset", _("Telefon")),
    "letter": Pictogram("letter", _("Brev")),
    "write": Pictogram("write_letter_to", _("En hand skriver: skriv ett brev")),
    "appeal": Pictogram("wrong_thought", _("Tycker inte som beslutet: överklaga")),
    "complain": Pictogram("sad_man", _("Missnöjd: klaga")),
    "check": Pictogram("correct", _("Klart, godkänt")),
    "house": Pictogram("office_block", _("Kontor: stadsdelsförvaltningen")),
}
# Kept for callers that only need the words.
ALT_TEXT = {key: p.alt for key, p in PICTOGRAMS.items()}


def static_path(key: str) -> str:
    return f"accessible/pictograms/{PICTOGRAMS[key].file}.svg"


@cache
def svg_markup(key: str) -> str:
    """The drawing itself, for documents that must work offline (downloads)."""
    return (PICTOGRAM_DIR / f"{PICTOGRAMS[key].file}.svg").read_text(encoding="utf-8")


_ROOT = re.compile(r"<svg\b[^>]*>", re.DOTALL)
_SIZE_OR_ID = re.compile(r'\s(?:width|height|id)="[^"]*"')


def inline_svg(key: str, size: int = SIZE) -> str:
    """The SVG with role="img" and a <title>, so screen readers read the alt text, at `size`
    pixels; the root's id goes, so a symbol shown twice gives no duplicate id."""
    svg = svg_markup(key).strip()
    svg = svg[svg.index("<svg") :]  # no XML prolog inside HTML
    alt = escape(str(PICTOGRAMS[key].alt))
    root = _ROOT.match(svg)
    if root is None:
        raise ValueError(f"{key}: not an SVG")
    head = _SIZE_OR_ID.sub("", root.group(0)[:-1])
    rest = svg[root.end() :]
    return (
        f'{head} width="{size}" height="{size}" role="img" aria-label="{alt}">'
        f"<title>{alt}</title>{rest}"
    )


def licence_text() -> str:
    return LICENCE_FILE.read_text(encoding="utf-8")
