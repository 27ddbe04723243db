"""The person's survey as an accessible document (issue 15, item 6): a DAISY 2.02 talking book
of the questions, spoken by espeak-ng, for the person and their representative only."""

from __future__ import annotations

import html
import io
import re
import wave
import zipfile
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AccessLog
from folja.surveys.models import Question
from folja.surveys.services import survey_answer, survey_create
from folja.testing.factories import PersonFactory, make_representative, make_user

pytestmark = pytest.mark.django_db

KEYS = ("flex-three-months", "satisfied-escort")
URL = reverse("surveys:answer_daisy")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        yield


def _survey(audience: str = "persons"):
    return survey_create(
        user=make_user(Role.ANALYST),
        title="Enkät våren 2024",
        audience=audience,
        opens_on=date(2024, 6, 1),
        closes_on=date(2024, 6, 30),
        questions=list(Question.objects.filter(key__in=KEYS)),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _book(content: bytes) -> zipfile.ZipFile:
    book = zipfile.ZipFile(io.BytesIO(content))
    assert book.testzip() is None  # every member's CRC checks out
    return book


def test_the_survey_daisy_zip_is_a_daisy_202_book_of_every_question_spoken_by_espeak_ng():
    survey = _survey()
    person = PersonFactory()
    response = _client(make_user(Role.PERSON, person=person)).get(URL, {"survey": survey.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="enkat-{survey.pk}-daisy.zip"' in response["Content-Disposition"]
    book = _book(response.content)
    names = book.namelist()
    assert names[0] == "ncc.html" and "content.html" in names
    ncc = book.read("ncc.html").decode("utf-8")
    assert '<meta name="dc:format" content="Daisy 2.02" />' in ncc
    assert '<meta name="ncc:narrator" content="espeak-ng" />' in ncc
    assert f'<meta name="ncc:files" content="{len(names)}" />' in ncc
    assert f"<title>{survey.title}</title>" in ncc
    content = html.unescape(book.read("content.html").decode("utf-8"))
    for question in Question.objects.filter(key__in=KEYS):
        assert question.text in content
        assert question.text in html.unescape(ncc)  # a heading to jump to, per question
    for option in ("Ja", "Nej", "Vet inte", "5 – mycket nöjd", "1 – inte alls nöjd"):
        assert f">{option}</p>" in content
    smils = [n for n in names if n.endswith(".smil")]
    # The title, the introduction and one section per question.
    assert len(smils) == 2 + len(KEYS)
    for name in smils:
        smil = book.read(name).decode("utf-8")
        assert '<meta name="dc:format" content="Daisy 2.02" />' in smil
        for audio, begin, end in re.findall(
            r'<audio src="([^"]+)" clip-begin="npt=([\d.]+)s" clip-end="npt=([\d.]+)s"', smil
        ):
            assert audio in names
            with wave.open(io.BytesIO(book.read(audio))) as w:
                seconds = w.getnframes() / w.getframerate()
                # espeak-ng writes 16-bit mono; a silent or empty file would be no speech.
                assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
            assert 0 <= float(begin) < float(end) <= seconds + 0.001
        for text_id in re.findall(r'<text src="content.html#([^"]+)"', smil):
            assert f'id="{text_id}"' in content
    assert AccessLog.objects.filter(person=person, what="survey_invitation").exists()


def test_a_representative_downloads_the_questions_for_the_principal():
    survey = _survey()
    person = PersonFactory()
    response = _client(make_representative(person)).get(URL, {"survey": survey.pk})
    assert response.status_code == 200
    assert _book(response.content).namelist()[0] == "ncc.html"
    log = AccessLog.objects.get(what="survey_invitation")
    assert (log.person_id, log.role) == (person.pk, Role.REPRESENTATIVE)


def test_the_survey_daisy_is_refused_to_everyone_the_survey_is_not_open_to():
    survey = _survey()
    provider_survey = _survey(audience="providers")
    # Staff are not asked in a person survey and are not shown that the download exists.
    for role in (Role.PROVIDER_STAFF, Role.CASEWORKER, Role.ANALYST, Role.ADMINISTRATOR):
        assert _client(make_user(role)).get(URL, {"survey": survey.pk}).status_code == 404, role
    # Without a login: to the login page, nothing spoken.
    assert Client().get(URL, {"survey": survey.pk}).status_code == 302
    # A person asks for a survey that is not theirs (the providers').
    person = PersonFactory()
    own = _client(make_user(Role.PERSON, person=person))
    assert own.get(URL, {"survey": provider_survey.pk}).status_code == 404
    assert own.get(URL, {"survey": "x"}).status_code == 404
    # Once the person has answered (here through their representative) the survey is no longer
    # open to them: by its number a 404, without one back to the survey page.
    survey_answer(
        user=make_representative(person),
        survey=survey,
        person=person,
        values={"flex-three-months": "yes"},
    )
    assert own.get(URL, {"survey": survey.pk}).status_code == 404
    response = own.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("surveys:answer")
    # A representative with no principal has no one to answer for.
    assert _client(make_user(Role.REPRESENTATIVE)).get(URL).status_code == 404
