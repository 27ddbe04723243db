"""Codes in words on a page: `{{ code|band_label }}`, `{{ code|reason_label }}`, … Each filter
asks the one place its code family is labelled (the ledger's REASON_LABELS/REASON_TEXTS, the
TimeBand choices, the access log's labels), so a page never shows `exceeds_grant` or `evening`
where a person reads it. Files and the API keep the codes."""

from __future__ import annotations

from django import template

from folja.audit.labels import access_kind_label
from folja.audit.labels import role_label as _role_label
from folja.guidelines.models import TimeBand
from folja.ledger.payable import reason_label as _reason_label
from folja.ledger.payable import reason_text as _reason_text

register = template.Library()


@register.filter
def band_label(code: str) -> str:
    return str(TimeBand(code).label) if code in TimeBand.values else code


@register.filter
def reason_label(code: str) -> str:
    return _reason_label(code)


@register.filter
def reason_text(code: str) -> str:
    return _reason_text(code)


@register.filter
def access_kind(code: str) -> str:
    return access_kind_label(code)


@register.filter
def role_label(code: str) -> str:
    return _role_label(code)
