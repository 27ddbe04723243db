"""One entry point from a `Document` to the bytes of each format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from folja.accessible.braille import DEFAULT_GRADE, document_to_brf
from folja.accessible.content import Document
from folja.accessible.daisy import daisy_zip
from folja.accessible.render_html import pictogram_html, plain_html


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    content_type: str
    # Each renderer takes the document and the reader's braille grade (used only by braille).
    render: Callable[[Document, str], bytes]


def _html(doc: Document, grade: str) -> bytes:
    return plain_html(doc).encode("utf-8")


def _pictogram(doc: Document, grade: str) -> bytes:
    return pictogram_html(doc).encode("utf-8")


def _brf(doc: Document, grade: str) -> bytes:
    return document_to_brf(doc, grade).encode("ascii")


def _daisy(doc: Document, grade: str) -> bytes:
    return daisy_zip(doc)


FORMATS: dict[str, Format] = {
    "html": Format("html", _("Lättläst text"), "html", "text/html; charset=utf-8", _html),
    "pictogram": Format(
        "pictogram", _("Text med bilder"), "bildstod.html", "text/html; charset=utf-8", _pictogram
    ),
    "brf": Format("brf", _("Punktskrift (.brf)"), "brf", "application/x-brf", _brf),
    "daisy": Format("daisy", _("Talbok (Daisy 2.02)"), "daisy.zip", "application/zip", _daisy),
}


def render(
    document_factory: Callable[[], Document], fmt: str, *, braille_grade: str = DEFAULT_GRADE
) -> bytes:
    """Build and render in Swedish: the braille table and the voice are Swedish, so the words
    must be too, whatever language the page is shown in."""
    with translation.override("sv"):
        return FORMATS[fmt].render(document_factory(), braille_grade)


def filename(document: Document | str, fmt: str, *, braille_grade: str = DEFAULT_GRADE) -> str:
    """`guide.brf` in fullskrift, `guide.kortskrift.brf` in kortskrift: two files of one
    document must not overwrite each other."""
    key = document if isinstance(document, str) else document.key
    if fmt == "brf" and braille_grade != DEFAULT_GRADE:
        key = f"{key}.kortskrift"
    return f"{key}.{FORMATS[fmt].extension}"
