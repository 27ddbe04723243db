"""The person's choice of format and braille grade: made on Mina sidor where the formats are
downloaded, kept on the person, used by downloads and mass mailing, seen by the caseworker."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from folja.accessible.braille import document_to_brf
from folja.accessible.statement import statement_document
from folja.accounts.models import Role
from folja.audit.models import AuditEvent
from folja.people.models import BrailleGrade
from folja.testing.factories import make_user
from folja.testing.factories_portal import make_demo_person

pytestmark = pytest.mark.django_db


def test_a_new_person_reads_fullskrift_until_they_choose():
    pp = make_demo_person()
    assert pp.person.braille_grade == BrailleGrade.UNCONTRACTED


def test_the_person_chooses_kortskrift_and_their_braille_download_is_in_kortskrift(
    client, frozen_clock
):
    pp = make_demo_person()
    client.force_login(pp.user)
    page = client.get(reverse("accessible:statement")).content.decode()
    assert "Punktskrift, fullskrift (.brf)" in page and "Punktskrift, kortskrift (.brf)" in page

    response = client.post(
        reverse("accessible:preferences"),
        {"preferred_format": "braille", "braille_grade": "contracted"},
    )
    assert response.status_code == 302
    pp.person.refresh_from_db()
    assert (pp.person.preferred_format, pp.person.braille_grade) == ("braille", "contracted")
    event = AuditEvent.objects.get(action="format_preferences_set")
    assert event.details["braille_grade"] == "contracted"
    assert event.details["before"]["braille_grade"] == "uncontracted"

    download = client.get(reverse("accessible:statement_download", args=["brf"]))
    assert "kortskrift.brf" in download["Content-Disposition"]
    doc = statement_document(user=pp.user, person=pp.person, on=date(2024, 2, 15))
    assert download.content.decode("ascii") == document_to_brf(doc, BrailleGrade.CONTRACTED)
    assert download.content.decode("ascii") != document_to_brf(doc, BrailleGrade.UNCONTRACTED)

    # The page marks the chosen grade and shows the choice in the form.
    page = client.get(reverse("accessible:statement")).content.decode()
    assert "kortskrift (.brf)</a> <strong>(ditt val)</strong>" in page
    assert re.search(r'<input[^>]*name="braille_grade" value="contracted"[^>]*checked', page)
    assert page.count("(ditt val)") == 1


def test_the_download_of_the_persons_preferred_format_is_marked(client, frozen_clock):
    pp = make_demo_person()
    pp.person.preferred_format = "pictogram"
    pp.person.save(update_fields=["preferred_format"])
    client.force_login(pp.user)
    page = client.get(reverse("accessible:statement")).content.decode()
    assert "Text med bilder</a> <strong>(ditt val)</strong>" in page
    assert page.count("(ditt val)") == 1


def test_the_other_grade_can_still_be_downloaded_once(client, frozen_clock):
    pp = make_demo_person()
    client.force_login(pp.user)
    url = reverse("accessible:statement_download", args=["brf"])
    response = client.get(url, {"grade": "contracted"})
    assert "kortskrift.brf" in response["Content-Disposition"]
    pp.person.refresh_from_db()
    assert pp.person.braille_grade == BrailleGrade.UNCONTRACTED
    assert client.get(url, {"grade": "grade9"}).status_code == 404


def test_a_bad_choice_gets_a_swedish_field_error_not_a_500(client, frozen_clock):
    pp = make_demo_person()
    client.force_login(pp.user)
    response = client.post(
        reverse("accessible:preferences"), {"preferred_format": "fax", "braille_grade": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Något behöver rättas" in page and "Välj ett giltigt alternativ" in page
    pp.person.refresh_from_db()
    assert pp.person.preferred_format == "standard"
    assert not AuditEvent.objects.filter(action="format_preferences_set").exists()


def test_the_caseworker_sees_the_persons_braille_grade(client):
    pp = make_demo_person()
    pp.person.braille_grade = BrailleGrade.CONTRACTED
    pp.person.save(update_fields=["braille_grade"])
    client.force_login(make_user(Role.CASEWORKER, district=pp.district))
    page = client.get(reverse("cases:person_detail", args=[pp.person.pk])).content.decode()
    assert "<dt>Punktskrift</dt><dd>Kortskrift</dd>" in page


def test_the_guide_offers_both_grades_and_each_is_its_own_file(client, frozen_clock):
    page = client.get(reverse("accessible:guide")).content.decode()
    assert "?grade=uncontracted" in page and "?grade=contracted" in page
    url = reverse("accessible:guide_download", args=["brf"])
    full = client.get(url, {"grade": "uncontracted"})
    short = client.get(url, {"grade": "contracted"})
    assert 'filename="guide.brf"' in full["Content-Disposition"]
    assert 'filename="guide.kortskrift.brf"' in short["Content-Disposition"]
    assert len(short.content) < len(full.content)


def test_mass_mailing_writes_each_persons_braille_in_their_own_grade(tmp_path, frozen_clock):
    anna = make_demo_person()
    bo = make_demo_person(first_name="Bo")
    bo.person.braille_grade = BrailleGrade.CONTRACTED
    bo.person.save(update_fields=["braille_grade"])
    call_command(
        "accessible",
        "--person",
        str(anna.person.pk),
        str(bo.person.pk),
        "--format",
        "brf",
        "--out",
        str(tmp_path),
        "--on",
        "2024-02-15",
        stdout=io.StringIO(),
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [f"person-{anna.person.pk}.brf", f"person-{bo.person.pk}.kortskrift.brf"]
    )
    doc = statement_document(user=None, person=bo.person, on=date(2024, 2, 15))
    written = (tmp_path / f"person-{bo.person.pk}.kortskrift.brf").read_bytes().decode("ascii")
    assert written == document_to_brf(doc, BrailleGrade.CONTRACTED)
