"""Braille (punktskrift) as a .brf file: liblouis' Swedish tables translated to North American
ASCII braille (the BRF convention), 6-dot, at most 40 cells per line and 25 lines per page,
pages separated by form feeds.

Two grades, the person's choice: fullskrift (uncontracted, sv-g0.utb) and kortskrift nivå 1
(sv-g1.ctb). liblouis translates the text as written, names included ("Zoë", "Jørgensen",
"Muñoz", "@"); only a character the Swedish table has no cell for (it marks those with dots
3678, which 6-dot BRF cannot hold) is first spelt in Latin letters ("Łukasz" → "Lukasz"), so no
letter of a name is ever dropped."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

from anyascii import anyascii

from folja.accessible.content import Document
from folja.people.models import BrailleGrade

LOU_TRANSLATE = "lou_translate"
# liblouis' Swedish tables (LGPL, by the Swedish Braille Authority and Insyn Scandinavia);
# en-us-brf.dis maps the dots to BRF ASCII characters.
DISPLAY = "en-us-brf.dis"
TABLES = {
    BrailleGrade.UNCONTRACTED: "sv-g0.utb",
    BrailleGrade.CONTRACTED: "sv-g1.ctb",
}
DEFAULT_GRADE = BrailleGrade.UNCONTRACTED
CELLS_PER_LINE = 40
LINES_PER_PAGE = 25
TIMEOUT_SECONDS = 30
# BRF (North American ASCII braille) uses the 64 characters from space to underscore.
BRF_CHARS = frozenset(chr(c) for c in range(0x20, 0x60))
LINE_END = "\r\n"
PAGE_END = "\f"

# Characters liblouis cannot translate, per table: found once by asking liblouis itself.
_untranslatable_cache: dict[tuple[str, str], bool] = {}


class BrailleError(RuntimeError):
    pass


def table_list(grade: str = DEFAULT_GRADE) -> str:
    try:
        return f"{DISPLAY},{TABLES[BrailleGrade(grade)]}"
    except ValueError as exc:
        raise BrailleError(f"unknown braille grade {grade!r}") from exc


def _lou(text: str, tables: str) -> list[str]:
    if not shutil.which(LOU_TRANSLATE):
        raise BrailleError("lou_translate not found: install liblouis-bin")
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [LOU_TRANSLATE, "--forward", tables],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise BrailleError(result.stderr.decode("utf-8", "replace").strip() or "liblouis failed")
    return result.stdout.decode("utf-8", "replace").split("\n")


def _is_brf(cells: str) -> bool:
    return all(c in BRF_CHARS for c in cells)


def untranslatable(chars: set[str], tables: str) -> set[str]:
    """The characters of `chars` that liblouis has no 6-dot cell for under `tables`: liblouis
    is asked once per character (one call for all new ones), so the answer is the table's."""
    unknown = sorted(c for c in chars if (c, tables) not in _untranslatable_cache)
    if unknown:
        out = _lou("\n".join(unknown) + "\n", tables)
        if len(out) < len(unknown):
            raise BrailleError("liblouis returned a different number of lines")
        for char, cells in zip(unknown, out, strict=False):
            _untranslatable_cache[(char, tables)] = not cells.strip() or not _is_brf(cells)
    return {c for c in chars if _untranslatable_cache[(c, tables)]}


def prepare(text: str, tables: str) -> str:
    """The text liblouis is given: composed (NFC), white space as plain spaces, and only the
    characters liblouis cannot translate spelt in Latin letters (anyascii)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        " " if c.isspace() or unicodedata.category(c) in ("Cc", "Cf") else c for c in text
    )
    foreign = {c for c in text if c != " " and not (c.isascii() and c.isalnum())}
    missing = untranslatable(foreign, tables) if foreign else set()
    if not missing:
        return text
    return "".join(anyascii(c) if c in missing else c for c in text)


def translate_lines(lines: list[str], grade: str = DEFAULT_GRADE) -> list[str]:
    """One call to liblouis for all lines (it translates line by line)."""
    tables = table_list(grade)
    text = "\n".join(prepare(line, tables) or " " for line in lines) + "\n"
    out = _lou(text, tables)[: len(lines)]
    if len(out) != len(lines):
        raise BrailleError("liblouis returned a different number of lines")
    # Every character was checked above, so nothing outside BRF should remain; should liblouis
    # still emit one, a blank cell is better than a file a braille embosser cannot read.
    return ["".join(c if c in BRF_CHARS else " " for c in line).rstrip() for line in out]


def wrap(line: str, width: int = CELLS_PER_LINE) -> list[str]:
    """Word wrap on spaces; a word longer than a line is split with no hyphen."""
    if not line:
        return [""]
    rows: list[str] = []
    current = ""
    for word in line.split(" "):
        while len(word) > width:
            if current:
                rows.append(current)
                current = ""
            rows.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            rows.append(current)
            current = word
    rows.append(current)
    return rows


def paginate(rows: list[str], per_page: int = LINES_PER_PAGE) -> str:
    pages = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    return PAGE_END.join(LINE_END.join(page) + LINE_END for page in pages)


def document_to_brf(document: Document, grade: str = DEFAULT_GRADE) -> str:
    source: list[str] = [document.title, ""]
    for s in document.sections:
        source.append(s.heading)
        source.extend(s.lines)
        source.append("")
    translated = translate_lines(source, grade)
    rows: list[str] = []
    for line in translated:
        rows.extend(wrap(line))
    # No empty trailing rows: they would only add a blank page.
    while rows and not rows[-1]:
        rows.pop()
    return paginate(rows)
