"""The one content model every accessible format is generated from.

A document is a title and a list of sections; a section is a heading, short sentences (one idea
per line, the "lättläst" habit) and optional pictogram keys, for the section and for each key
phrase (a line may have its own symbol). Plain HTML, pictogram HTML, braille
and DAISY are all renderings of this, so they never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from folja.core.templatetags.figures import format_number
from folja.rules.stats import round_half_up


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    lines: tuple[str, ...]
    pictograms: tuple[str, ...] = ()
    # One key per line ("" for a line without a symbol of its own).
    line_pictograms: tuple[str, ...] = ()

    def lines_with_pictograms(self) -> list[tuple[str, str]]:
        keys = self.line_pictograms
        return [(line, keys[i] if i < len(keys) else "") for i, line in enumerate(self.lines)]


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    sections: tuple[Section, ...]
    language: str = "sv"
    made_on: date | None = None
    meta: dict = field(default_factory=dict)

    def all_text(self) -> str:
        parts = [self.title]
        for s in self.sections:
            parts.append(s.heading)
            parts.extend(s.lines)
        return "\n".join(parts)


Line = str | tuple[str, str]  # a line, or a key phrase and its pictogram key


def sections_from(items: list[tuple[str, list[Line], tuple[str, ...]]]) -> tuple[Section, ...]:
    """Number sections s01, s02, … so every format uses the same ids."""

    def split(lines: list[Line]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        pairs = [(line, "") if isinstance(line, str) else line for line in lines]
        return tuple(t for t, _k in pairs), tuple(k for _t, k in pairs)

    sections = []
    for i, (heading, lines, pictograms) in enumerate(items, start=1):
        texts, keys = split(lines)
        sections.append(
            Section(
                key=f"s{i:02d}",
                heading=heading,
                lines=texts,
                pictograms=tuple(pictograms),
                line_pictograms=keys if any(keys) else (),
            )
        )
    return tuple(sections)


def say_date(d: date) -> str:
    """A date as people say it: "14 februari 2025" (no numeric formats to decode)."""
    return date_format(d, "j F Y")


def say_minutes(minutes: int) -> str:
    """Minutes as hours and minutes in words: "12 timmar och 30 minuter"."""
    minutes = max(0, int(minutes))
    h, m = divmod(minutes, 60)
    hours = ngettext("%(n)s timme", "%(n)s timmar", h) % {"n": h}
    if m == 0:
        return hours
    mins = ngettext("%(n)s minut", "%(n)s minuter", m) % {"n": m}
    return mins if h == 0 else _("%(hours)s och %(minutes)s") % {"hours": hours, "minutes": mins}


def say_kronor(amount) -> str:
    """Whole kronor when there are no öre: "300 kronor", else "12,50 kronor"; written like
    every figure (rounded half-up to öre, grouped: "2 500 kronor")."""
    value = round_half_up(Decimal(amount), 2)
    places = 0 if value == value.to_integral_value() else 2
    return _("%(amount)s kronor") % {"amount": format_number(value, places)}


def say_allowance_left(money, *, until: date | None = None) -> list[str]:
    """What is left of the period's expense allowance, in true and plain sentences: never a
    bare negative number. `money` is a `folja.ledger.expenses.PeriodMoney`; with `until`, the
    first sentence says until when the money can be used."""
    lines: list[str] = []
    if money.left > 0:
        left = say_kronor(money.left)
        if until is None:
            lines.append(_("Du har %(k)s kvar.") % {"k": left})
        else:
            lines.append(
                _("Du har %(left)s kvar till ledsagarens kostnader fram till %(end)s.")
                % {"left": left, "end": say_date(until)}
            )
    else:
        lines.append(_("Du har använt hela omkostnadsersättningen för perioden."))
        if money.approved_beyond > 0:
            lines.append(
                _("Din handläggare har godkänt %(k)s mer än omkostnadsersättningen.")
                % {"k": say_kronor(money.approved_beyond)}
            )
    if money.activity > 0:
        lines.append(
            _("%(k)s betalas med pengarna för en dyr aktivitet.")
            % {"k": say_kronor(money.activity)}
        )
    if money.waiting > 0:
        lines.append(_("%(k)s väntar på beslut.") % {"k": say_kronor(money.waiting)})
    return lines
