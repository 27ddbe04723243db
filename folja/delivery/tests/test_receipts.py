"""A receipt is stored as pixels or as a PDF without active content: an image is decoded and
encoded again (a polyglot's HTML and the photo's metadata do not survive), a PDF with
JavaScript, an action run on opening or an embedded file is refused at the field."""

from __future__ import annotations

import io
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from folja.accounts.models import Role
from folja.delivery.services import DeliveryError, expense_claim_create, receipt_clean
from folja.portal.forms import ExpenseClaimForm
from folja.testing.factories import PersonFactory, make_user
from folja.testing.receipts import JPEG, PDF, PNG

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _upload(content: bytes, name: str = "kvitto.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _refused_code(content: bytes) -> str:
    with pytest.raises(DeliveryError) as exc:
        receipt_clean(_upload(content))
    assert exc.value.field == "receipt"
    return exc.value.code


def _pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


# --- images -----------------------------------------------------------------------------------


def test_a_png_followed_by_html_is_stored_as_a_png_without_the_html():
    clean = receipt_clean(_upload(PNG + HTML, "kvitto.html"))
    stored = clean.content.read()
    assert clean.content_type == "image/png"
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<html" not in stored and b"script" not in stored
    assert Image.open(io.BytesIO(stored)).size == (24, 16)
    assert clean.content.name == "kvitto.png"  # the name follows the content, not the upload


def test_a_jpeg_followed_by_html_is_stored_as_a_jpeg_without_the_html():
    clean = receipt_clean(_upload(JPEG + HTML, "kvitto.jpg"))
    stored = clean.content.read()
    assert clean.content_type == "image/jpeg"
    assert stored.startswith(b"\xff\xd8") and b"<html" not in stored


def test_an_image_loses_its_metadata_but_keeps_its_orientation():
    image = Image.new("RGB", (40, 20), "white")
    exif = image.getexif()
    exif[0x010F] = "KameraTillverkaren"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"hemlig kommentar")
    stored = receipt_clean(_upload(buffer.getvalue())).content.read()
    assert b"KameraTillverkaren" not in stored and b"hemlig kommentar" not in stored
    assert b"Exif" not in stored
    assert Image.open(io.BytesIO(stored)).size == (20, 40)


def test_a_png_text_chunk_is_not_kept():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (255, 0, 0, 128)).save(buffer, format="PNG", pnginfo=info)
    stored = receipt_clean(_upload(buffer.getvalue())).content.read()
    assert b"script" not in stored
    assert Image.open(io.BytesIO(stored)).mode == "RGBA"


def test_an_image_header_followed_by_anything_but_an_image_is_refused():
    assert _refused_code(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + HTML) == "invalid_image"
    assert _refused_code(b"\xff\xd8\xff\xe0" + HTML) == "invalid_image"


# --- PDFs -------------------------------------------------------------------------------------


def test_a_clean_pdf_is_accepted_as_it_came():
    pdf = _pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        _stream(b"/Filter /FlateDecode", zlib.compress(b"BT /F1 12 Tf (Kvitto 120 kr) Tj ET")),
    )
    clean = receipt_clean(_upload(pdf, "kvitto"))
    assert clean.content_type == "application/pdf"
    assert clean.content.read() == pdf and clean.content.name == "kvitto.pdf"
    assert receipt_clean(_upload(PDF)).content_type == "application/pdf"


def test_a_pdf_with_an_open_action_is_refused():
    pdf = _pdf(
        b"<< /Type /Catalog /OpenAction 2 0 R >>",
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    )
    assert _refused_code(pdf) == "active_content"


def test_a_pdf_with_an_embedded_file_is_refused():
    pdf = _pdf(
        b"<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>",
        b"<< /Names [(a.html) 3 0 R] >>",
        b"<< /Type /Filespec /F (a.html) /EF << /F 4 0 R >> >>",
        _stream(b"/Type /EmbeddedFile", HTML),
    )
    assert _refused_code(pdf) == "active_content"


def test_a_pdf_hiding_javascript_behind_name_escapes_is_refused():
    assert _refused_code(_pdf(b"<< /Type /Catalog /AA << /O << /S /Java#53cript >> >> >>"))
    assert _refused_code(_pdf(b"<< /Type /Catalog /Open#41ction 2 0 R >>")) == "active_content"


def test_a_pdf_hiding_an_open_action_in_a_compressed_object_stream_is_refused():
    packed = b"2 0 << /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>"
    pdf = _pdf(
        b"<< /Type /XRef >>",
        _stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlib.compress(packed)),
    )
    assert _refused_code(pdf) == "active_content"


def test_a_pdf_with_a_clean_compressed_object_stream_is_accepted():
    packed = b"2 0 << /Type /Catalog /Pages 3 0 R >>"
    pdf = _pdf(_stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlib.compress(packed)))
    assert receipt_clean(_upload(pdf)).content_type == "application/pdf"


def test_a_pdf_whose_object_stream_cannot_be_inspected_is_refused():
    lzw = _stream(b"/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode", b"\x80\x0b\x60\x50")
    assert _refused_code(_pdf(lzw)) == "active_content"
    broken = _stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", b"not deflate")
    assert _refused_code(_pdf(broken)) == "active_content"


def test_binary_stream_data_that_happens_to_spell_a_name_is_not_read_as_one():
    image_data = b"\x00\x01/JS\x00/AA\xff" * 50
    pdf = _pdf(b"<< /Type /Catalog >>", _stream(b"/Subtype /Image /Filter /DCTDecode", image_data))
    assert receipt_clean(_upload(pdf)).content_type == "application/pdf"


# --- through the form and the service ---------------------------------------------------------


def test_the_portal_form_shows_the_refusal_of_a_pdf_with_javascript_at_the_field():
    pdf = _pdf(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>")
    data = {"date": "2024-03-18", "amount_sek": "10", "description": "Biljett"}
    form = ExpenseClaimForm(data, {"receipt": _upload(pdf, "kvitto.pdf")})
    assert not form.is_valid()
    assert "skript" in form.errors["receipt"][0]


@pytest.mark.django_db
def test_the_stored_receipt_of_a_claim_is_the_re_encoded_image():
    person = PersonFactory()
    claim = expense_claim_create(
        user=make_user(Role.CASEWORKER, district=person.district),
        provider=None,
        person=person,
        date=date(2024, 3, 18),
        amount_sek=Decimal("120"),
        description="Entré",
        receipt=_upload(PNG + HTML, "kvitto.html"),
    )
    with claim.receipt.open("rb") as handle:
        stored = handle.read()
    assert claim.receipt_content_type == "image/png"
    assert stored.startswith(b"\x89PNG") and b"<html" not in stored
    assert claim.receipt.name.endswith(".png")
