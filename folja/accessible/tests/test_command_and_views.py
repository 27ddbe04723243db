from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from folja.audit.models import AccessLog
from folja.testing.factories_portal import make_demo_person

pytestmark = pytest.mark.django_db


def test_the_guide_command_writes_plain_and_pictogram_html_and_braille(tmp_path, frozen_clock):
    out = io.StringIO()
    call_command(
        "accessible",
        "--guide",
        "--format",
        "html",
        "--format",
        "pictogram",
        "--format",
        "brf",
        "--out",
        str(tmp_path),
        stdout=out,
    )
    html = (tmp_path / "guide.html").read_text(encoding="utf-8")
    assert "Så fungerar ledsagning" in html and "tre månader" in html
    picto = (tmp_path / "guide.bildstod.html").read_text(encoding="utf-8")
    assert picto.count("<svg") >= 10 and 'role="img"' in picto and "<title>" in picto
    assert "Mulberry Symbols av Steve Lee" in picto and "CC BY-SA 4.0" in picto
    assert (tmp_path / "guide.brf").stat().st_size > 500


def test_the_person_command_logs_access_as_the_system(tmp_path, frozen_clock):
    pp = make_demo_person()
    call_command(
        "accessible",
        "--person",
        str(pp.person.pk),
        "--format",
        "html",
        "--out",
        str(tmp_path),
        "--on",
        "2024-02-15",
        stdout=io.StringIO(),
    )
    text = (tmp_path / f"person-{pp.person.pk}.html").read_text(encoding="utf-8")
    assert "25 timmar" in text and "Sara" in text
    log = AccessLog.objects.get(person=pp.person, what="accessible_statement_cli")
    assert log.username == "system"


def test_the_person_command_as_a_user_refuses_persons_outside_their_scope(tmp_path):
    anna = make_demo_person()
    bo = make_demo_person(first_name="Bo")
    with pytest.raises(CommandError) as err:
        call_command(
            "accessible",
            "--person",
            str(bo.person.pk),
            "--format",
            "html",
            "--out",
            str(tmp_path),
            "--as-user",
            anna.user.username,
        )
    payload = json.loads(str(err.value))
    assert payload["field"] == "person" and payload["code"] == "not_found"
    assert not AccessLog.objects.filter(person=bo.person).exists()


def test_the_command_reports_a_bad_date_as_field_code_and_message(tmp_path):
    with pytest.raises(CommandError) as err:
        call_command(
            "accessible", "--guide", "--format", "html", "--out", str(tmp_path), "--on", "x"
        )
    assert json.loads(str(err.value))["field"] == "on"


def test_the_guide_page_is_open_and_shows_pictograms_with_alt_text(client):
    html = client.get(reverse("accessible:guide")).content.decode()
    assert "<h1>" in html and 'alt="Klocka: timmar"' in html


@pytest.mark.parametrize("fmt", ["html", "pictogram", "brf"])
def test_the_person_downloads_their_statement_in_each_format(client, fmt, frozen_clock):
    pp = make_demo_person()
    client.force_login(pp.user)
    response = client.get(reverse("accessible:statement_download", args=[fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert AccessLog.objects.filter(person=pp.person, what=f"accessible_statement_{fmt}").exists()


def test_an_unknown_format_is_404(client):
    pp = make_demo_person()
    client.force_login(pp.user)
    assert client.get(reverse("accessible:statement_download", args=["pdf"])).status_code == 404
    assert client.get(reverse("accessible:guide_download", args=["exe"])).status_code == 404


def test_the_statement_page_shows_the_same_content_as_the_files(client, frozen_clock):
    pp = make_demo_person()
    client.force_login(pp.user)
    html = client.get(reverse("accessible:statement")).content.decode()
    assert "Dina timmar" in html and "25 timmar" in html
    assert "31 mars 2024" in html


def test_a_missing_braille_program_gives_a_clear_page_not_a_500(client, monkeypatch):
    monkeypatch.setattr("folja.accessible.braille.LOU_TRANSLATE", "no-such-lou-translate")
    response = client.get(reverse("accessible:guide_download", args=["brf"]))
    assert response.status_code == 503
    assert "går inte att göra just nu" in response.content.decode()


def test_every_pictogram_is_a_shipped_mulberry_symbol_with_alt_text():
    from folja.accessible.pictograms import PICTOGRAM_DIR, PICTOGRAMS, inline_svg

    files = sorted(p.stem for p in PICTOGRAM_DIR.glob("*.svg"))
    # No home-made drawing is left: every file is a symbol in use, every symbol has its file.
    assert files == sorted(p.file for p in PICTOGRAMS.values())
    for key, picto in PICTOGRAMS.items():
        svg = inline_svg(key)
        assert f"<title>{picto.alt}</title>" in svg and 'role="img"' in svg
        assert 'width="72" height="72"' in svg and 'id="' not in svg.split(">", 1)[0]
