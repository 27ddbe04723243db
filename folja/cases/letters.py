"""The decision letter in plain Swedish (klarspråk), as HTML and as PDF (WeasyPrint).

The letter is rendered once, when issued, and stored as issued; it is always rendered in
Swedish, whatever language the caseworker's screen is in, because it is an official document.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from folja.cases.models import Decision
from folja.core.clock import today as local_today
from folja.core.pdf import html_to_pdf
from folja.people.models import Representative


def letter_representatives(person) -> list[Representative]:
    """The legal representatives a letter also goes to: those whose mandate is in force on
    the day it is issued (a god man whose assignment ended gets no more letters)."""
    today = local_today()
    representatives = Representative.objects.filter(person=person).order_by("name", "pk")
    return [r for r in representatives if r.mandate_in_force(today)]


def render_letter_html(*, decision: Decision, caseworker, appeal_deadline: date) -> str:
    guideline = decision.guideline_version
    with translation.override("sv"):
        return render_to_string(
            "cases/letter.html",
            {
                "decision": decision,
                "person": decision.person,
                "representatives": letter_representatives(decision.person),
                "caseworker": caseworker,
                "district": decision.district,
                "guideline": guideline,
                "appeal_deadline": appeal_deadline,
                "appeal_address": appeal_address_lines(decision.district),
                "city": settings.FOLJA_CITY_NAME,
                "issued_on": local_today(),
                "rejected_parts": decision.rejected_parts or [],
            },
        )


def render_dismissal_html(*, appeal, caseworker, appeal_deadline: date) -> str:
    """The letter that tells the person their appeal came in too late and is dismissed
    (avvisning): a decision of its own, which can itself be appealed to the court."""
    decision = appeal.decision
    with translation.override("sv"):
        return render_to_string(
            "cases/letter_dismissal.html",
            {
                "appeal": appeal,
                "decision": decision,
                "person": decision.person,
                "representatives": letter_representatives(decision.person),
                "caseworker": caseworker,
                "district": decision.district,
                "appeal_deadline": appeal_deadline,
                "appeal_address": appeal_address_lines(decision.district),
                "city": settings.FOLJA_CITY_NAME,
                "issued_on": local_today(),
            },
        )


def appeal_address_lines(district) -> list[str]:
    """Where the appeal is sent: the district's address from the reference data, else its name
    and municipality (a letter never leaves the person without a recipient)."""
    lines = [line.strip() for line in (district.appeal_address or "").splitlines()]
    lines = [line for line in lines if line]
    return lines or [district.name, district.municipality]


# The letter links its stylesheet by its static URL (so the HTML view is styled too); the PDF
# renderer resolves that link against this made-up origin and reads the file from disk.
BASE_URL = "https://letters.folja.invalid/"


def _static_path(url: str) -> str | None:
    prefix = BASE_URL.rstrip("/") + "/" + settings.STATIC_URL.strip("/") + "/"
    return finders.find(url[len(prefix) :]) if url.startswith(prefix) else None


def render_letter_pdf(html: str) -> bytes:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Static files from disk; nothing else. No network at run time, and a letter must
        not depend on anything outside the project."""

        def fetch(self, url, headers=None):
            path = _static_path(url)
            if path is None:
                raise ValueError(f"letters fetch nothing but their own stylesheet: {url}")
            return URLFetcherResponse(
                url, body=Path(path).read_bytes(), headers={"Content-Type": "text/css"}
            )

    return html_to_pdf(html, base_url=BASE_URL, url_fetcher=LocalFetcher())
