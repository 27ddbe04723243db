"""The guide (open to everyone: it holds no personal data) and the person's own statement, each
shown as a page and downloadable in every format."""

from __future__ import annotations

import subprocess
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from folja.accessible import services
from folja.accessible.braille import DEFAULT_GRADE, BrailleError
from folja.accessible.daisy import DaisyError
from folja.accessible.formats import FORMATS, filename
from folja.accessible.formats import render as render_format
from folja.accessible.forms import FormatPreferencesForm
from folja.accessible.guide import guide_document
from folja.accessible.opens import GUIDE, STATEMENT, record_open
from folja.accessible.pictograms import ATTRIBUTION, PICTOGRAMS, static_path
from folja.accessible.statement import statement_document
from folja.accounts.models import Role
from folja.core.permissions import role_required
from folja.people.models import BrailleGrade
from folja.portal.selectors import active_person

GENERATOR_ERRORS = (BrailleError, DaisyError, OSError, subprocess.SubprocessError)


def _today() -> date:
    return date.today()


def _unavailable(request: HttpRequest) -> HttpResponse:
    # liblouis or espeak-ng missing or failing is an installation fault, not the user's: say
    # so plainly instead of a 500.
    return render(request, "accessible/unavailable.html", status=503)


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _grade(request: HttpRequest, default: str) -> str:
    """The braille grade asked for in `?grade=`, else `default`; an unknown one is a 404 like
    an unknown format."""
    grade = request.GET.get("grade") or default
    if grade not in BrailleGrade.values:
        raise Http404
    return grade


# The person's preferred format (Person.preferred_format) -> the download that is that format.
PREFERRED_DOWNLOAD = {"plain": "html", "pictogram": "pictogram", "braille": "brf", "daisy": "daisy"}


def _downloads(url_name: str, person=None) -> list[dict]:
    """One link per format, braille once per grade; the person's own choice of format (and of
    braille grade) is marked."""
    chosen = PREFERRED_DOWNLOAD.get(person.preferred_format) if person is not None else None
    links: list[dict] = []
    for key, f in FORMATS.items():
        url = reverse(url_name, args=[key])
        if key != "brf":
            links.append({"url": url, "label": f.label, "chosen": key == chosen})
            continue
        for grade, grade_label in BrailleGrade.choices:
            links.append(
                {
                    "url": f"{url}?grade={grade}",
                    "label": _("Punktskrift, %(grade)s (.brf)") % {"grade": grade_label.lower()},
                    "chosen": chosen == "brf" and grade == person.braille_grade,
                }
            )
    return links


def _picto(key: str) -> dict:
    return {"key": key, "src": static_path(key), "alt": PICTOGRAMS[key].alt}


def _pictos(document) -> list[dict]:
    """Each section with its symbols, and each line with its key phrase's symbol if it has one."""
    return [
        {
            "section": s,
            "pictos": [_picto(k) for k in s.pictograms],
            "lines": [
                {"text": text, "picto": _picto(key) if key else None}
                for text, key in s.lines_with_pictograms()
            ],
        }
        for s in document.sections
    ]


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    record_open(request=request, document=GUIDE)
    document = guide_document(on=_today(), city=settings.FOLJA_CITY_NAME)
    return render(
        request,
        "accessible/guide.html",
        {
            "doc": document,
            "sections": _pictos(document),
            "downloads": _downloads("accessible:guide_download"),
            "attribution": ATTRIBUTION,
        },
    )


@require_GET
def guide_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    today = _today()
    grade = _grade(request, DEFAULT_GRADE)
    record_open(request=request, document=GUIDE, fmt=fmt)
    try:
        content = render_format(
            lambda: guide_document(on=today, city=settings.FOLJA_CITY_NAME),
            fmt,
            braille_grade=grade,
        )
    except GENERATOR_ERRORS:
        return _unavailable(request)
    return _download(content, fmt, filename("guide", fmt, braille_grade=grade))


@role_required(Role.PERSON, Role.REPRESENTATIVE)
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    person = active_person(request)
    record_open(request=request, document=STATEMENT, person=person)
    document = statement_document(user=request.user, person=person, on=_today())
    form = FormatPreferencesForm(
        initial={"preferred_format": person.preferred_format, "braille_grade": person.braille_grade}
    )
    return _statement_page(request, person, document, form)


def _statement_page(request, person, document, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accessible/statement.html",
        {
            "doc": document,
            "sections": _pictos(document),
            "downloads": _downloads("accessible:statement_download", person),
            "person": person,
            "form": form,
            "attribution": ATTRIBUTION,
        },
        status=status,
    )


@role_required(Role.PERSON, Role.REPRESENTATIVE)
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """The person chooses their format and braille grade where they download the formats."""
    person = active_person(request)
    form = FormatPreferencesForm(request.POST)
    if not form.is_valid():
        record_open(request=request, document=STATEMENT, person=person)
        document = statement_document(user=request.user, person=person, on=_today())
        return _statement_page(request, person, document, form, status=400)
    services.format_preferences_set(
        user=request.user,
        person=person,
        preferred_format=form.cleaned_data["preferred_format"],
        braille_grade=form.cleaned_data["braille_grade"],
    )
    messages.success(request, _("Ditt val är sparat."))
    return redirect("accessible:statement")


@role_required(Role.PERSON, Role.REPRESENTATIVE)
@require_GET
def statement_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    person = active_person(request)
    record_open(request=request, document=STATEMENT, person=person, fmt=fmt)
    user, today = request.user, _today()
    grade = _grade(request, person.braille_grade)
    try:
        content = render_format(
            lambda: statement_document(user=user, person=person, on=today),
            fmt,
            braille_grade=grade,
        )
    except GENERATOR_ERRORS:
        return _unavailable(request)
    name = filename(f"mina-timmar-{today.isoformat()}", fmt, braille_grade=grade)
    return _download(content, fmt, name)
