from __future__ import annotations

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from folja.accounts.models import Role
from folja.accounts.reauth import REAUTH_SESSION_KEY, reauth_required
from folja.audit.models import AuditEvent
from folja.testing.factories import make_user

pytestmark = pytest.mark.django_db
LOGIN = "/konto/login/"


def _token(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def test_a_user_logs_in_with_the_right_password_and_lands_on_home(client):
    user = make_user(Role.ANALYST)
    response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert REAUTH_SESSION_KEY in client.session


def test_a_wrong_password_shows_a_swedish_error_and_does_not_log_in(client):
    user = make_user(Role.ANALYST)
    response = client.post(LOGIN, {"username": user.username, "password": "fel"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Fel användarnamn eller lösenord" in response.content.decode()


def test_five_failures_lock_the_login_even_for_the_right_password(client):
    user = make_user(Role.CASEWORKER)
    for _ in range(5):
        client.post(LOGIN, {"username": user.username, "password": "fel"})
    response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response.status_code == 429
    assert "Inloggningen är spärrad" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_the_login(client):
    user = make_user(Role.CASEWORKER)
    for _ in range(4):
        client.post(LOGIN, {"username": user.username, "password": "fel"})
    response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response.status_code == 302


def test_the_lockout_of_one_user_does_not_lock_another(client):
    victim, other = make_user(Role.CASEWORKER), make_user(Role.CASEWORKER)
    for _ in range(6):
        client.post(LOGIN, {"username": victim.username, "password": "fel"})
    response = client.post(LOGIN, {"username": other.username, "password": "demo"})
    assert response.status_code == 302


def test_the_test_client_login_helper_still_works_with_axes_installed(client):
    user = make_user(Role.ANALYST)
    assert client.login(username=user.username, password="demo")


def test_an_offsite_next_parameter_is_ignored(client):
    user = make_user(Role.ANALYST)
    response = client.post(
        LOGIN, {"username": user.username, "password": "demo", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Följa", confirmed=True)


def test_staff_with_a_totp_device_are_not_logged_in_before_the_code(client):
    user = make_user(Role.CASEWORKER)
    device = _enrolled(user)
    response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response["Location"] == reverse("otp_verify")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("otp_verify"), {"token": "000000"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.throttle_reset()  # as if the throttle's wait had passed
    response = client.post(reverse("otp_verify"), {"token": _token(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["otp_device_id"] == device.persistent_id


def test_the_code_step_without_a_password_step_goes_back_to_login(client):
    response = client.get(reverse("otp_verify"))
    assert response["Location"] == reverse("login")


def test_a_pending_code_step_expires_after_five_minutes(client):
    user = make_user(Role.CASEWORKER)
    device = _enrolled(user)
    client.post(LOGIN, {"username": user.username, "password": "demo"})
    session = client.session
    session["folja_otp_pending_at"] = int(time.time()) - 301
    session.save()
    response = client.post(reverse("otp_verify"), {"token": _token(device)})
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_staff_enrol_a_totp_device_by_scanning_a_qr_code_and_confirming_a_code(client):
    user = make_user(Role.UNIT_MANAGER)
    client.force_login(user)
    client.post(reverse("otp_setup"), {"action": "start"})
    page = client.get(reverse("otp_setup")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert "<script" not in page.split("</head>")[1]
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    response = client.post(reverse("otp_setup"), {"action": "confirm", "token": "12345x"})
    assert "Koden är sex siffror" in response.content.decode()
    client.post(reverse("otp_setup"), {"action": "confirm", "token": _token(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="totp_enrolled", user=user).exists()


def test_a_person_has_no_totp_enrolment_page(client):
    client.force_login(make_user(Role.PERSON))
    assert client.get(reverse("otp_setup")).status_code == 404


@reauth_required(max_age_seconds=300)
def _sensitive(request):
    return HttpResponse("done")


def _request_with_session(client, user, auth_age: float | None):
    client.force_login(user)
    session = client.session
    if auth_age is not None:
        session[REAUTH_SESSION_KEY] = int(time.time() - auth_age)
    session.save()
    request = RequestFactory().get("/sensitive/?x=1")
    request.user = user
    request.session = session
    return request


def test_reauth_required_lets_a_fresh_login_through(client):
    user = make_user(Role.CASEWORKER)
    assert _sensitive(_request_with_session(client, user, 10)).content == b"done"


def test_reauth_required_sends_a_stale_login_to_confirm_the_password(client):
    user = make_user(Role.CASEWORKER)
    response = _sensitive(_request_with_session(client, user, 301))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauth"))
    assert "next=%2Fsensitive%2F%3Fx%3D1" in response["Location"]


def test_reauth_required_treats_a_session_without_a_login_time_as_stale(client):
    user = make_user(Role.CASEWORKER)
    response = _sensitive(_request_with_session(client, user, None))
    assert response["Location"].startswith(reverse("reauth"))


def test_confirming_the_password_renews_the_window_and_returns_to_the_page(client):
    user = make_user(Role.CASEWORKER)
    client.force_login(user)
    url = reverse("reauth") + "?next=/sensitive/"
    response = client.post(url, {"password": "fel", "next": "/sensitive/"})
    assert "Lösenordet stämmer inte" in response.content.decode()
    assert REAUTH_SESSION_KEY not in client.session
    response = client.post(url, {"password": "demo", "next": "/sensitive/"})
    assert response["Location"] == "/sensitive/"
    assert time.time() - client.session[REAUTH_SESSION_KEY] < 5


def test_confirming_needs_the_totp_code_too_when_the_user_has_a_device(client):
    user = make_user(Role.CASEWORKER)
    device = _enrolled(user)
    client.force_login(user)
    response = client.post(reverse("reauth"), {"password": "demo", "next": "/x/"})
    assert "Koden stämmer inte" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        reverse("reauth"), {"password": "demo", "token": _token(device), "next": "/x/"}
    )
    assert response["Location"] == "/x/"


def test_an_over_long_username_is_refused_by_the_form_not_with_a_500(client):
    response = client.post(LOGIN, {"username": "9" * 400, "password": "x"})
    assert response.status_code == 200
    assert "Användarnamnet är för långt" in response.content.decode()
