"""The person's statement explains the rulings that concern them in plain language, and the
same words reach every accessible format through the statement pipeline (issue 15, item 2)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from folja.accessible.braille import document_to_brf
from folja.accessible.statement import statement_document
from folja.handbook.models import ApplicationActivity, RulingKind, RulingStatus
from folja.testing.factories import ApplicationFactory
from folja.testing.factories_handbook import ActivityFactory, RulingFactory
from folja.testing.factories_portal import make_demo_person

pytestmark = pytest.mark.django_db

ON = date(2024, 2, 15)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime(2024, 2, 15, 12), tick=False):
        yield


@pytest.fixture
def person_abroad():
    pp = make_demo_person()
    abroad = ActivityFactory(name="Resa utomlands", grey_zone=True)
    RulingFactory(
        activity=abroad,
        kind=RulingKind.CASE_BY_CASE,
        conditions="Ansök i god tid.",
        reasoning="En resa bedöms varje gång. Du betalar din egen resa.",
        illustrative=True,
    )
    ApplicationActivity.objects.create(
        application=ApplicationFactory(person=pp.person), activity=abroad
    )
    # A ruling on an activity the person never applied for is not theirs to read.
    RulingFactory(activity=ActivityFactory(name="Elitträning"), kind=RulingKind.NOT_COVERED)
    return pp


def _handbook_section(doc):
    return next(s for s in doc.sections if s.heading == "Vad ledsagningen kan användas till")


def test_the_statement_says_the_persons_rulings_in_short_sentences(person_abroad):
    pp = person_abroad
    section = _handbook_section(statement_document(user=pp.user, person=pp.person, on=ON))
    assert section.lines == (
        "Resa utomlands: din handläggare bedömer det varje gång.",
        "Villkor: Ansök i god tid.",
        "En resa bedöms varje gång.",
        "Du betalar din egen resa.",
        "Det här är en exempeltext.",
    )
    assert "Elitträning" not in " ".join(section.lines)


def test_a_draft_ruling_is_not_explained_to_the_person(person_abroad):
    pp = person_abroad
    activity = ApplicationActivity.objects.get().activity
    activity.rulings.update(status=RulingStatus.DRAFT)
    doc = statement_document(user=pp.user, person=pp.person, on=ON)
    assert all(s.heading != "Vad ledsagningen kan användas till" for s in doc.sections)


def test_the_rulings_reach_the_page_braille_and_daisy(client, person_abroad):
    pp = person_abroad
    client.force_login(pp.user)
    html = client.get(reverse("accessible:statement")).content.decode()
    assert "Resa utomlands: din handläggare bedömer det varje gång." in html
    brf = client.get(reverse("accessible:statement_download", args=["brf"]))
    doc = statement_document(user=pp.user, person=pp.person, on=ON)
    assert brf.status_code == 200 and brf.content.decode("ascii") == document_to_brf(doc)
    daisy = client.get(reverse("accessible:statement_download", args=["daisy"]))
    assert daisy.status_code == 200
    book = zipfile.ZipFile(io.BytesIO(daisy.content))
    text = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith("html"))
    assert "Resa utomlands: din handläggare bedömer det varje gång." in text
