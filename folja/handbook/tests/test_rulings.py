"""The catalogue's rulings are versioned like guidelines: a published ruling is never edited,
a new version replaces it and closes it; the analyst drafts and publishes on the handbook pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from folja.accounts.models import Role
from folja.audit.models import AuditEvent
from folja.handbook import selectors, services
from folja.handbook.models import Ruling, RulingKind, RulingStatus
from folja.testing.factories import make_user
from folja.testing.factories_handbook import RulingFactory

pytestmark = pytest.mark.django_db


def _draft(user, activity, **overrides):
    args = {
        "kind": RulingKind.CASE_BY_CASE,
        "conditions": "Resan är planerad i förväg.",
        "reasoning": "Vi bedömer varje resa för sig.",
        "legal_references": ["sol_assistance"],
        "valid_from": date(2026, 3, 1),
    } | overrides
    return services.draft_ruling(user=user, activity=activity, **args)


def test_publishing_a_new_version_closes_the_old_one_the_day_before_without_editing_it():
    analyst = make_user(Role.ANALYST)
    old = RulingFactory(kind=RulingKind.NOT_COVERED, valid_from=date(2024, 1, 1))
    new = _draft(analyst, old.activity)
    assert new.version == 2 and new.replaces == old and new.status == RulingStatus.DRAFT
    services.publish_ruling(user=analyst, ruling=new)
    old.refresh_from_db()
    assert old.valid_to == date(2026, 2, 28)
    assert old.kind == RulingKind.NOT_COVERED and old.reasoning == "Aktiviteten ingår i ledsagning."
    caseworker = make_user(Role.CASEWORKER)
    assert (
        selectors.ruling_in_force(user=caseworker, activity=old.activity, on=date(2026, 2, 28))
        == old
    )
    assert (
        selectors.ruling_in_force(user=caseworker, activity=old.activity, on=date(2026, 3, 1))
        == new
    )
    assert AuditEvent.objects.filter(
        action="handbook.ruling.publish", object_id=str(new.pk)
    ).exists()


def test_a_published_ruling_cannot_be_published_again():
    ruling = RulingFactory()
    with pytest.raises(ValidationError) as exc:
        services.publish_ruling(user=make_user(Role.ANALYST), ruling=ruling)
    assert exc.value.error_dict["status"][0].code == "published"


def test_a_new_version_must_start_after_the_one_it_replaces():
    old = RulingFactory(valid_from=date(2026, 5, 1))
    with pytest.raises(ValidationError) as exc:
        _draft(make_user(Role.ANALYST), old.activity, valid_from=date(2026, 5, 1))
    assert exc.value.error_dict["valid_from"][0].code == "not_after_replaced"


def test_drafts_are_seen_by_the_central_administration_only():
    draft = RulingFactory(status=RulingStatus.DRAFT)
    assert draft in Ruling.objects.visible_to(make_user(Role.ANALYST))
    assert draft not in Ruling.objects.visible_to(make_user(Role.CASEWORKER))


def test_a_legal_reference_is_shown_as_the_text_in_force_on_the_day():
    ruling = RulingFactory(legal_references=["sol_assistance", "lss_escort"])
    assert selectors.legal_reference_texts(ruling, date(2025, 6, 30)) == [
        "SoL 4 kap. 1 §",
        "LSS 9 § 3",
    ]
    assert (
        selectors.legal_reference_texts(ruling, date(2025, 7, 1))[0] == "SoL (2025:400) 11 kap. 1 §"
    )
