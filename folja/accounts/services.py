"""Writes for accounts: TOTP enrolment. Each records itself in the audit trail."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from folja.accounts.models import User
from folja.audit.services import audit_record

DEVICE_NAME = "Följa"


class InvalidToken(ValueError):
    pass


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed device (a new secret) for the enrolment page. An earlier unconfirmed
    one is replaced, so an abandoned QR code stops working."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    audit_record(user=user, action="totp_enrolment_started", obj=device)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).last()
    if device is None or not device.verify_token(token):
        raise InvalidToken
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One confirmed device per user: the new one replaces any earlier phone.
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    audit_record(user=user, action="totp_enrolled", obj=device)
    return device


@transaction.atomic
def totp_device_remove(*, user: User) -> None:
    for device in TOTPDevice.objects.filter(user=user):
        audit_record(user=user, action="totp_removed", obj=device)
        device.delete()


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
