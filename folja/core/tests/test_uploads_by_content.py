"""Receipts are judged by their bytes, not by their name or the browser's claimed type."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from folja.delivery.services import DeliveryError, check_receipt
from folja.portal.forms import ExpenseClaimForm
from folja.testing.receipts import PNG

HTML = b"<html><script>alert(1)</script></html>"


def test_a_script_named_like_a_pdf_is_refused_by_the_provider_upload():
    upload = SimpleUploadedFile("kvitto.pdf", HTML, content_type="application/pdf")
    with pytest.raises(DeliveryError) as exc:
        check_receipt(upload)
    assert exc.value.field == "receipt"


def test_a_real_png_with_a_misleading_name_is_recognised_as_png():
    upload = SimpleUploadedFile("kvitto.pdf", PNG, content_type="application/pdf")
    assert check_receipt(upload) == "image/png"


def test_the_portal_upload_is_judged_by_the_same_content_check():
    def form_with(upload):
        data = {"date": "2024-03-18", "amount_sek": "10", "description": "Biljett"}
        return ExpenseClaimForm(data, {"receipt": upload})

    assert "receipt" in form_with(SimpleUploadedFile("a.jpg", HTML, "image/jpeg")).errors
    assert form_with(SimpleUploadedFile("a.txt", PNG, "text/plain")).is_valid()
