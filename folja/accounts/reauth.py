"""Re-authentication for sensitive actions: `@reauth_required(max_age_seconds=300)` sends a user
whose last login or confirmation is older than that to confirm their password (and TOTP code,
if they have one) before the action runs.

A POST that arrives stale is not replayed after confirmation (its body is not kept): the user
comes back to the page and submits again, now within the window.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

REAUTH_SESSION_KEY = "folja_auth_at"


def mark_authenticated(request: HttpRequest) -> None:
    """Call on every successful login or confirmation."""
    request.session[REAUTH_SESSION_KEY] = int(time.time())


def seconds_since_authentication(request: HttpRequest) -> float:
    at = request.session.get(REAUTH_SESSION_KEY)
    if not isinstance(at, int | float):
        return float("inf")
    return time.time() - at


def reauth_required(max_age_seconds: int = 300) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if seconds_since_authentication(request) > max_age_seconds:
                target = request.get_full_path() if request.method == "GET" else request.path
                return redirect(f"{reverse('reauth')}?{urlencode({'next': target})}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
