"""Swedish text as it is spoken, for the talking book's speech synthesis.

espeak-ng reads what is written: "klockan 10.00" becomes "tio punkt noll noll", "1 250,50 kr"
two numbers and a "kr", "t.ex." letters. So before synthesis the text is said in words, the way
a person reads it aloud: times ("klockan tio"), dates ("första december tvåtusentjugosex"),
amounts ("ettusen tvåhundrafemtio kronor och femtio öre"), percentages, legal references and
the common abbreviations. Numbers become words with num2words (its Swedish, with three spelling
slips of it put right). Only the synthesis input changes: the book's text stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from num2words import num2words

MONTHS = (
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
MONTH_RE = "|".join(MONTHS)

# Nouns of common gender (en-ord) that a count of one is said with "en", not "ett".
_EN_WORDS = frozenset(
    [
        "timme",
        "minut",
        "sekund",
        "krona",
        "vecka",
        "månad",
        "dag",
        "period",
        "gång",
        "person",
        "ledsagare",
        "utförare",
        "handläggare",
        "aktivitet",
        "ansökan",
        "procent",
        "paragraf",
        "punkt",
    ]
)

# Written abbreviation -> spoken words. Matched as whole words, case-insensitively; the first
# letter keeps its case ("T.ex." -> "Till exempel").
ABBREVIATIONS: dict[str, str] = {
    r"t\.\s?ex\.": "till exempel",
    r"bl\.\s?a\.": "bland annat",
    r"d\.\s?v\.\s?s\.": "det vill säga",
    r"dvs\.?": "det vill säga",
    r"fr\.\s?o\.\s?m\.": "från och med",
    r"t\.\s?o\.\s?m\.": "till och med",
    r"o\.\s?s\.\s?v\.": "och så vidare",
    r"osv\.?": "och så vidare",
    r"m\.\s?m\.": "med mera",
    r"m\.\s?fl\.": "med flera",
    r"s\.\s?k\.": "så kallad",
    r"resp\.": "respektive",
    r"ang\.": "angående",
    r"enl\.": "enligt",
    r"inkl\.": "inklusive",
    r"exkl\.": "exklusive",
    r"tel\.": "telefon",
    r"c:a": "cirka",
    r"ca\.?": "cirka",
    r"nr\.?": "nummer",
    r"kl\.?": "klockan",
    r"kap\.": "kapitel",
    r"obs!?": "observera",
    r"kr\.?": "kronor",
}
# Unit abbreviations that are only read as units after a number: "min" alone is a pronoun.
UNITS: dict[str, tuple[str, str]] = {
    "tim": ("timme", "timmar"),
    "h": ("timme", "timmar"),
    "min": ("minut", "minuter"),
    "sek": ("sekund", "sekunder"),
    "st": ("styck", "stycken"),
    "km": ("kilometer", "kilometer"),
    "kr": ("krona", "kronor"),
}

_SPACE = "[ \u00a0\u202f]"  # thousands are grouped by a space, often a no-break one
_INT = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+"
_NUMBER = rf"(?:{_INT})(?:,\d+)?"
_DASH = "[-–—]"
_NOT_DIGIT_BEFORE = r"(?<![\d,.:/])"
_NOT_DIGIT_AFTER = r"(?![\d]|[,.:]\d)"


def _fix(words: str) -> str:
    # num2words writes "etttusen", "tjugode" and "förtio"; Swedish spelling is "ettusen" (never
    # three equal letters in a row), "tjugonde" and "fyrtio".
    return words.replace("ttt", "tt").replace("tjugode", "tjugonde").replace("förtio", "fyrtio")


def cardinal(n: int) -> str:
    """21 -> "tjugoett", 1250 -> "ettusen tvåhundrafemtio"."""
    if n < 0:
        return "minus " + cardinal(-n)
    return _fix(num2words(n, lang="sv"))


def ordinal(n: int) -> str:
    """1 -> "första", 20 -> "tjugonde"."""
    return _fix(num2words(n, lang="sv", to="ordinal"))


def year(n: int) -> str:
    """As years are said: 1998 -> "nittonhundranittioåtta", 2026 -> "tvåtusentjugosex"."""
    if 1100 <= n < 2000:
        hundreds, rest = divmod(n, 100)
        return cardinal(hundreds) + "hundra" + (cardinal(rest) if rest else "")
    return cardinal(n)


def _digits(text: str) -> str:
    return " ".join(cardinal(int(d)) for d in text)


def _int(text: str) -> int:
    return int(re.sub(_SPACE, "", text))


def number(text: str, *, next_word: str = "") -> str:
    """A written number ("1 250", "12,5", "0,05") in words; one is "en" before a common-gender
    noun ("en timme", "en krona")."""
    whole, _, fraction = text.partition(",")
    n = _int(whole)
    words = cardinal(n)
    if n == 1 and next_word.lower() in _EN_WORDS:
        words = "en"
    if fraction:
        if fraction.startswith("0") or len(fraction) > 2:
            words += " komma " + _digits(fraction)
        else:
            words += " komma " + cardinal(int(fraction))
    return words


def _following_word(text: str, end: int) -> str:
    m = re.match(r"\s*([A-Za-zÅÄÖåäöÉé]+)", text[end:])
    return m.group(1) if m else ""


def amount(text: str) -> str:
    """An amount in kronor: "1 250,50" -> "ettusen tvåhundrafemtio kronor och femtio öre"."""
    value = Decimal(re.sub(_SPACE, "", text).replace(",", ".")).quantize(Decimal("0.01"))
    kronor, ore = divmod(int(value * 100), 100)
    words = "en krona" if kronor == 1 else f"{cardinal(kronor)} kronor"
    if ore:
        words += f" och {'ett' if ore == 1 else cardinal(ore)} öre"
    return words


def clock_time(hours: int, minutes: int) -> str:
    """As a time is read aloud: 10.00 -> "tio", 10.30 -> "tio och trettio", 9.05 -> "nio och
    noll fem"."""
    spoken = cardinal(hours)
    if minutes == 0:
        return spoken
    if minutes < 10:
        return f"{spoken} och noll {cardinal(minutes)}"
    return f"{spoken} och {cardinal(minutes)}"


def _date(day: int, month: int, year_: int | None = None) -> str:
    spoken = f"{ordinal(day)} {MONTHS[month - 1]}"
    return f"{spoken} {year(year_)}" if year_ else spoken


def _keep_case(original: str, spoken: str) -> str:
    return spoken[0].upper() + spoken[1:] if original[:1].isupper() else spoken


def _sentence_end(text: str, end: int) -> str:
    """A full stop that was the abbreviation's own and also ended the sentence is kept."""
    rest = text[end:]
    if text[end - 1 : end] == "." and (not rest.strip() or re.match(r"\s+[A-ZÅÄÖ]", rest)):
        return "."
    return ""


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rules() -> list[Rule]:
    # 24.00 is midnight at the end of a day; other hours go to 23.
    time = r"(24(?=[.:]00)|2[0-3]|[01]?\d)[.:]([0-5]\d)"
    rules: list[tuple[str, Callable[[re.Match[str]], str]]] = [
        # ISO dates: 2026-12-01
        (
            rf"{_NOT_DIGIT_BEFORE}(\d{{4}})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]){_NOT_DIGIT_AFTER}",
            lambda m: _date(int(m[3]), int(m[2]), int(m[1])),
        ),
        # Times, and a span of times: 10.00–12.00, kl. 9:30
        (
            rf"{_NOT_DIGIT_BEFORE}{time}\s?{_DASH}\s?{time}{_NOT_DIGIT_AFTER}",
            lambda m: f"{clock_time(int(m[1]), int(m[2]))} till {clock_time(int(m[3]), int(m[4]))}",
        ),
        (
            rf"{_NOT_DIGIT_BEFORE}{time}{_NOT_DIGIT_AFTER}",
            lambda m: clock_time(int(m[1]), int(m[2])),
        ),
        # Dates in words: 1 december, 14 februari 2025, den 1/12
        (
            rf"{_NOT_DIGIT_BEFORE}([1-9]|[12]\d|3[01])\s({MONTH_RE})(?:\s(\d{{4}}))?\b",
            lambda m: f"{ordinal(int(m[1]))} {m[2]}" + (f" {year(int(m[3]))}" if m[3] else ""),
        ),
        (
            r"\b([Dd]en)\s([1-9]|[12]\d|3[01])/([1-9]|1[0-2])\b(?!/)",
            lambda m: f"{m[1]} {_date(int(m[2]), int(m[3]))}",
        ),
        # Ordinals: 1:a, 2:a, 3:e
        (r"\b(\d+):[ae]\b", lambda m: ordinal(int(m[1]))),
        # Legal references: 4 kap. 1 §, LSS 9 § 3, § 5, 12 §§
        (
            rf"\b(\d+)\s?§\s(\d+)(?!\s?kap){_NOT_DIGIT_AFTER}",
            lambda m: f"paragraf {cardinal(int(m[1]))} punkt {cardinal(int(m[2]))}",
        ),
        (r"\b(\d+)\s?§§", lambda m: f"paragraferna {cardinal(int(m[1]))}"),
        (r"\b(\d+)\s?§", lambda m: f"paragraf {cardinal(int(m[1]))}"),
        (r"§\s?(\d+)\b", lambda m: f"paragraf {cardinal(int(m[1]))}"),
        (r"§§", lambda m: "paragraferna"),
        (r"§", lambda m: "paragraf"),
        (r"\b(\d+)\s?kap\.", lambda m: f"kapitel {cardinal(int(m[1]))}"),
        # Amounts: 1 250,50 kr, 300 kronor, 12,50 SEK, 100:-
        (
            # The full stop of "kr." is kept where it also ends the sentence.
            rf"{_NOT_DIGIT_BEFORE}({_NUMBER})\s?(?:kr\b(?:\.(?=\s+[a-zåäö]))?|kronor\b|SEK\b|:-)",
            lambda m: amount(m[1]),
        ),
        # Percent: 25 %, 12,5 procent
        (
            rf"{_NOT_DIGIT_BEFORE}({_NUMBER})\s?(?:%|procent\b)",
            lambda m: f"{number(m[1], next_word='procent')} procent",
        ),
        # Phone numbers are read digit by digit: 08-508 000 00
        (
            r"(?<![\d])(0\d{1,3})-(\d{2,3}(?:[ \u00a0]?\d{2,3}){1,3})(?!\d)",
            lambda m: ", ".join(_digits(g) for g in re.split(r"[ \u00a0]", f"{m[1]} {m[2]}")),
        ),
        # A span of numbers: 2–3 timmar
        (
            rf"{_NOT_DIGIT_BEFORE}({_NUMBER})\s?{_DASH}\s?({_NUMBER}){_NOT_DIGIT_AFTER}",
            lambda m: f"{number(m[1])} till {_number_before(m, m[2])}",
        ),
        # Units after a number: 30 min, 2 tim, 3 st
        (
            rf"{_NOT_DIGIT_BEFORE}({_NUMBER})\s?({'|'.join(UNITS)})\b\.?",
            lambda m: _unit(m),
        ),
        # A negative number: a minus sign after a space or at the start
        (
            rf"(?:(?<=\s)|^)[-−]({_NUMBER}){_NOT_DIGIT_AFTER}",
            lambda m: "minus " + _number_before(m, m[1]),
        ),
        # Any other number
        (
            rf"{_NOT_DIGIT_BEFORE}(?:{_NUMBER}){_NOT_DIGIT_AFTER}",
            lambda m: _number_before(m, m[0]),
        ),
    ]
    compiled: list[Rule] = [(re.compile(p), f) for p, f in rules]
    for pattern, spoken in ABBREVIATIONS.items():
        compiled.append(
            (
                re.compile(rf"(?<![\wåäöÅÄÖ]){pattern}(?![\wåäöÅÄÖ])", re.IGNORECASE),
                lambda m, s=spoken: _keep_case(m[0], s) + _sentence_end(m.string, m.end()),
            )
        )
    return compiled


def _number_before(m: re.Match[str], text: str) -> str:
    """The number `text` of match `m`, said with the word that follows the match in mind."""
    return number(text, next_word=_following_word(m.string, m.end()))


def _unit(m: re.Match[str]) -> str:
    value, unit = m[1], m[2]
    one, many = UNITS[unit]
    if unit == "kr":
        return amount(value)
    count = number(value, next_word=one)
    noun = one if count in ("en", "ett") else many
    return f"{count} {noun}" + _sentence_end(m.string, m.end())


_RULES = _rules()


def speakable(text: str) -> str:
    """`text` with times, dates, amounts, numbers and abbreviations in words, for espeak-ng."""
    for pattern, spoken in _RULES:
        text = pattern.sub(spoken, text)
    return re.sub(r"[ \u00a0\u202f]+", " ", text).strip()
