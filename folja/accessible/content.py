"""The one content model every accessible format is generated from.

A document is a title and a list of sections; a section is a heading, short sentences (one idea
per line, the "lättläst" habit) and optional pictogram keys. Plain HTML, pictogram HTML, braille
and DAISY are all renderings of this, so they never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    lines: tuple[str, ...]
    pictograms: tuple[str, ...] = ()


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


def sections_from(items: list[tuple[str, list[str], tuple[str, ...]]]) -> tuple[Section, ...]:
    """Number sections s01, s02, … so every format uses the same ids."""
    return tuple(
        Section(key=f"s{i:02d}", heading=h, lines=tuple(lines), pictograms=tuple(p))
        for i, (h, lines, p) in enumerate(items, start=1)
    )


def say_date(d: date) -> str:
    """A date as people say it: "14 februari 2025" (no numeric formats to decode)."""
    return f"{d.day} {MONTHS_SV[d.month - 1]} {d.year}"


def say_minutes(minutes: int) -> str:
    """Minutes as hours and minutes in words: "12 timmar och 30 minuter"."""
    minutes = max(0, int(minutes))
    h, m = divmod(minutes, 60)
    hours = "1 timme" if h == 1 else f"{h} timmar"
    if m == 0:
        return hours
    mins = "1 minut" if m == 1 else f"{m} minuter"
    return mins if h == 0 else f"{hours} och {mins}"


def say_kronor(amount) -> str:
    """Whole kronor when there are no öre: "300 kronor", else "12,50 kronor"."""
    from decimal import Decimal

    value = Decimal(amount).quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        return f"{int(value)} kronor"
    return f"{value}".replace(".", ",") + " kronor"
