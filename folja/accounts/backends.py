"""Lockout in front of the password check (django-axes), the password check itself, and the one
rule every way of logging in shares: a demo account (`User.is_demo`) never logs in when
FOLJA_ENV=production, whatever the database holds (a demo city seeded into, or restored onto,
a production database must not open the door with its published passwords)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# Set on the request when a login was refused for being a demo account, so the login form can
# say why instead of "wrong password" (the password was right).
LOGIN_REFUSED_ATTR = "folja_login_refused"
DEMO_REFUSED_MESSAGE = _(
    "Demokonton kan inte användas för att logga in i produktionsmiljön. "
    "Logga in med ditt eget konto."
)


class DemoAccountRefused(PermissionDenied):
    """Raised by a backend: Django's `authenticate()` then stops trying other backends."""


def demo_login_refused(user) -> bool:
    return settings.FOLJA_ENV == "production" and bool(getattr(user, "is_demo", False))


def refuse_demo_login(request: HttpRequest | None) -> None:
    if request is not None:
        setattr(request, LOGIN_REFUSED_ATTR, DEMO_REFUSED_MESSAGE)
    raise DemoAccountRefused(str(DEMO_REFUSED_MESSAGE))


def demo_token_refused(token) -> bool:
    """An API token issued by a demo account is a demo credential too."""
    return (
        settings.FOLJA_ENV == "production"
        and token.created_by_id is not None
        and demo_login_refused(token.created_by)
    )


class LockoutBackend(AxesStandaloneBackend):
    """axes' standalone backend, except that an `authenticate()` call without a request (the
    test client's `login()`, a shell session) is passed on rather than refused: lockout is
    about requests from the network, and every network login path (the login form, OIDC)
    passes its request. Without this, axes raises `AxesBackendRequestParameterRequired`."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PasswordBackend(ModelBackend):
    """Django's username and password check, refusing demo accounts in production. The refusal
    comes after the password check, so it tells nothing to someone without the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and demo_login_refused(user):
            refuse_demo_login(request)
        return user

    def get_user(self, user_id):
        # A session a demo account already holds (from before the switch to production, or in
        # a restored database) ends at its next request.
        user = super().get_user(user_id)
        return None if user is not None and demo_login_refused(user) else user
