"""One DAISY book, checked structurally: every reference resolves and every clip lies inside
its audio; the audio is Swedish speech of a plausible length."""

from __future__ import annotations

import re
import wave
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from folja.accessible.daisy import daisy_zip
from folja.accessible.statement import statement_document
from folja.testing.factories_portal import make_demo_person

NPT = re.compile(r"npt=([0-9.]+)s")
WORDS_PER_SECOND = 2.5


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.fixture
def book(tmp_path, frozen_clock, django_db_blocker):
    with django_db_blocker.unblock():
        pp = make_demo_person()
        doc = statement_document(user=pp.user, person=pp.person, on=date(2024, 2, 15))
        data = daisy_zip(doc)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
        zf.extractall(tmp_path)
    return tmp_path, doc


@pytest.mark.django_db
def test_the_daisy_book_of_a_demo_person_is_structurally_valid(book):
    root, doc = book
    ncc = (root / "ncc.html").read_text(encoding="utf-8")
    ET.fromstring(ncc.split("\n", 2)[2])  # noqa: S314  # well-formed XHTML after the prolog and doctype
    assert '<meta name="dc:format" content="Daisy 2.02" />' in ncc
    assert re.search(r'<meta name="dc:title" content="[^"]+"', ncc)
    assert re.search(r'<meta name="ncc:totalTime" content="\d\d:\d\d:\d\d"', ncc)
    headings = re.findall(r'<h1[^>]*><a href="([^"#]+)#([^"]+)">', ncc)
    assert len(headings) == len(doc.sections) + 1  # the title plus one per section
    assert f'<meta name="ncc:tocItems" content="{len(headings)}"' in ncc

    content_ids = _ids((root / "content.html").read_text(encoding="utf-8"))
    total = 0.0
    for smil_name, par_id in headings:
        smil = root / smil_name
        assert smil.exists(), smil_name
        tree = ET.parse(smil)  # noqa: S314
        pars = tree.getroot().iter("par")
        par_ids = set()
        for par in pars:
            par_ids.add(par.get("id"))
            text = par.find("text")
            audio = par.find("audio")
            file, _, frag = text.get("src").partition("#")
            assert (root / file).exists() and frag in content_ids
            wav = root / audio.get("src")
            assert wav.exists()
            with wave.open(str(wav), "rb") as w:
                duration = w.getnframes() / w.getframerate()
            begin = float(NPT.match(audio.get("clip-begin")).group(1))
            end = float(NPT.match(audio.get("clip-end")).group(1))
            assert 0 <= begin < end <= duration + 0.0005
        assert par_id in par_ids
        total += duration

    # Speech, not silence, and of the expected length order for the words in the book.
    words = len(re.findall(r"\w+", doc.all_text()))
    expected = words / WORDS_PER_SECOND
    assert expected / 3 <= total <= expected * 3, (total, expected)
    samples = Path(root / "s01.wav").read_bytes()[44:]
    assert len(set(samples)) > 50  # not a constant (silent) signal
