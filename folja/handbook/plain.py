"""The rulings that concern a person in lättläst Swedish, as lines of the personal statement
(folja.accessible.statement), so plain HTML, pictograms, braille and DAISY all say them."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.handbook.models import RulingKind
from folja.handbook.selectors import person_rulings

# One short sentence per kind, and the symbol beside it.
SAY_KIND = {
    RulingKind.COVERED: (gettext_lazy("%(what)s: det ingår i ledsagningen."), "check"),
    RulingKind.COVERED_WITH_CONDITIONS: (
        gettext_lazy("%(what)s: det ingår, men det finns villkor."),
        "check",
    ),
    RulingKind.NOT_COVERED: (gettext_lazy("%(what)s: det ingår inte i ledsagningen."), "warning"),
    RulingKind.CASE_BY_CASE: (
        gettext_lazy("%(what)s: din handläggare bedömer det varje gång."),
        "person",
    ),
}


def _sentences(text: str) -> list[str]:
    """One idea per line: split the reasoning at its full stops."""
    parts = [p.strip() for p in text.replace("\n", " ").split(". ")]
    return [p if p.endswith((".", "!", "?")) else f"{p}." for p in parts if p]


def ruling_lines(*, user, person, on: date) -> list:
    """Lines for each ruling in force that concerns the person; empty when none does."""
    lines: list = []
    for activity, ruling in person_rulings(user=user, person=person, on=on):
        sentence, key = SAY_KIND[ruling.kind]
        lines.append((str(sentence) % {"what": activity.name}, key))
        if ruling.conditions:
            lines.append(_("Villkor: %(c)s") % {"c": " ".join(_sentences(ruling.conditions))})
        lines += _sentences(ruling.reasoning)
        if ruling.illustrative:
            lines.append(_("Det här är en exempeltext."))
    return lines
