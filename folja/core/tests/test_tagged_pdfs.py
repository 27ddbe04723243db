"""Every PDF Följa writes is tagged PDF/UA-1: a structure tree with headings, the document
language and a title the reader shows. Rendered by the real WeasyPrint, read back with pypdf."""

from __future__ import annotations

import io
from datetime import date, datetime
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from folja.accounts.models import Role
from folja.cases.services import letter_issue
from folja.core.pdf import UntaggablePdf, html_to_pdf
from folja.testing.factories import (
    DecisionFactory,
    DistrictFactory,
    PersonFactory,
    make_user,
    reference_data,
)
from folja.testing.factories_followup import build_small_city
from folja.testing.factories_providers import february_paid, provider_world
from folja.testing.factories_simulation import population_with_history

pytestmark = pytest.mark.django_db
PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _resolve(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _structure_elements(node):
    """Every structure element (a dictionary with /S: /H1, /Table, /Figure, …) below a node
    of the structure tree; marked-content ids (integers) are leaves."""
    node = _resolve(node)
    if isinstance(node, list):
        for kid in node:
            yield from _structure_elements(kid)
    elif isinstance(node, dict):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from _structure_elements(node["/K"])


def assert_pdf_ua(pdf: bytes, *, title: str, lang: str) -> set[str]:
    """What PDF/UA-1 asks of the document as a whole, as a PDF reader sees it; returns the
    structure types found so each document can name the ones it must have."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert str(catalog["/Lang"]) == lang
    assert title in reader.metadata.title
    # The XMP metadata says which part of PDF/UA the file claims, and carries the title too.
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert title in xmp.dc_title["x-default"]
    rdf = ElementTree.fromstring(xmp.stream.get_data())  # noqa: S314 (our own output)
    parts = {d.get(f"{{{PDFUA_NS}}}part") for d in rdf.iter(f"{{{RDF_NS}}}Description")}
    assert "1" in parts
    root = catalog["/StructTreeRoot"]
    elements = list(_structure_elements(root["/K"]))
    types = {str(e["/S"]) for e in elements}
    assert "/Document" in types and "/H1" in types
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    return types


# A letter whose appeal deadline has passed is refused: the clock is the notification day.
@time_machine.travel(datetime(2024, 6, 3, 9, 0), tick=False)
def test_a_decision_letter_is_tagged_pdf_ua_in_swedish():
    reference_data()
    district = DistrictFactory(name="Farsta")
    caseworker = make_user(Role.CASEWORKER, district=district, username="handlaggare")
    person = PersonFactory(district=district, first_name="Astrid", last_name="Lund")
    decision = DecisionFactory(person=person, notified_on=None, caseworker=caseworker)
    with translation.override("en"):  # an official letter is Swedish whatever the screen says
        letter = letter_issue(decision=decision, user=caseworker, notified_on=date(2024, 6, 3))
    types = assert_pdf_ua(bytes(letter.pdf), title="Astrid Lund", lang="sv")
    assert {"/H2", "/Table", "/TH", "/TD", "/P"} <= types


def test_the_tertial_report_is_tagged_with_its_charts_described(tmp_path):
    build_small_city()
    with translation.override("sv"):
        call_command("report", "tertial", "--year", "2024", "--tertial", "1", "--out", tmp_path)
    pdf = (tmp_path / "tertialrapport-2024-T1-stad.pdf").read_bytes()
    types = assert_pdf_ua(pdf, title="Tertialrapport 2024 T1 – Hela staden", lang="sv")
    assert {"/H2", "/Table", "/Caption", "/Figure"} <= types


@time_machine.travel(datetime(2024, 3, 2, 9, 0), tick=False)
def test_a_payment_specification_is_tagged_and_titled_by_provider_and_month(client):
    world = provider_world()
    run = february_paid(world, external_id="1")
    client.force_login(world.staff)
    sv = client.get(reverse("payments:pdf", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="sv").content
    title = f"Specifikation av ersättning 2024-02 – {world.provider.name}"
    assert {"/Table", "/TH", "/TD"} <= assert_pdf_ua(sv, title=title, lang="sv")
    # The same document asked for in English says it is in English.
    client.cookies["django_language"] = "en"
    en = client.get(reverse("payments:pdf", args=[run.pk])).content
    assert_pdf_ua(en, title=world.provider.name, lang="en")


@time_machine.travel(datetime(2025, 1, 15, 10, 0), tick=False)
def test_the_simulation_memo_is_tagged_with_its_svg_charts_described(client):
    reference_data()
    district = DistrictFactory(name="Skärholmen", code="SKH")
    population_with_history(district=district, persons=12)
    client.force_login(make_user(Role.ANALYST, username="analytiker"))
    params = {
        "run": "1",
        "district": district.pk,
        "models": ["monthly", "flex3", "free"],
        "replicates": 20,
        "months": 12,
        "seed": 1,
    }
    pdf = client.get(reverse("simulation:memo_pdf"), params, HTTP_ACCEPT_LANGUAGE="sv").content
    types = assert_pdf_ua(pdf, title="Ekonomiska konsekvenser av fri ledsagning", lang="sv")
    assert {"/H2", "/Figure", "/Table"} <= types


def test_the_one_pdf_helper_refuses_a_document_without_title_or_language():
    with pytest.raises(UntaggablePdf):
        html_to_pdf('<html lang="sv"><body><h1>Rubrik</h1></body></html>')
    with pytest.raises(UntaggablePdf):
        html_to_pdf("<html><head><title>Titel</title></head><body><h1>Rubrik</h1></body></html>")
    pdf = html_to_pdf(
        '<html lang="sv"><head><title>Titel</title></head><body><h1>Rubrik</h1></body></html>'
    )
    assert_pdf_ua(pdf, title="Titel", lang="sv")


def test_the_pdf_helper_fetches_nothing_from_the_network():
    # An image from elsewhere is not fetched (no network at run time), so the PDF has no figure
    # content from it; the document itself is still produced.
    html = (
        '<html lang="sv"><head><title>T</title></head><body><h1>R</h1>'
        '<img src="http://example.invalid/x.png" alt="x"></body></html>'
    )
    assert html_to_pdf(html).startswith(b"%PDF")


def test_no_module_but_the_one_helper_renders_a_pdf():
    # A second path to WeasyPrint could write an untagged document again.
    from pathlib import Path

    import folja

    root = Path(folja.__file__).parent
    helper = root / "core" / "pdf.py"
    others = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != helper
        and "tests" not in path.parts
        and any(word in path.read_text(encoding="utf-8") for word in ("write_pdf", "import HTML"))
    ]
    assert others == []
