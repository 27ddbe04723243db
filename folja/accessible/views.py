"""The guide (open to everyone: it holds no personal data) and the person's own statement, each
shown as a page and downloadable in every format."""

from __future__ import annotations

import subprocess
from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from folja.accessible.braille import BrailleError
from folja.accessible.daisy import DaisyError
from folja.accessible.formats import FORMATS, filename
from folja.accessible.formats import render as render_format
from folja.accessible.guide import guide_document
from folja.accessible.pictograms import ALT_TEXT, LICENCE, static_path
from folja.accessible.statement import statement_document
from folja.accounts.models import Role
from folja.audit.services import log_access
from folja.core.permissions import role_required
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


def _pictos(document) -> list[dict]:
    return [
        {
            "section": s,
            "pictos": [{"src": static_path(k), "alt": ALT_TEXT[k]} for k in s.pictograms],
        }
        for s in document.sections
    ]


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    document = guide_document(on=_today(), city=settings.FOLJA_CITY_NAME)
    return render(
        request,
        "accessible/guide.html",
        {"doc": document, "sections": _pictos(document), "formats": FORMATS, "licence": LICENCE},
    )


@require_GET
def guide_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    today = _today()
    try:
        content = render_format(
            lambda: guide_document(on=today, city=settings.FOLJA_CITY_NAME), fmt
        )
    except GENERATOR_ERRORS:
        return _unavailable(request)
    return _download(content, fmt, filename("guide", fmt))


@role_required(Role.PERSON, Role.REPRESENTATIVE)
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    person = active_person(request)
    log_access(user=request.user, person=person, what="accessible_statement", path=request.path)
    document = statement_document(user=request.user, person=person, on=_today())
    return render(
        request,
        "accessible/statement.html",
        {
            "doc": document,
            "sections": _pictos(document),
            "formats": FORMATS,
            "person": person,
            "licence": LICENCE,
        },
    )


@role_required(Role.PERSON, Role.REPRESENTATIVE)
@require_GET
def statement_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    person = active_person(request)
    log_access(
        user=request.user, person=person, what=f"accessible_statement_{fmt}", path=request.path
    )
    user, today = request.user, _today()
    try:
        content = render_format(lambda: statement_document(user=user, person=person, on=today), fmt)
    except GENERATOR_ERRORS:
        return _unavailable(request)
    return _download(content, fmt, filename(f"mina-timmar-{today.isoformat()}", fmt))
