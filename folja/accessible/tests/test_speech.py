"""The talking book says what a person would say: the Swedish text is put in words before
espeak-ng reads it, and the book's text stays as written."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from folja.accessible import daisy
from folja.accessible.content import Document, Section
from folja.accessible.speech import amount, cardinal, clock_time, ordinal, speakable, year


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "noll"),
        (1, "ett"),
        (21, "tjugoett"),
        (40, "fyrtio"),
        (100, "etthundra"),
        (1000, "ettusen"),
        (1250, "ettusen tvåhundrafemtio"),
        (2026, "tvåtusentjugosex"),
        (1_000_000, "en miljon"),
        (-5, "minus fem"),
    ],
)
def test_numbers_are_swedish_words_spelt_right(n, words):
    assert cardinal(n) == words


def test_ordinals_and_years_are_said_as_swedes_say_them():
    assert [ordinal(d) for d in (1, 2, 3, 20, 21, 31)] == [
        "första",
        "andra",
        "tredje",
        "tjugonde",
        "tjugoförsta",
        "trettioförsta",
    ]
    assert year(1998) == "nittonhundranittioåtta"
    assert year(2026) == "tvåtusentjugosex"


def test_times_and_amounts_have_their_own_spoken_form():
    assert clock_time(10, 0) == "tio"
    assert clock_time(9, 5) == "nio och noll fem"
    assert clock_time(18, 30) == "arton och trettio"
    assert amount("1 250,50") == "ettusen tvåhundrafemtio kronor och femtio öre"
    assert amount("1") == "en krona"
    assert amount("300,00") == "trehundra kronor"


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # the issue's own example
        ("klockan 10.00", "klockan tio"),
        ("Vi ses kl. 9.05.", "Vi ses klockan nio och noll fem."),
        ("Bio 18:30–21.00.", "Bio arton och trettio till tjugoett."),
        ("Öppet 22.00–24.00", "Öppet tjugotvå till tjugofyra"),
        # dates: ISO, in words, short
        ("Gäller från 2026-12-01.", "Gäller från första december tvåtusentjugosex."),
        ("Från 1 december.", "Från första december."),
        ("senast 20 mars 2024", "senast tjugonde mars tvåtusentjugofyra"),
        ("den 1/12", "den första december"),
        ("den 1:a maj", "den första maj"),
        # amounts
        ("Du har 1 250,50 kr kvar.", "Du har ettusen tvåhundrafemtio kronor och femtio öre kvar."),
        ("Det kostar 300 kr.", "Det kostar trehundra kronor."),
        ("Det kostar 300 kr. Sedan mer.", "Det kostar trehundra kronor. Sedan mer."),
        ("12,50 kronor", "tolv kronor och femtio öre"),
        ("2\u00a0671\u00a0040,00 kr", "två miljoner sexhundrasjuttioettusenfyrtio kronor"),
        ("1 krona", "en krona"),
        ("Belopp i kr", "Belopp i kronor"),
        # percent and decimals
        ("25 % av tiden", "tjugofem procent av tiden"),
        ("12,5 procent", "tolv komma fem procent"),
        ("0,05", "noll komma noll fem"),
        # abbreviations
        ("T.ex. en biljett", "Till exempel en biljett"),
        ("bl.a. bio", "bland annat bio"),
        ("dvs. i morgon", "det vill säga i morgon"),
        ("d.v.s. i morgon", "det vill säga i morgon"),
        ("ca 30 min", "cirka trettio minuter"),
        ("c:a 2 tim", "cirka två timmar"),
        ("1 tim", "en timme"),
        ("nr 5", "nummer fem"),
        ("Det här är min ledsagare.", "Det här är min ledsagare."),
        ("och så vidare osv.", "och så vidare och så vidare."),
        # legal references
        ("SoL 4 kap. 1 §", "SoL kapitel fyra paragraf ett"),
        ("LSS 9 § 3", "LSS paragraf nio punkt tre"),
        ("enligt § 5", "enligt paragraf fem"),
        # counts with common-gender nouns, spans, phone numbers
        ("Du har 1 timme och 1 minut kvar.", "Du har en timme och en minut kvar."),
        ("21 timmar", "tjugoett timmar"),
        ("2–3 timmar", "två till tre timmar"),
        ("Ring 08-508 000 00.", "Ring noll åtta, fem noll åtta, noll noll noll, noll noll."),
        ("Boka av senast 24 timmar innan.", "Boka av senast tjugofyra timmar innan."),
    ],
)
def test_the_text_is_normalised_to_what_a_person_would_say(written, spoken):
    assert speakable(written) == spoken


def test_a_line_of_the_statement_is_spoken_without_a_digit_or_a_dot_between_numbers():
    line = "14 februari 2024 klockan 10.00: bio med Sara, 2 timmar."
    assert speakable(line) == (
        "fjortonde februari tvåtusentjugofyra klockan tio: bio med Sara, två timmar."
    )
    assert not any(c.isdigit() for c in speakable(line))


def test_the_voice_gets_the_normalised_text_and_the_book_keeps_the_written_text(monkeypatch):
    spoken: list[str] = []
    real = daisy._synthesise

    def recording(text, path):
        spoken.append(text)
        real(text, path)

    monkeypatch.setattr(daisy, "_synthesise", recording)
    doc = Document(
        key="t",
        title="Din tid",
        sections=(Section("s01", "Nästa gång", ("Ni ses 1 december klockan 10.00.",)),),
    )
    data = daisy.daisy_zip(doc)
    assert "Ni ses första december klockan tio." in spoken
    assert not any("10.00" in s for s in spoken)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        content = zf.read("content.html").decode("utf-8")
    assert "Ni ses 1 december klockan 10.00." in content


@pytest.mark.django_db
def test_no_line_of_the_guide_or_a_statement_reaches_the_voice_with_a_digit_or_a_code(
    frozen_clock,
):
    from datetime import date

    from folja.accessible.guide import guide_document
    from folja.accessible.statement import statement_document
    from folja.testing.factories_portal import make_demo_person

    pp = make_demo_person()
    on = date(2024, 2, 15)
    for doc in (
        guide_document(on=on),
        statement_document(user=pp.user, person=pp.person, on=on),
    ):
        for text in doc.all_text().splitlines():
            said = daisy.spoken_text(text, "sv")
            assert not re.search(r"[\d%§]", said), (text, said)


def test_only_swedish_is_normalised():
    assert daisy.spoken_text("at 10.00", "en") == "at 10.00"
