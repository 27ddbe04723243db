from __future__ import annotations

import subprocess
from datetime import date

import pytest

from folja.accessible.braille import (
    BRF_CHARS,
    CELLS_PER_LINE,
    LINES_PER_PAGE,
    BrailleError,
    document_to_brf,
    paginate,
    translate_lines,
    untranslatable,
    wrap,
)
from folja.accessible.content import Document, Section
from folja.accessible.statement import statement_document
from folja.people.models import BrailleGrade
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


def lou_translate(text: str, table: str) -> str:
    """liblouis' own answer for one line, from its command-line tool and real tables."""
    result = subprocess.run(
        ["lou_translate", "--forward", f"en-us-brf.dis,{table}"],
        input=(text + "\n").encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8").rstrip("\n").rstrip()


GRADES = [(BrailleGrade.UNCONTRACTED, "sv-g0.utb"), (BrailleGrade.CONTRACTED, "sv-g1.ctb")]


@pytest.mark.parametrize(("grade", "table"), GRADES)
@pytest.mark.parametrize(
    "text",
    [
        "Zoë Jørgensen",
        "François Muñoz",
        "Skriv till anna.berg@example.se",
        "Här är två öar – och en ”citat” … § 4",
        "Du har inte använt några timmar och det är bra för att vi kan",
    ],
)
def test_every_letter_liblouis_knows_is_translated_as_liblouis_translates_it(grade, table, text):
    [cells] = translate_lines([text], grade)
    assert cells == lou_translate(text, table)
    assert set(cells) <= BRF_CHARS


@pytest.mark.parametrize(("grade", "table"), GRADES)
def test_zoe_jorgensen_keeps_every_letter_of_her_name(grade, table):
    [cells] = translate_lines(["Zoë Jørgensen"], grade)
    # Följa's old filter made this ",ZO  ,J RGENSEN": ë and ø were blanks.
    assert "  " not in cells and " RGENSEN" not in cells
    assert cells.count(" ") == 1


@pytest.mark.parametrize(("grade", "table"), GRADES)
def test_a_letter_the_swedish_table_lacks_is_spelt_in_latin_letters_not_dropped(grade, table):
    # liblouis' Swedish tables have no cell for Ł (they mark it with 8-dot cell 3678, which
    # 6-dot BRF cannot hold), so Ł is written as L and the name keeps its length.
    assert "Ł" in untranslatable({"Ł", "ë", "@"}, f"en-us-brf.dis,{table}")
    assert untranslatable({"ë", "ø", "ç", "ñ", "@"}, f"en-us-brf.dis,{table}") == set()
    [cells] = translate_lines(["Łukasz Wróbel"], grade)
    assert cells == lou_translate("Lukasz Wróbel", table)


def test_fullskrift_and_kortskrift_are_different_translations_of_the_same_text():
    text = "Du har inte använt några timmar och det är bra för att vi kan"
    full, short = (translate_lines([text], grade)[0] for grade, _ in GRADES)
    assert full == ",DU HAR INTE ANV>NT N*GRA TIMMAR OCH DET >R BRA F[R ATT VI KAN"
    assert len(short) < len(full)


def test_white_space_and_invisible_characters_become_plain_spaces():
    [cells] = translate_lines(["Zoë\u00a0Jørgensen\u200b"])
    assert cells == lou_translate("Zoë Jørgensen", "sv-g0.utb")


def test_an_unknown_grade_is_refused():
    with pytest.raises(BrailleError):
        translate_lines(["Hej"], "grade9")


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


@pytest.mark.django_db
@pytest.mark.parametrize(("grade", "table"), GRADES)
def test_each_line_of_the_statement_is_liblouis_own_translation_in_the_chosen_grade(
    frozen_clock, grade, table
):
    pp = make_demo_person()
    pp.person.first_name = "Zoë"
    pp.person.save(update_fields=["first_name"])
    doc = statement_document(user=pp.user, person=pp.person, on=date(2024, 2, 15))
    text = document_to_brf(doc, grade)
    check_brf(text)
    rows = [row for page in text.split("\f") for row in page.split("\r\n")]
    title = lou_translate(doc.title, table)
    assert title.startswith(rows[0])  # the title, wrapped at 40 cells
    assert lou_translate("Zoë", table) in title
