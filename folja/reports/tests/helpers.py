"""Small builders for the statutory-report tests: persons in a municipality and decisions under
an act, made with the suite's factories."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from folja.testing.factories import DecisionFactory, DistrictFactory, legal_basis
from folja.testing.factories_providers import fast_reference_data, unique_person


def district(code: str, municipality: str = "Stockholm"):
    return DistrictFactory(code=code, name=f"Stadsdel {code}", municipality=municipality)


def person(district_row, **kwargs):
    return unique_person(district=district_row, **kwargs)


def decision(
    person_row,
    *,
    act: str,
    valid_from: date,
    valid_to: date,
    decided_on: date | None = None,
    outcome: str = "granted",
    hours: str = "10",
):
    fast_reference_data()
    decided_on = decided_on or valid_from
    return DecisionFactory(
        person=person_row,
        legal_basis=legal_basis(act, on=decided_on),
        decided_on=decided_on,
        notified_on=decided_on,
        outcome=outcome,
        valid_from=valid_from,
        valid_to=valid_to,
        hours_per_month=Decimal(hours),
    )
