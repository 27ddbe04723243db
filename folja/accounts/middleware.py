"""Idle timeout without a database write on every request.

A session ends after SESSION_COOKIE_AGE seconds without activity. Django's way to make the
timeout slide, SESSION_SAVE_EVERY_REQUEST, rewrites the session row on every page view, which
under load costs a transaction per request. This middleware renews the session only when the
last renewal is older than FOLJA_SESSION_RENEW_SECONDS, so the session lives between
SESSION_COOKIE_AGE − FOLJA_SESSION_RENEW_SECONDS and SESSION_COOKIE_AGE after the last request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from folja.core import clock

RENEWED_KEY = "_folja_renewed"


class SlidingSessionMiddleware:
    """After SessionMiddleware; marks the session modified when it is due for renewal, and
    SessionMiddleware then saves it with a new expiry and re-sends the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only sessions with content (a login) are worth keeping alive; an anonymous visitor's
        # empty session is never created by us.
        if session is not None and not session.is_empty() and session.keys() - {RENEWED_KEY}:
            now = clock.now().timestamp()
            if now - session.get(RENEWED_KEY, 0) >= settings.FOLJA_SESSION_RENEW_SECONDS:
                session[RENEWED_KEY] = now
        return response
