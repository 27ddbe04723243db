"""Application → assessment → decision, with decision support, through the services."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from folja.audit.models import AuditEvent
from folja.cases import services
from folja.cases.models import ApplicationStatus, Decision
from folja.cases.selectors import decision_support
from folja.cases.services import Rating
from folja.guidelines.models import LegalBasis, LifeArea
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    DecisionFactory,
    DistrictFactory,
    PersonFactory,
    legal_basis,
)
from folja.testing.factories_cases import decision_made

pytestmark = pytest.mark.django_db


def _assessed_application(person, caseworker, score_rating: int = 4):
    application = services.application_create(
        person=person,
        user=caseworker,
        received_on=date(2024, 5, 2),
        kind="open",
        requested_act="LSS",
        requested_hours_per_month=Decimal("10"),
    )
    ratings = [
        Rating(life_area=a, caseworker_rating=score_rating, person_rating=3)
        for a in LifeArea.objects.all()
    ]
    services.assessment_create(
        application=application,
        user=caseworker,
        assessed_on=date(2024, 5, 20),
        needs="Behöver ledsagning till kultur och idrott.",
        ratings=ratings,
        other_services=["transport", "home_help"],
    )
    application.refresh_from_db()
    return application


def test_the_assessment_scores_needs_as_the_mean_caseworker_rating(ref, person, caseworker):
    application = _assessed_application(person, caseworker, score_rating=5)
    assert application.assessment.need_score == Decimal("5.00")
    assert application.assessment.ratings.count() == LifeArea.objects.count()
    assert application.assessment.other_services == ["home_help", "transport"]
    assert application.status == ApplicationStatus.ASSESSING


def test_a_decision_takes_its_model_from_the_guideline_in_force(ref, person, caseworker):
    decision = decision_made(_assessed_application(person, caseworker), caseworker)
    assert decision.model == "flex3"
    assert decision.guideline_version.valid_from == date(2018, 1, 1)
    assert decision.application.status == ApplicationStatus.DECIDED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"application.create", "assessment.create", "decision.create"} <= actions


def test_a_legal_basis_not_valid_on_the_decision_date_is_refused(ref, person, caseworker):
    new_sol = LegalBasis.objects.get(reference="SoL (2025:400)")
    with pytest.raises(ValidationError) as exc:
        decision_made(_assessed_application(person, caseworker), caseworker, legal_basis=new_sol)
    assert "legal_basis" in exc.value.error_dict


def test_a_rejection_needs_its_parts_and_reasons(ref, person, caseworker):
    application = _assessed_application(person, caseworker)
    with pytest.raises(ValidationError) as exc:
        decision_made(application, caseworker, outcome="rejected")
    assert "rejected_parts" in exc.value.error_dict
    decision = decision_made(
        application,
        caseworker,
        outcome="rejected",
        rejected_parts=[{"part": "Ledsagning", "reason": "Behovet tillgodoses av färdtjänst."}],
    )
    assert decision.hours_per_month is None and decision.valid_from is None


def test_a_granted_decision_must_be_time_limited(ref, person, caseworker):
    with pytest.raises(ValidationError) as exc:
        decision_made(_assessed_application(person, caseworker), caseworker, valid_to=None)
    assert "valid_to" in exc.value.error_dict


_days = itertools.count()


def _comparables(district, hours_list, score="4.0", act="LSS", born=date(1980, 1, 1)):
    for hours in hours_list:
        # Distinct birth dates keep the factory's personnummer unique.
        p = PersonFactory(district=district, birth_date=born + timedelta(days=next(_days)))
        assessment = AssessmentFactory(
            application=ApplicationFactory(person=p), need_score=Decimal(score)
        )
        DecisionFactory(
            person=p,
            application=assessment.application,
            decided_on=date(2024, 1, 15),
            hours_per_month=Decimal(hours),
            legal_basis=legal_basis(act),
        )


def test_hours_outside_the_city_p10_p90_need_a_deviation_reason(ref, person, caseworker):
    other = DistrictFactory()
    _comparables(other, [8, 9, 10, 10, 11, 12, 12, 13, 14, 15])
    application = _assessed_application(person, caseworker)
    with pytest.raises(ValidationError) as exc:
        decision_made(application, caseworker, hours_per_month=Decimal("40"))
    assert "deviation_reason" in exc.value.error_dict
    decision = decision_made(
        application,
        caseworker,
        hours_per_month=Decimal("40"),
        deviation_reason="Två aktiviteter i veckan med lång resväg.",
    )
    assert decision.deviation_reason.startswith("Två")
    # Inside the range no reason is needed (on an application of its own: an application is
    # decided once).
    fresh = _assessed_application(person, caseworker)
    assert decision_made(fresh, caseworker, hours_per_month=Decimal("11")).deviation_reason == ""


def test_decision_support_compares_act_need_score_and_age_band(ref, person):
    other = DistrictFactory()
    _comparables(other, [8, 10, 12])
    _comparables(person.district, [20, 30])
    _comparables(other, [99], score="6.5")  # need score too far off
    _comparables(other, [99], act="SoL")  # another act
    _comparables(other, [99], born=date(1950, 1, 1))  # 65+
    support = decision_support(
        act="LSS",
        need_score=Decimal("4.5"),
        birth_date=date(1980, 5, 17),
        on=date(2024, 6, 1),
        district_id=person.district_id,
    )
    assert support.age_band == "21-64"
    assert support.city.decisions == 5
    assert support.city.median == Decimal("12.0")
    assert support.district.decisions == 2
    assert support.district.median == Decimal("25.0")
    assert support.city.rejection_share == Decimal("0")
    assert support.is_outside(Decimal("99"))
    assert not support.is_outside(Decimal("12"))


def test_with_fewer_than_five_comparables_no_warning_is_raised(ref, person):
    _comparables(DistrictFactory(), [8, 10, 12, 14])
    support = decision_support(
        act="LSS",
        need_score=Decimal("4"),
        birth_date=date(1980, 5, 17),
        on=date(2024, 6, 1),
        district_id=person.district_id,
    )
    assert support.city.with_hours == 4
    assert not support.is_outside(Decimal("99"))


def test_decisions_older_than_24_months_are_not_compared(ref, person):
    other = DistrictFactory()
    _comparables(other, [10, 10, 10, 10, 10])
    Decision.objects.update(decided_on=date(2022, 5, 1))
    support = decision_support(
        act="LSS",
        need_score=Decimal("4"),
        birth_date=date(1980, 1, 1),
        on=date(2024, 6, 1),
        district_id=person.district_id,
    )
    assert support.city.decisions == 0


def test_decision_support_compares_the_hours_of_a_replaced_decision_no_more(ref, person):
    other = DistrictFactory()
    _comparables(other, [8, 10, 12])
    replaced = Decision.objects.get(hours_per_month=Decimal("12"))
    # Reconsidered from 12 h to 30 h: the 30 h decision grants, the 12 h one no longer does.
    replaced.superseded_by = DecisionFactory(
        person=replaced.person,
        decided_on=date(2024, 2, 1),
        hours_per_month=Decimal("30"),
        legal_basis=replaced.legal_basis,
    )
    replaced.save(update_fields=["superseded_by"])
    support = decision_support(
        act="LSS",
        need_score=None,
        birth_date=date(1980, 5, 17),
        on=date(2024, 6, 1),
        district_id=person.district_id,
    )
    assert support.city.with_hours == 3  # 8, 10 and 30; not also the replaced 12
    assert support.city.median == Decimal("10.0")


def test_decision_support_puts_a_20_year_old_with_children_and_a_21_year_old_with_adults(
    ref, person
):
    # One age-band scheme (folja.rules.stats), the follow-up's: 0–20, 21–64, 65+.
    support = decision_support(
        act="LSS",
        need_score=None,
        birth_date=date(2003, 6, 2),
        on=date(2024, 6, 1),
        district_id=person.district_id,
    )
    assert support.age_band == "0-20"
    support = decision_support(
        act="LSS",
        need_score=None,
        birth_date=date(2003, 6, 1),
        on=date(2024, 6, 1),
        district_id=person.district_id,
    )
    assert support.age_band == "21-64"
