"""A lost database connection answers 503 "Tjänsten är tillfälligt otillgänglig" with
`Retry-After`, never a 500 traceback, and the next request after the database is back succeeds
(connections are health-checked at request start, settings.DATABASES). Under /api/ the answer is
the API's own error shape, `{"errors": [{field, code, message}]}`, so a client parses it like any
other error.

Covered: a database error raised by a view or while its template renders (the view middleware's
`process_exception`: Django passes a lazily rendered TemplateResponse's errors there too), and one
raised inside any other middleware (the signal below, then the outermost middleware)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("folja.availability")

DB_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = "30"
API_PREFIX = "/api/"


def unavailable_response(request: HttpRequest | None = None) -> HttpResponse:
    if request is not None and request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            {
                "errors": [
                    {
                        "field": None,
                        "code": "database_unavailable",
                        "message": _(
                            "Följa kan inte nå sin databas just nu. Försök igen om en liten stund."
                        ),
                    }
                ]
            },
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        # Rendered without a request: context processors (user, session, messages) would need
        # the very database that is gone.
        response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    response["Cache-Control"] = "no-store"
    return response


def _flag_database_error(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Django converts an exception raised inside a middleware into a 500 response before the
    outer middleware sees it; this signal handler runs while the exception is being handled,
    so it can tell the outer middleware that the cause was the database."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DB_ERRORS):
        request.folja_database_unavailable = True


got_request_exception.connect(_flag_database_error, dispatch_uid="folja_database_unavailable")


class DatabaseUnavailableMiddleware:
    """Outermost: replaces the 500 produced by a database error anywhere inside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DB_ERRORS:
            logger.warning("database unavailable: %s", request.path, exc_info=True)
            return unavailable_response(request)
        if response.status_code == 500 and getattr(request, "folja_database_unavailable", False):
            return unavailable_response(request)
        return response


class DatabaseUnavailableViewMiddleware:
    """Innermost: a view that loses the database answers 503 directly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DB_ERRORS):
            logger.warning("database unavailable: %s", request.path, exc_info=exception)
            return unavailable_response(request)
        return None
