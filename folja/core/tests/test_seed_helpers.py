"""Helpers (no tests) for the seed/stats tests: a digest of the seeded data and cleanup."""

from __future__ import annotations

import hashlib

from folja.cases.models import Decision
from folja.delivery.models import Session
from folja.guidelines.models import GuidelineVersion, LegalBasis, LifeArea, LovRate
from folja.people.models import District, Person
from folja.simulation.models import PilotMember

TODAY = "2026-11-23"


def data_digest() -> str:
    """A digest of the key fields, without database ids (they continue across --replace)."""
    h = hashlib.sha256()
    for row in Person._base_manager.order_by("pseudonym").values_list(
        "pseudonym",
        "personnummer",
        "first_name",
        "last_name",
        "birth_date",
        "sex",
        "district__code",
        "protected_identity",
    ):
        h.update(repr(row).encode())
    for row in Decision._base_manager.order_by("person__pseudonym", "decided_on", "id").values_list(
        "person__pseudonym",
        "decided_on",
        "outcome",
        "hours_per_month",
        "valid_from",
        "valid_to",
        "model",
        "legal_basis__reference",
    ):
        h.update(repr(row).encode())
    for row in Session._base_manager.order_by("person__pseudonym", "start", "id").values_list(
        "person__pseudonym",
        "start",
        "end",
        "status",
        "escorts",
        "provider__org_number",
        "charged_minutes",
        "payable_minutes",
        "payment_sek",
        "flags",
        "period_start",
    ):
        h.update(repr(row).encode())
    for row in PilotMember.objects.order_by("person__pseudonym").values_list(
        "group__district__code", "group__starts_on", "person__pseudonym", "role", "stratum"
    ):
        h.update(repr(row).encode())
    from folja.questions.models import Question

    for row in Question.objects.order_by("asked_at", "text").values_list(
        "activity__code",
        "text",
        "asked_at",
        "asked_by__username",
        "district__code",
        "answered_at",
        "published",
        "ruling__version",
        "ruling__valid_from",
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def remove_seeded_data() -> None:
    """Leave the test database as other tests expect it: no persons, districts or reference."""
    from folja.core.seed.runner import _replace

    _replace()
    District.objects.all().delete()
    for model in (GuidelineVersion, LovRate, LegalBasis, LifeArea):
        model.objects.all().delete()
