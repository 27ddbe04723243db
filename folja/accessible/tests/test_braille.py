from __future__ import annotations

from datetime import date

import pytest

from folja.accessible.braille import (
    BRF_CHARS,
    CELLS_PER_LINE,
    LINES_PER_PAGE,
    document_to_brf,
    paginate,
    translate_lines,
    wrap,
)
from folja.accessible.content import Document, Section
from folja.accessible.statement import statement_document
from folja.testing.factories_portal import make_demo_person


def check_brf(text: str) -> list[list[str]]:
    pages = text.split("\f")
    parsed = []
    for page in pages:
        assert page.endswith("\r\n")
        lines = page[:-2].split("\r\n")
        assert len(lines) <= LINES_PER_PAGE
        for line in lines:
            assert len(line) <= CELLS_PER_LINE, line
            assert set(line) <= BRF_CHARS, line
        parsed.append(lines)
    return parsed


def test_wrap_keeps_every_row_within_forty_cells_and_loses_no_word():
    line = " ".join(["ORD"] * 30 + ["X" * 95])
    rows = wrap(line)
    assert all(len(r) <= CELLS_PER_LINE for r in rows)
    assert "".join(rows).replace(" ", "") == line.replace(" ", "")


def test_paginate_puts_twenty_five_lines_on_a_page_with_form_feeds():
    text = paginate([f"R{i}" for i in range(60)])
    pages = text.split("\f")
    assert len(pages) == 3
    assert pages[0].count("\r\n") == 25 and pages[2].count("\r\n") == 10


def test_liblouis_translates_swedish_letters_to_brf_ascii():
    out, plain = translate_lines(
        ["Här är två öar – och en ”citat”.", 'Här är två öar - och en "citat".']
    )
    assert out
    assert set(out) <= BRF_CHARS
    # Typographic dashes and quotes are normalised first: liblouis would otherwise emit a
    # "\\x2013"-style escape, which is not braille.
    assert out == plain


def test_a_long_document_becomes_several_pages():
    doc = Document(
        key="t",
        title="Test",
        sections=(Section("s01", "Rubrik", tuple(f"Mening nummer {i}." for i in range(40))),),
    )
    pages = check_brf(document_to_brf(doc))
    assert len(pages) >= 2


@pytest.mark.django_db
def test_the_braille_statement_of_a_demo_person_is_valid_brf(frozen_clock):
    pp = make_demo_person()
    doc = statement_document(user=pp.user, person=pp.person, on=date(2024, 2, 15))
    text = document_to_brf(doc)
    pages = check_brf(text)
    flat = "\n".join("\n".join(p) for p in pages)
    # The escort's first name and the hours left are in it (liblouis marks capitals with ",").
    assert ",S>A" in flat or ",SARA" in flat
    assert "#BE" in flat  # 25 (timmar kvar) in braille digits
