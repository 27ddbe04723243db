"""What the statutory text files share: records of `;`-separated fields in ISO 8859-1, CRLF
after each record, no header row (the layout Socialstyrelsen's file reception, Filip, takes;
docs/statutory-reports.md), and a validator's problems as `{field, code, message}`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse

ENCODING = "iso-8859-1"
SEPARATOR = ";"
LINE_END = "\r\n"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: `row` is the record's line number (0: the whole file)."""

    row: int
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class InvalidFile(Exception):
    """The file would not pass the specification: nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def render(records: Iterable[Sequence[str]]) -> bytes:
    """The records as the file's bytes. A character outside ISO 8859-1 is an error, never
    replaced: the validator names it first."""
    return "".join(SEPARATOR.join(r) + LINE_END for r in records).encode(ENCODING)


def split_records(data: bytes) -> tuple[list[list[str]], list[Problem]]:
    """The file's records (fields per line), or the problems that stop it being read."""
    try:
        text = data.decode(ENCODING)
    except UnicodeDecodeError:  # pragma: no cover - every byte decodes in ISO 8859-1
        return [], [Problem(0, "file", "encoding", "filen är inte ISO 8859-1")]
    if not text:
        return [], []
    problems = []
    if not text.endswith(LINE_END):
        problems.append(Problem(0, "file", "line_end", "sista posten slutar inte med CRLF"))
    lines = text.split(LINE_END)
    if lines and lines[-1] == "":
        lines.pop()
    records = []
    for number, line in enumerate(lines, start=1):
        if "\n" in line or "\r" in line:
            problems.append(Problem(number, "file", "line_end", "posten har radslut utan CRLF"))
        records.append(line.split(SEPARATOR))
    return records, problems


def valid_personnummer(text: str, *, on: date) -> str | None:
    """Why `text` is not a personnummer in the file's form ÅÅÅÅMMDD-NNNN (Luhn-checked by
    folja.rules.personnummer), or None."""
    if len(text) != 13 or text[8] != "-":
        return "personnumret ska ha formen ÅÅÅÅMMDD-NNNN"
    try:
        parse(text, today=on)
    except InvalidPersonnummer as exc:
        return f"ogiltigt personnummer: {exc}"
    return None


def file_personnummer(stored: str, *, on: date) -> str:
    """A person's number in the file's form (the twelve-digit form with a hyphen). A stored
    number that is not a valid one (an imported history's placeholder) is kept as it is, so
    the validator names it and the file is not written."""
    try:
        return parse(stored, today=on).normalized
    except InvalidPersonnummer:
        return stored
