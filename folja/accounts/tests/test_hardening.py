from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from folja.accounts.models import Role
from folja.config.middleware import (
    DatabaseUnavailableMiddleware,
    DatabaseUnavailableViewMiddleware,
    _flag_database_error,
)
from folja.testing.factories import make_user

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/konto/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_login_page_has_no_inline_script_or_style(client):
    html = client.get("/konto/login/").content.decode()
    assert "<script>" not in html and "style=" not in html and " onclick" not in html


# A <script> without src runs inline, unless it is a data block (type="application/json").
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_STYLE_OR_HANDLER = re.compile(r"<[a-z][^>]*\s(style|on[a-z]+)\s*=", re.I)


def test_no_template_in_the_project_has_inline_scripts_styles_or_handlers():
    offenders = []
    for path in (ROOT / "folja").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE_OR_HANDLER):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)[:60]}")
    assert offenders == [], "inline script/style breaks the CSP: " + ", ".join(offenders)


def test_sessions_time_out_and_cookies_are_http_only():
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert "folja.accounts.middleware.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "FOLJA_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "folja.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    env.pop("DEBUG", None)
    # Set by the browser fixtures for their own process when they ran first on this worker;
    # a production process never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "folja", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_send_hsts_and_secure_cookies(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = {
        **os.environ,
        "FOLJA_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "folja.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "folja.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True", "False"], result.stderr


@pytest.mark.django_db
def test_a_view_that_loses_the_database_answers_a_clean_503(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "Tjänsten är tillfälligt otillgänglig" in response.content.decode()
    assert response["Retry-After"]
    assert "Traceback" not in response.content.decode()


def test_the_view_middleware_turns_interface_errors_into_503_and_leaves_others_alone():
    middleware = DatabaseUnavailableViewMiddleware(lambda r: HttpResponse())
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, InterfaceError("gone")).status_code == 503
    assert middleware.process_exception(request, ValueError("bug")) is None


def test_a_database_error_inside_another_middleware_becomes_503_not_500():
    request = RequestFactory().get("/")

    def inner(req):
        # What Django does when a middleware raises: signal, then a 500 response.
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            _flag_database_error(None, request=req)
        return HttpResponse("Traceback ...", status=500)

    response = DatabaseUnavailableMiddleware(inner)(request)
    assert response.status_code == 503


def test_an_ordinary_500_stays_a_500():
    request = RequestFactory().get("/")
    response = DatabaseUnavailableMiddleware(lambda r: HttpResponse(status=500))(request)
    assert response.status_code == 500


@pytest.mark.django_db
def test_an_unknown_url_answers_404_for_anonymous_and_logged_in_alike(client):
    assert client.get("/finns-inte/").status_code == 404
    client.force_login(make_user(Role.ANALYST))
    assert client.get("/finns-inte/").status_code == 404
