"""Mulberry symbols: each key phrase of a person's statement has its own symbol, and the set's
licence and attribution ship beside the files and are shown wherever the symbols are."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from folja.accessible.pictograms import (
    ATTRIBUTION_FILE,
    LICENCE_FILE,
    PICTOGRAM_DIR,
    PICTOGRAMS,
    static_path,
)
from folja.accessible.render_html import pictogram_html
from folja.accessible.statement import statement_document
from folja.testing.factories_portal import make_demo_person

# Key phrase (its first words) -> the symbol it must have.
KEY_PHRASES = {
    "Du har 25 timmar kvar.": "hours_left",
    "Timmar som är kvar försvinner efter": "lapse",
    "Du bokar ledsagning hos": "book",
    "Du kan klaga på ledsagningen": "complain",
    "Om du inte håller med om beslutet kan du överklaga.": "appeal",
    "Du får 10 timmar varje månad.": "clock",
    "Din period är från": "calendar",
    "Boka av senast 24 timmar innan.": "clock",
}


def _line_symbols(doc) -> dict[str, str]:
    return {text: key for s in doc.sections for text, key in s.lines_with_pictograms() if key}


@pytest.mark.django_db
def test_each_key_phrase_of_the_statement_has_its_symbol(frozen_clock):
    pp = make_demo_person()
    doc = statement_document(user=pp.user, person=pp.person, on=date(2024, 2, 15))
    symbols = _line_symbols(doc)
    for phrase, key in KEY_PHRASES.items():
        found = [k for text, k in symbols.items() if text.startswith(phrase)]
        assert found == [key], (phrase, symbols)
    # and every section has symbols of its own
    assert all(s.pictograms for s in doc.sections)
    assert {k for s in doc.sections for k in s.pictograms} <= set(PICTOGRAMS)


@pytest.mark.django_db
def test_the_statement_page_shows_each_key_phrase_beside_its_symbol(client, frozen_clock):
    pp = make_demo_person()
    client.force_login(pp.user)
    page = client.get(reverse("accessible:statement")).content.decode()
    for phrase, key in KEY_PHRASES.items():
        picto = PICTOGRAMS[key]
        item = re.search(
            rf'<li class="key-phrase" data-pictogram="{key}"><img src="[^"]*{picto.file}\.svg" '
            rf'alt="{re.escape(str(picto.alt))}" width="40" height="40"> {re.escape(phrase)}',
            page,
        )
        assert item, phrase
    assert "Mulberry Symbols av Steve Lee" in page and "CC BY-SA 4.0" in page
    assert "accessible/pictograms/ATTRIBUTION.md" in page
    assert "accessible/pictograms/LICENSE.txt" in page


@pytest.mark.django_db
def test_the_pictogram_file_inlines_each_symbol_and_carries_the_attribution(frozen_clock):
    pp = make_demo_person()
    doc = statement_document(user=pp.user, person=pp.person, on=date(2024, 2, 15))
    html = pictogram_html(doc)
    for key in set(KEY_PHRASES.values()):
        assert f'data-pictogram="{key}"><span class="line-picto"><svg' in html
        assert f"<title>{PICTOGRAMS[key].alt}</title>" in html
    assert "Mulberry Symbols av Steve Lee" in html
    assert "creativecommons.org/licenses/by-sa/4.0" in html and "mulberrysymbols.org" in html
    # A symbol used twice must not give the page duplicate ids.
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_the_guide_page_names_the_symbols_licence(client):
    page = client.get(reverse("accessible:guide")).content.decode()
    assert "Mulberry Symbols av Steve Lee" in page
    assert re.search(r'data-pictogram="book"><img src="[^"]*telephone_2_to\.svg"', page)


def test_the_licence_and_attribution_ship_beside_the_symbols():
    licence = LICENCE_FILE.read_text(encoding="utf-8")
    assert "The Mulberry Symbol set" in licence and "Steve Lee" in licence
    assert "Attribution-Share Alike" in licence
    attribution = ATTRIBUTION_FILE.read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in attribution and "mulberrysymbols.org" in attribution
    for svg in PICTOGRAM_DIR.glob("*.svg"):
        assert f"| {svg.name} |" in attribution, svg.name
    # They are static files of the app, so collectstatic and the package carry them.
    for name in ("LICENSE.txt", "ATTRIBUTION.md", static_path("complain").rsplit("/", 1)[1]):
        assert finders.find(f"accessible/pictograms/{name}")
