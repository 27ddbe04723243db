"""The question bank as first seeded (migration 0002 copies it) and the answer options of each
kind of question. Plain language: short sentences, one thing per question."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (key, topic, kind, Swedish text)
BANK: tuple[tuple[str, str, str, str], ...] = (
    (
        "flex-three-months",
        "awareness",
        "yes_no",
        "Vet du att timmarna kan användas fritt under tre månader?",
    ),
    (
        "expense-allowance",
        "awareness",
        "yes_no",
        "Vet du att det finns pengar till ledsagarens kostnader, omkostnadsersättning?",
    ),
    (
        "costly-activity",
        "awareness",
        "yes_no",
        "Vet du att man kan söka extra pengar för en aktivitet som kostar mycket?",
    ),
    ("how-to-complain", "awareness", "yes_no", "Vet du hur man lämnar klagomål eller synpunkter?"),
    ("satisfied-escort", "satisfaction", "scale", "Hur nöjd är du med ledsagningen?"),
    (
        "satisfied-information",
        "satisfaction",
        "scale",
        "Hur nöjd är du med informationen du får?",
    ),
    ("unused-illness", "unused", "yes_no", "Blev timmar kvar för att någon var sjuk?"),
    ("unused-planning", "unused", "yes_no", "Blev timmar kvar för att planeringen inte fungerade?"),
    (
        "unused-mismatch",
        "unused",
        "yes_no",
        "Blev timmar kvar för att ledsagaren inte passade?",
    ),
)

OPTIONS: dict[str, tuple[tuple[str, object], ...]] = {
    "yes_no": (("yes", _("Ja")), ("no", _("Nej")), ("unsure", _("Vet inte"))),
    "scale": (
        ("5", _("5 – mycket nöjd")),
        ("4", _("4")),
        ("3", _("3")),
        ("2", _("2")),
        ("1", _("1 – inte alls nöjd")),
    ),
}
