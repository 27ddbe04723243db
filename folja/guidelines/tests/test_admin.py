"""The Django admin for guideline versions and LOV rates, as an administrator uses it: a version
in force is read-only (a correction is a new version), bad input is a field error on the form,
never a 500, and a save queues the recalculation that the admin then shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from folja.guidelines.models import GuidelineVersion, LovRate
from folja.ledger.models import RecalculationRun, RecalculationStatus

ADD_VERSION = reverse("admin:guidelines_guidelineversion_add")
ADD_RATE = reverse("admin:guidelines_lovrate_add")


def version_post(**overrides) -> dict:
    data = {
        "name": "Riktlinjer 2027",
        "valid_from": "2027-06-01",
        "model": "flex3",
        "period_anchor": "decision_start",
        "late_cancellation_cutoff_hours": "48",
        "late_cancellation_charged": "on",
        "no_show_charged": "on",
        "expense_allowance_per_month": "350.00",
        "costly_activity_yearly_ceiling": "3000.00",
        "free_review_threshold": "2.0",
        "reporting_deadline_days": "5",
        "storhelg": "2027-12-24\n2027-12-25",
        "notes": "",
        "_save": "Spara",
    }
    return data | overrides


def rate_post(**overrides) -> dict:
    data = {
        "year": "2028",
        "regi": "private",
        "day": "450",
        "evening": "470",
        "night": "510",
        "weekend": "510",
        "storhelg": "580",
        "source": "",
        "_save": "Spara",
    }
    return data | overrides


def form_errors(response) -> dict:
    assert response.status_code == 200
    form = response.context["adminform"].form
    return {field: [e.code for e in errors.as_data()] for field, errors in form.errors.items()}


def test_a_version_in_force_is_shown_read_only_with_a_way_to_correct_it(ref, staff_client):
    version = GuidelineVersion.objects.get(valid_from=date(2018, 1, 1))
    url = reverse("admin:guidelines_guidelineversion_change", args=[version.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert "har börjat gälla och kan inte ändras" in html
    assert f"{ADD_VERSION}?copy_from={version.pk}" in html


def test_a_version_in_force_cannot_be_changed_or_deleted_through_the_admin(ref, staff_client):
    version = GuidelineVersion.objects.get(valid_from=date(2018, 1, 1))
    change = reverse("admin:guidelines_guidelineversion_change", args=[version.pk])
    delete = reverse("admin:guidelines_guidelineversion_delete", args=[version.pk])
    posted = staff_client.post(change, version_post(valid_from="2018-01-01"))
    assert posted.status_code == 403
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.late_cancellation_cutoff_hours == 24


def test_a_correction_starts_from_a_copy_of_the_version_in_force(ref, staff_client):
    version = GuidelineVersion.objects.get(valid_from=date(2018, 1, 1))
    page = staff_client.get(f"{ADD_VERSION}?copy_from={version.pk}")
    form = page.context["adminform"].form
    assert form.initial["name"] == version.name
    assert form.initial["storhelg"] == version.storhelg
    assert "valid_from" not in form.initial
    assert "2012-12-24\n" in page.content.decode()


def test_a_version_not_yet_in_force_can_be_edited(decision, staff_client):
    staff_client.post(ADD_VERSION, version_post())
    version = GuidelineVersion.objects.get(valid_from=date(2027, 6, 1))
    change = reverse("admin:guidelines_guidelineversion_change", args=[version.pk])
    response = staff_client.post(change, version_post(late_cancellation_cutoff_hours="36"))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.late_cancellation_cutoff_hours == 36


def test_the_admin_refuses_a_storhelg_entry_that_is_not_an_iso_date(ref, staff_client):
    response = staff_client.post(ADD_VERSION, version_post(storhelg="2027-12-24\n2027-13-01"))
    assert form_errors(response) == {"storhelg": ["invalid_date"]}
    assert "”2027-13-01” är inte ett datum på formen ÅÅÅÅ-MM-DD." in response.content.decode()
    assert not GuidelineVersion.objects.filter(valid_from=date(2027, 6, 1)).exists()


def test_the_admin_refuses_a_negative_amount(ref, staff_client):
    response = staff_client.post(
        ADD_VERSION,
        version_post(expense_allowance_per_month="-300.00", free_review_threshold="-1"),
    )
    assert form_errors(response) == {
        "expense_allowance_per_month": ["negative"],
        "free_review_threshold": ["negative"],
    }


def test_the_admin_refuses_negative_hours(ref, staff_client):
    response = staff_client.post(ADD_VERSION, version_post(late_cancellation_cutoff_hours="-24"))
    assert list(form_errors(response)) == ["late_cancellation_cutoff_hours"]


def test_the_admin_refuses_a_second_version_from_the_same_day_as_a_field_error(ref, staff_client):
    response = staff_client.post(ADD_VERSION, version_post(valid_from="2018-01-01"))
    assert form_errors(response) == {"valid_from": ["duplicate"]}
    assert "Det finns redan en riktlinjeversion som gäller från 2018-01-01" in (
        response.content.decode()
    )


def test_a_new_version_saved_in_the_admin_is_recalculated_after_commit_and_shown(
    decision, staff_client, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ADD_VERSION, version_post(), follow=True)
    run = RecalculationRun.objects.get()
    assert (run.valid_from, run.status, run.triggered_by) == (
        date(2027, 6, 1),
        RecalculationStatus.DONE,
        administrator,
    )
    assert (run.done, run.total) == (1, 1)
    # The page after saving was drawn before the commit: the run is queued, nothing done yet.
    html = response.content.decode()
    assert "Omräkning från 2027-06-01 har köats." in html
    assert "Senaste omräkningar" in html
    assert "Väntar på att köras" in html
    listing = staff_client.get(reverse("admin:guidelines_guidelineversion_changelist"))
    assert "1 av 1 personer (100 %)" in listing.content.decode()
    detail = staff_client.get(reverse("admin:ledger_recalculationrun_change", args=[run.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_the_admin_refuses_a_negative_rate_and_a_second_rate_for_a_year(ref, staff_client):
    assert form_errors(staff_client.post(ADD_RATE, rate_post(night="-1"))) == {
        "night": ["negative"]
    }
    assert form_errors(staff_client.post(ADD_RATE, rate_post(year="2024"))) == {
        "year": ["duplicate"]
    }
    assert not LovRate.objects.filter(year=2028).exists()


def test_a_new_rate_saved_in_the_admin_queues_a_recalculation_from_its_year(ref, staff_client):
    from folja.testing.factories import DecisionFactory

    DecisionFactory(valid_from=date(2027, 7, 1), valid_to=date(2028, 6, 30))
    response = staff_client.post(ADD_RATE, rate_post())
    assert response.status_code == 302
    assert LovRate.objects.get(year=2028, regi="private").evening == Decimal("470")
    assert RecalculationRun.objects.get().valid_from == date(2028, 1, 1)
