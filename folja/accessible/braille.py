"""Braille (punktskrift) as a .brf file: liblouis' Swedish table translated to North American
ASCII braille (the BRF convention), 6-dot, at most 40 cells per line and 25 lines per page,
pages separated by form feeds."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

from folja.accessible.content import Document

LOU_TRANSLATE = "lou_translate"
# sv-g1: liblouis' Swedish table (LGPL); en-us-brf.dis maps the dots to BRF ASCII characters.
TABLES = "en-us-brf.dis,sv-g1.ctb"
CELLS_PER_LINE = 40
LINES_PER_PAGE = 25
TIMEOUT_SECONDS = 30
# BRF (North American ASCII braille) uses the 64 characters from space to underscore.
BRF_CHARS = frozenset(chr(c) for c in range(0x20, 0x60))
LINE_END = "\r\n"
PAGE_END = "\f"

# Characters the Swedish table does not know are normalised first, so liblouis never falls
# back to a "\x2013"-style escape that is not braille.
_REPLACE = {
    "–": "-",
    "—": "-",
    "‒": "-",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "\u00a0": " ",
    "§": "paragraf",
}
_ALLOWED = re.compile(r"[^0-9A-Za-zÅÄÖåäöÉéÜü .,:;!?'\"()\-/+%=]")


class BrailleError(RuntimeError):
    pass


def normalise(text: str) -> str:
    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    text = unicodedata.normalize("NFC", text)
    return _ALLOWED.sub(" ", text)


def translate_lines(lines: list[str]) -> list[str]:
    """One call to liblouis for all lines (it translates line by line)."""
    if not shutil.which(LOU_TRANSLATE):
        raise BrailleError("lou_translate not found: install liblouis-bin")
    text = "\n".join(normalise(line) or " " for line in lines) + "\n"
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [LOU_TRANSLATE, "--forward", TABLES],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise BrailleError(result.stderr.decode("utf-8", "replace").strip() or "liblouis failed")
    out = result.stdout.decode("ascii", "replace").split("\n")
    out = out[: len(lines)]
    if len(out) != len(lines):
        raise BrailleError("liblouis returned a different number of lines")
    # Anything outside BRF would be a translation fallback; make it a blank cell rather than
    # emit a file a braille embosser cannot read.
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


def document_to_brf(document: Document) -> str:
    source: list[str] = [document.title, ""]
    for s in document.sections:
        source.append(s.heading)
        source.extend(s.lines)
        source.append("")
    translated = translate_lines(source)
    rows: list[str] = []
    for line in translated:
        rows.extend(wrap(line))
    # No empty trailing rows: they would only add a blank page.
    while rows and not rows[-1]:
        rows.pop()
    return paginate(rows)
