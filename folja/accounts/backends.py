"""Lockout in front of the password check (django-axes)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """axes' standalone backend, except that an `authenticate()` call without a request (the
    test client's `login()`, a shell session) is passed on rather than refused: lockout is
    about requests from the network, and every network login path (the login form, OIDC)
    passes its request. Without this, axes raises `AxesBackendRequestParameterRequired`."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
