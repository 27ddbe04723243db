"""Saving guideline versions and LOV rates: bad input refused by field and code, a version in
force never changed, and every save that moves a figure queues a recalculation from its date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from folja.audit.models import AuditEvent
from folja.guidelines import services
from folja.guidelines.models import GuidelineVersion, LovRate
from folja.guidelines.reference import load_reference_data
from folja.ledger.models import RecalculationRun, RecalculationTrigger
from folja.testing.factories import DecisionFactory


def version_fields(**overrides):
    fields = {
        "name": "Riktlinjer 2027",
        "valid_from": date(2027, 6, 1),
        "model": "flex3",
        "period_anchor": "decision_start",
        "late_cancellation_cutoff_hours": 48,
        "expense_allowance_per_month": Decimal("350.00"),
        "costly_activity_yearly_ceiling": Decimal("3000.00"),
        "free_review_threshold": Decimal("2.0"),
        "reporting_deadline_days": 5,
        "storhelg": ["2027-12-24", "2027-12-25"],
    }
    return fields | overrides


def rate_fields(**overrides):
    bands = {b: Decimal("450") for b in services.RATE_BANDS}
    return {"year": 2028, "regi": "private", **bands} | overrides


def codes(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_it_refuses_a_storhelg_entry_that_is_not_an_iso_date(ref):
    with pytest.raises(ValidationError) as exc:
        services.guideline_version_create(
            user=None, **version_fields(storhelg=["2027-12-24", "24/12/2027", "2027-02-30", 7])
        )
    assert codes(exc) == {"storhelg": ["invalid_date", "invalid_date", "invalid_date"]}
    assert "”24/12/2027” är inte ett datum på formen ÅÅÅÅ-MM-DD." in exc.value.messages
    assert not GuidelineVersion.objects.filter(valid_from=date(2027, 6, 1)).exists()


@pytest.mark.parametrize("field", services.VERSION_AMOUNTS)
def test_it_refuses_a_negative_amount_threshold_or_number_of_hours(ref, field):
    with pytest.raises(ValidationError) as exc:
        services.guideline_version_create(user=None, **version_fields(**{field: -1}))
    assert codes(exc) == {field: ["negative"]}


def test_it_refuses_a_second_version_from_the_same_day_without_reaching_the_database(ref):
    with pytest.raises(ValidationError) as exc:
        services.guideline_version_create(user=None, **version_fields(valid_from=date(2018, 1, 1)))
    assert codes(exc) == {"valid_from": ["duplicate"]}
    assert GuidelineVersion.objects.filter(valid_from=date(2018, 1, 1)).count() == 1


def test_it_refuses_a_first_day_outside_1900_to_2100(ref):
    with pytest.raises(ValidationError) as exc:
        services.guideline_version_create(user=None, **version_fields(valid_from=date(2999, 1, 1)))
    assert codes(exc) == {"valid_from": ["range"]}


def test_it_refuses_to_change_a_version_that_has_come_into_force(ref):
    version = GuidelineVersion.objects.get(valid_from=date(2018, 1, 1))
    version.late_cancellation_cutoff_hours = 48
    with pytest.raises(ValidationError) as exc:
        services.guideline_version_save(user=None, version=version)
    assert codes(exc) == {"valid_from": ["in_force"]}
    version.refresh_from_db()
    assert version.late_cancellation_cutoff_hours == 24


def test_it_refuses_to_delete_a_version_that_has_come_into_force(ref):
    version = GuidelineVersion.objects.get(valid_from=date(2018, 1, 1))
    with pytest.raises(ValidationError):
        services.guideline_version_delete(user=None, version=version)
    assert GuidelineVersion.objects.filter(pk=version.pk).exists()


def test_a_new_version_queues_a_recalculation_from_its_first_day(decision, administrator):
    saved = services.guideline_version_create(user=administrator, **version_fields())
    run = saved.recalculation
    assert (run.valid_from, run.trigger, run.triggered_by) == (
        date(2027, 6, 1),
        RecalculationTrigger.GUIDELINE_VERSION,
        administrator,
    )
    assert AuditEvent.objects.filter(
        action="guidelines.version_create", object_id=str(saved.obj.pk), user=administrator
    ).exists()


def test_a_version_not_yet_in_force_can_be_changed_and_recalculates_from_the_earlier_day(
    decision,
):
    version = services.guideline_version_create(user=None, **version_fields()).obj
    version.valid_from = date(2027, 9, 1)
    version.late_cancellation_cutoff_hours = 36
    run = services.guideline_version_save(user=None, version=version).recalculation
    assert run.valid_from == date(2027, 6, 1)
    version.refresh_from_db()
    assert (version.valid_from, version.late_cancellation_cutoff_hours) == (date(2027, 9, 1), 36)


def test_renaming_a_version_not_yet_in_force_recalculates_nothing(decision):
    version = services.guideline_version_create(user=None, **version_fields()).obj
    version.name = "Riktlinjer från juni 2027"
    assert services.guideline_version_save(user=None, version=version).recalculation is None
    assert RecalculationRun.objects.count() == 1


@pytest.mark.parametrize("band", services.RATE_BANDS)
def test_it_refuses_a_negative_rate(ref, band):
    with pytest.raises(ValidationError) as exc:
        services.lov_rate_create(user=None, **rate_fields(**{band: Decimal("-0.01")}))
    assert codes(exc) == {band: ["negative"]}


def test_it_refuses_a_rate_for_a_year_outside_1900_to_2100(ref):
    # Year 0 has no 1 January to recalculate from: refused, not a crash.
    with pytest.raises(ValidationError) as exc:
        services.lov_rate_create(user=None, **rate_fields(year=0))
    assert codes(exc) == {"year": ["range"]}


def test_it_refuses_a_second_rate_for_the_same_year_and_regi(ref):
    with pytest.raises(ValidationError) as exc:
        services.lov_rate_create(user=None, **rate_fields(year=2024))
    assert codes(exc) == {"year": ["duplicate"]}


def test_a_new_rate_queues_a_recalculation_from_the_first_of_january_of_its_year(ref):
    DecisionFactory(valid_from=date(2027, 7, 1), valid_to=date(2028, 6, 30))
    saved = services.lov_rate_create(user=None, **rate_fields(year=2028))
    assert saved.obj.pk is not None
    run = saved.recalculation
    assert (run.valid_from, run.trigger) == (date(2028, 1, 1), RecalculationTrigger.LOV_RATE)


def test_a_changed_rate_queues_a_recalculation_from_the_first_of_january_of_its_year(decision):
    rate = LovRate.objects.get(year=2027, regi="private")
    rate.evening = Decimal("470.00")
    run = services.lov_rate_save(user=None, rate=rate).recalculation
    assert (run.valid_from, run.trigger) == (date(2027, 1, 1), RecalculationTrigger.LOV_RATE)
    assert run.trigger_label == "LOV-ersättning 2027, Enskild regi"


def test_a_changed_source_text_recalculates_nothing(decision):
    rate = LovRate.objects.get(year=2027, regi="private")
    rate.source = "Rättad källhänvisning"
    assert services.lov_rate_save(user=None, rate=rate).recalculation is None


def test_deleting_a_rate_recalculates_its_year(decision):
    rate = LovRate.objects.get(year=2027, regi="private")
    run = services.lov_rate_delete(user=None, rate=rate)
    assert run.valid_from == date(2027, 1, 1)
    assert not LovRate.objects.filter(year=2027, regi="private").exists()


def test_loading_unchanged_reference_data_again_queues_nothing(decision):
    load_reference_data()
    assert not RecalculationRun.objects.exists()


def test_the_loader_restoring_a_changed_rate_queues_one_recalculation_from_its_year(decision):
    LovRate.objects.filter(year=2026, regi="municipal").update(day=Decimal("1.00"))
    GuidelineVersion.objects.filter(valid_from=date(2018, 1, 1)).update(notes="Ändrad text")
    load_reference_data()
    run = RecalculationRun.objects.get()
    assert (run.valid_from, run.trigger) == (date(2026, 1, 1), RecalculationTrigger.REFERENCE_DATA)
    assert LovRate.objects.get(year=2026, regi="municipal").day == Decimal("423.00")
