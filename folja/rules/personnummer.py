"""Swedish personnummer and samordningsnummer (coordination numbers).

Forms accepted: 12 digits (YYYYMMDDNNNN) or 10 digits (YYMMDDNNNN), each with or without a
separator before the last four digits. In the 10-digit form the separator carries the century:
`-` for persons under 100, `+` from the year they turn 100 (Skatteverket, SKV 704). A
samordningsnummer has 60 added to the day of birth. The last digit is a Luhn check over the
10-digit form, and the ninth digit of that form is odd for men and even for women. The
three-digit birth number runs 001–999 (SCB): 000 is never issued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from folja.rules.errors import InvalidPersonnummer
from folja.rules.luhn import luhn_check_digit

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
COORDINATION_DAY_OFFSET = 60
# A 12-digit number's century must be one a living person or a historical record can have.
EARLIEST_BIRTH_YEAR = 1800

_PATTERN = re.compile(
    r"(?P<century>[0-9]{2})?(?P<yymmdd>[0-9]{6})(?P<sep>[-+])?(?P<serial>[0-9]{4})"
)


@dataclass(frozen=True)
class Personnummer:
    year: int
    month: int
    day: int  # as written: day of birth, or day + 60 for a samordningsnummer
    serial: str  # the three-digit birth number and the check digit

    @property
    def is_coordination_number(self) -> bool:
        return self.day > COORDINATION_DAY_OFFSET

    @property
    def kind(self) -> str:
        return SAMORDNINGSNUMMER if self.is_coordination_number else PERSONNUMMER

    @property
    def birth_date(self) -> date:
        day = self.day - COORDINATION_DAY_OFFSET if self.is_coordination_number else self.day
        return date(self.year, self.month, day)

    @property
    def sex(self) -> str:
        return "male" if int(self.serial[2]) % 2 else "female"

    @property
    def normalized(self) -> str:
        """The 12-digit form with a hyphen: unambiguous whatever the person's age."""
        return f"{self.year:04d}{self.month:02d}{self.day:02d}-{self.serial}"

    @property
    def ten_digits(self) -> str:
        return f"{self.year % 100:02d}{self.month:02d}{self.day:02d}{self.serial}"

    def __str__(self) -> str:
        return self.normalized


def _infer_year(yy: int, month: int, day: int, plus: bool, today: date) -> int:
    """Century of a 10-digit number: the most recent birth date not after `today`, and a
    century earlier with `+` (the person has turned 100)."""
    year = today.year - (today.year - yy) % 100
    if (month, day) > (today.month, today.day) and year == today.year:
        year -= 100
    if plus:
        year -= 100
    return year


def _age(birth_date: date, today: date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def parse(text: str, *, today: date | None = None) -> Personnummer:
    """Parse and validate; raises `InvalidPersonnummer` with a reason a person can act on."""
    if not isinstance(text, str):
        raise InvalidPersonnummer("a personnummer must be given as text")
    today = today or date.today()
    cleaned = text.strip()
    match = _PATTERN.fullmatch(cleaned)
    if match is None:
        raise InvalidPersonnummer("expected 10 or 12 digits, like YYMMDD-NNNN or YYYYMMDD-NNNN")
    yymmdd, serial = match["yymmdd"], match["serial"]
    yy, month, written_day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    birth_day = written_day - COORDINATION_DAY_OFFSET if written_day > 60 else written_day
    if match["century"] is not None:
        year = int(match["century"]) * 100 + yy
    else:
        year = _infer_year(yy, month, birth_day, match["sep"] == "+", today)
    if year < EARLIEST_BIRTH_YEAR:
        raise InvalidPersonnummer(f"year {year} is before {EARLIEST_BIRTH_YEAR}")
    if not 1 <= month <= 12:
        raise InvalidPersonnummer(f"month {month:02d} does not exist")
    if serial[:3] == "000":
        raise InvalidPersonnummer("birth number 000 is never issued (it runs 001-999)")
    try:
        birth_date = date(year, month, birth_day)
    except ValueError:
        raise InvalidPersonnummer(
            f"{year:04d}-{month:02d}-{written_day:02d} is not a valid date of birth"
            + (" (samordningsnummer day minus 60)" if written_day > 60 else "")
        ) from None
    if birth_date > today:
        raise InvalidPersonnummer(f"date of birth {birth_date.isoformat()} is in the future")
    if match["sep"] == "+" and _age(birth_date, today) < 100:
        raise InvalidPersonnummer("the + separator is only for persons aged 100 or more")
    expected = luhn_check_digit(yymmdd + serial[:3])
    if int(serial[3]) != expected:
        raise InvalidPersonnummer(
            f"check digit is {serial[3]}, but the Luhn check gives {expected}"
        )
    return Personnummer(year, month, written_day, serial)


def describe(text: str, *, today: date | None = None) -> dict[str, Any]:
    """The `folja pnr` answer for one input: never raises."""
    try:
        number = parse(text, today=today)
    except InvalidPersonnummer as exc:
        return {"input": text, "valid": False, "error": str(exc)}
    return {
        "input": text,
        "valid": True,
        "kind": number.kind,
        "normalized": number.normalized,
        "birth_date": number.birth_date.isoformat(),
        "sex": number.sex,
    }
