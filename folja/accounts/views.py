"""Login: password (locked out after five failures by django-axes), then a TOTP code for staff
who have enrolled a device; e-ID / SITHS by OIDC; re-authentication for sensitive actions."""

from __future__ import annotations

import base64
import io
import time

import qrcode
import qrcode.image.svg
import requests
from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from folja.accounts import services
from folja.accounts.forms import LoginForm, PasswordConfirmForm, TokenForm
from folja.accounts.models import Role
from folja.accounts.oidc import (
    ID_TOKEN_SESSION_KEY,
    FoljaOIDCCallbackView,
    FoljaOIDCRequestView,
    IdTokenRejected,
    IdTokenSignatureInvalid,
    ProviderUnavailable,
    end_session_url,
    oidc_configured,
)
from folja.accounts.reauth import mark_authenticated

PENDING_USER = "folja_otp_pending_user"
PENDING_BACKEND = "folja_otp_pending_backend"
PENDING_AT = "folja_otp_pending_at"
PENDING_NEXT = "folja_otp_pending_next"
PENDING_SECONDS = 300
NON_STAFF_ROLES = {Role.PERSON, Role.REPRESENTATIVE}


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if user.role not in NON_STAFF_ROLES and services.confirmed_totp_device(user):
            # Not logged in yet: the second factor comes first.
            request.session.cycle_key()
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend
            request.session[PENDING_AT] = int(time.time())
            request.session[PENDING_NEXT] = next_url
            return redirect("otp_verify")
        login(request, user)
        mark_authenticated(request)
        return redirect(_safe_next(request, next_url))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "oidc_enabled": oidc_configured()},
    )


@sensitive_post_parameters("token")
@never_cache
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        for key in (PENDING_USER, PENDING_BACKEND, PENDING_AT, PENDING_NEXT):
            request.session.pop(key, None)
        return redirect("login")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    device = services.confirmed_totp_device(user) if user else None
    if device is None:
        return redirect("login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after each wrong code: guessing takes forever.
            form.add_error("token", _("För många felaktiga koder. Vänta en minut och försök igen."))
        elif device.verify_token(form.cleaned_data["token"].strip()):
            next_url = request.session.get(PENDING_NEXT, "")
            backend = request.session.get(PENDING_BACKEND)
            for key in (PENDING_USER, PENDING_BACKEND, PENDING_AT, PENDING_NEXT):
                request.session.pop(key, None)
            login(request, user, backend=backend)
            otp_login(request, device)
            mark_authenticated(request)
            return redirect(_safe_next(request, next_url))
        form.add_error("token", _("Koden stämmer inte. Vänta på nästa kod och försök igen."))
    return render(request, "accounts/otp_verify.html", {"form": form})


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    # An <img> with a data: URI keeps the page free of inline SVG and within the CSP.
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@login_required
@never_cache
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    if request.user.role in NON_STAFF_ROLES:
        raise Http404
    confirmed = services.confirmed_totp_device(request.user)
    if request.method == "POST" and request.POST.get("action") == "start":
        services.totp_device_start(user=request.user)
        return redirect("otp_setup")
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.totp_device_remove(user=request.user)
        return redirect("otp_setup")
    form = TokenForm(request.POST if request.method == "POST" else None)
    pending = request.user.totpdevice_set.filter(confirmed=False).last()
    if request.method == "POST" and pending is not None and form.is_valid():
        try:
            device = services.totp_device_confirm(
                user=request.user, token=form.cleaned_data["token"].strip()
            )
        except services.InvalidToken:
            form.add_error("token", _("Koden stämmer inte. Kontrollera klockan i telefonen."))
        else:
            otp_login(request, device)
            return redirect("otp_setup")
    context = {"confirmed": confirmed, "pending": pending, "form": form}
    if pending is not None:
        context["qr_data_uri"] = _qr_data_uri(pending.config_url)
        context["secret"] = base64.b32encode(pending.bin_key).decode("ascii")
    return render(request, "accounts/otp_setup.html", context)


@sensitive_post_parameters("password", "token")
@login_required
@never_cache
def reauth_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    user = request.user
    device = services.confirmed_totp_device(user) if user.role not in NON_STAFF_ROLES else None
    form = PasswordConfirmForm(request.POST or None)
    if device is None:
        # No second factor: the code field is neither shown nor validated.
        del form.fields["token"]
    if request.method == "POST" and form.is_valid():
        ok = user.has_usable_password() and user.check_password(form.cleaned_data["password"])
        if not ok:
            form.add_error("password", _("Lösenordet stämmer inte."))
        elif device is not None and not device.verify_token(
            (form.cleaned_data.get("token") or "").strip()
        ):
            form.add_error("token", _("Koden stämmer inte."))
        else:
            mark_authenticated(request)
            return redirect(_safe_next(request, next_url))
    return render(
        request,
        "accounts/reauth.html",
        {
            "form": form,
            "next": next_url,
            "needs_token": device is not None,
            "has_password": user.has_usable_password(),
            "oidc_enabled": oidc_configured(),
        },
    )


def _oidc_failed(request: HttpRequest, *, status: int, signature: bool) -> HttpResponse:
    return render(
        request,
        "accounts/oidc_failed.html",
        {"signature": signature, "unavailable": status >= 500},
        status=status,
    )


@never_cache
def oidc_start_view(request: HttpRequest) -> HttpResponse:
    if not oidc_configured():
        raise Http404
    try:
        return FoljaOIDCRequestView.as_view()(request)
    except ProviderUnavailable:
        return _oidc_failed(request, status=503, signature=False)


@never_cache
def oidc_callback_view(request: HttpRequest) -> HttpResponse:
    if not oidc_configured():
        raise Http404
    try:
        return FoljaOIDCCallbackView.as_view()(request)
    except IdTokenSignatureInvalid:
        return _oidc_failed(request, status=400, signature=True)
    except IdTokenRejected:
        return _oidc_failed(request, status=400, signature=False)
    except ProviderUnavailable:
        return _oidc_failed(request, status=503, signature=False)
    except requests.RequestException:
        # The token or userinfo request failed: a provider fault or a client registered
        # differently (another client authentication method, say) from Följa's settings.
        return _oidc_failed(request, status=502, signature=False)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out of Följa and, after an e-ID login, out of the identity provider too: otherwise
    its session would log the same person straight back in at the next e-ID click (on a
    shared computer, anyone's click)."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    logout(request)
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if id_token and oidc_configured():
        provider_logout = end_session_url(
            id_token=id_token, post_logout_redirect_uri=request.build_absolute_uri(after)
        )
        if provider_logout:
            # A page that moves on by itself rather than a redirect: the CSP's form-action
            # 'self' also covers redirects after a form post, so a browser would stop a 302
            # from the logout form to the provider.
            return render(
                request, "accounts/oidc_logout.html", {"provider_logout": provider_logout}
            )
    return redirect(after)
