"""Reading a population-register file (Navet) in the format of docs/navet.md.

Pure parsing and checking: no database. A file is read whole; every post is checked and each
fault becomes a `RowError(row, field, code, message)`, where `row` is the post's number in the
file (1 for the first `#POST_START`) and 0 for the file itself. The import writes nothing
unless the whole file is free of faults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from folja.delivery.services.imports import RowError
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer

HEADER = "#NAVET_AVISERING"
VERSION = "1"
# Terms of a post, as docs/navet.md names them.
TERMS = (
    "PERSONNUMMER",
    "FORNAMN",
    "EFTERNAMN",
    "UTDELNINGSADRESS",
    "POSTNUMMER",
    "POSTORT",
    "KOMMUNKOD",
    "FOLKBOKFORINGSDATUM",
    "SEKRETESSMARKERING",
    "SKYDDAD_FOLKBOKFORING",
    "AVREGISTRERINGSORSAK",
    "AVREGISTRERINGSDATUM",
)
# Navet's avregistreringsorsak codes. AV (death) and UV (emigration) have effects here; the
# others (an old number replaced, a person found not to exist, a technical deregistration)
# are reported to the caseworker as a move out of the register.
DEATH = "AV"
EMIGRATED = "UV"
DEREGISTRATION_CODES = {DEATH, EMIGRATED, "GN", "GS", "OB", "TA", "AN"}
YES_NO = {"J": True, "N": False}
MUNICIPALITY = re.compile(r"[0-9]{4}")
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class NavetPost:
    row: int
    personnummer: str  # normalized
    terms: dict[str, str] = field(default_factory=dict)
    registered_on: date | None = None
    deregistered_on: date | None = None

    def has(self, term: str) -> bool:
        return term in self.terms

    @property
    def deregistration(self) -> str:
        return self.terms.get("AVREGISTRERINGSORSAK", "")


@dataclass
class NavetFile:
    municipality: str
    created_on: date
    posts: list[NavetPost]


class NavetRejected(Exception):
    """The file had at least one fault; nothing was changed."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _date(text: str) -> date | None:
    """YYYYMMDD (Navet's form) or YYYY-MM-DD."""
    digits = text.replace("-", "")
    if not re.fullmatch(r"[0-9]{8}", digits):
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _header(lines: list[tuple[int, str]], errors: list[RowError]) -> tuple[str, date | None]:
    values: dict[str, str] = {}
    for _number, line in lines:
        key, _sep, value = line.partition(" ")
        values[key] = value.strip()
    if values.get(HEADER) != VERSION:
        errors.append(RowError(0, "file", "header", _("Filen börjar inte med #NAVET_AVISERING 1.")))
    municipality = values.get("#KOMMUN", "")
    if not MUNICIPALITY.fullmatch(municipality):
        errors.append(RowError(0, "KOMMUN", "invalid", _("Kommunkoden ska vara fyra siffror.")))
    created = _date(values.get("#SKAPAD", ""))
    if created is None:
        errors.append(RowError(0, "SKAPAD", "invalid_date", _("Ange filens datum, ÅÅÅÅMMDD.")))
    return municipality, created


def _check_post(post: NavetPost, errors: list[RowError], today: date) -> None:
    err = post.row
    terms = post.terms
    for name in ("SEKRETESSMARKERING", "SKYDDAD_FOLKBOKFORING"):
        if name in terms and terms[name] not in YES_NO:
            errors.append(RowError(err, name, "invalid_code", _("Ska vara J eller N.")))
    if "KOMMUNKOD" in terms and not MUNICIPALITY.fullmatch(terms["KOMMUNKOD"]):
        errors.append(
            RowError(err, "KOMMUNKOD", "invalid", _("Kommunkoden ska vara fyra siffror."))
        )
    for name, attr in (
        ("FOLKBOKFORINGSDATUM", "registered_on"),
        ("AVREGISTRERINGSDATUM", "deregistered_on"),
    ):
        if terms.get(name):
            day = _date(terms[name])
            if day is None:
                errors.append(RowError(err, name, "invalid_date", _("Ogiltigt datum, ÅÅÅÅMMDD.")))
            elif day > today:
                errors.append(RowError(err, name, "future", _("Datumet ligger i framtiden.")))
            else:
                setattr(post, attr, day)
    reason = terms.get("AVREGISTRERINGSORSAK", "")
    if reason and reason not in DEREGISTRATION_CODES:
        errors.append(
            RowError(err, "AVREGISTRERINGSORSAK", "invalid_code", _("Okänd avregistreringsorsak."))
        )
    if reason and not terms.get("AVREGISTRERINGSDATUM"):
        errors.append(
            RowError(
                err, "AVREGISTRERINGSDATUM", "required", _("En avregistrering behöver ett datum.")
            )
        )
    for name in ("FORNAMN", "EFTERNAMN"):
        if name in terms and not terms[name]:
            errors.append(RowError(err, name, "required", _("Namnet får inte vara tomt.")))


def parse_navet(text: str, *, today: date) -> NavetFile:
    """The file's posts, or `NavetRejected` with every fault found."""
    errors: list[RowError] = []
    header: list[tuple[int, str]] = []
    posts: list[NavetPost] = []
    seen: dict[str, int] = {}
    current: dict[str, str] | None = None
    row = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(";"):
            continue  # blank lines and comments
        if line == "#POST_START":
            if current is not None:
                errors.append(RowError(row, "file", "structure", _("#POST_SLUT saknas.")))
            row += 1
            current = {}
            continue
        if line == "#POST_SLUT":
            if current is None:
                errors.append(RowError(row, "file", "structure", _("#POST_SLUT utan #POST_START.")))
                continue
            post = _post(row, current, errors, seen, today)
            if post is not None:
                posts.append(post)
            current = None
            continue
        if current is None:
            header.append((number, line))
            continue
        key, _sep, value = line.partition(" ")
        term = key.lstrip("#")
        if not key.startswith("#") or term not in TERMS:
            errors.append(RowError(row, term or "file", "unknown_term", _("Okänd term.")))
            continue
        if term in current:
            errors.append(RowError(row, term, "repeated", _("Termen finns två gånger i posten.")))
        current[term] = value.strip()
    if current is not None:
        errors.append(RowError(row, "file", "structure", _("#POST_SLUT saknas.")))
    municipality, created = _header(header, errors)
    if errors:
        raise NavetRejected(errors)
    return NavetFile(municipality=municipality, created_on=created, posts=posts)


def _post(row: int, terms: dict, errors: list, seen: dict, today: date) -> NavetPost | None:
    text = terms.get("PERSONNUMMER", "")
    if not text:
        errors.append(RowError(row, "PERSONNUMMER", "required", _("Personnummer saknas.")))
        return None
    try:
        number = parse_personnummer(text, today=today).normalized
    except InvalidPersonnummer:
        errors.append(
            RowError(
                row,
                "PERSONNUMMER",
                "invalid",
                _("Inte ett giltigt personnummer eller samordningsnummer."),
            )
        )
        return None
    if number in seen:
        errors.append(
            RowError(
                row,
                "PERSONNUMMER",
                "duplicate",
                _("Personen finns redan i post %(row)s.") % {"row": seen[number]},
            )
        )
        return None
    seen[number] = row
    post = NavetPost(row=row, personnummer=number, terms=terms)
    _check_post(post, errors, today)
    return post
