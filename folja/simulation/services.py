"""Writes of the model investigation: drawing a pilot and moving it through its life.

Decisions are never changed here (that is the caseworkers' work in `cases`); the pilot records
the planned switch dates so the evaluation knows who was under which model when.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import transaction

from folja.audit.services import audit_record
from folja.people.models import District
from folja.simulation.engine.pilot import draw_pilot
from folja.simulation.models import MemberRole, PilotGroup, PilotMember, PilotStatus
from folja.simulation.selectors import current_decisions, population_history


class PilotError(ValueError):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


@transaction.atomic
def pilot_create(
    *,
    user,
    district: District,
    name: str,
    size: int,
    starts_on: date,
    ends_on: date,
    seed: int,
    drawn_on: date,
    age_split: int = 21,
    model_from: str = "flex3",
) -> PilotGroup:
    """Draw a stratified random pilot group with matched controls among the district's persons
    with a decision in force on `drawn_on`, and record the planned switch to the free model."""
    if ends_on <= starts_on:
        raise PilotError("ends_on", "before_start", "Försöket måste sluta efter att det börjar.")
    if size < 2:
        raise PilotError("size", "too_small", "Försöksgruppen måste ha minst två personer.")
    context = population_history(on=drawn_on, district=district, months=12)
    hist = context.history
    granted = hist.granted.sum(axis=1)
    execution = np.where(
        granted > 0, (hist.charged - hist.late).sum(axis=1) / np.maximum(granted, 1), 0.0
    )
    try:
        draw = draw_pilot(
            hours=hist.grant_hours_now,
            age=hist.age,
            execution=execution,
            size=size,
            age_split=age_split,
            seed=seed,
        )
    except ValueError as exc:
        raise PilotError("size", "too_few_persons", str(exc)) from exc
    group = PilotGroup.objects.create(
        name=name,
        district=district,
        model_from=model_from,
        model_to="free",
        starts_on=starts_on,
        ends_on=ends_on,
        size=len(draw.pilot),
        age_split=age_split,
        seed=seed,
        drawn_on=drawn_on,
        created_by=user if getattr(user, "pk", None) else None,
    )

    def baseline(i: int) -> dict:
        return {
            "hours_per_month": float(hist.grant_hours_now[i]),
            "age": round(float(hist.age[i]), 1),
            "execution_share": round(float(execution[i]), 3),
        }

    strata = {0: f"under_{age_split}", 1: f"{age_split}_plus"}
    for p, c in zip(draw.pilot, draw.control, strict=True):
        control = PilotMember.objects.create(
            group=group,
            person_id=context.person_ids[c],
            role=MemberRole.CONTROL,
            stratum=strata[int(draw.strata[c])],
            baseline=baseline(int(c)),
        )
        PilotMember.objects.create(
            group=group,
            person_id=context.person_ids[p],
            role=MemberRole.PILOT,
            stratum=strata[int(draw.strata[p])],
            matched_to=control,
            switch_on=starts_on,
            switch_back_on=ends_on,
            baseline=baseline(int(p)),
        )
    audit_record(
        user=user,
        action="simulation.pilot_create",
        obj=group,
        details={
            "district": district.code,
            "size": group.size,
            "seed": seed,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "candidates": len(context.person_ids),
            "short_strata": [
                {"stratum": strata[st], "drawn": drawn, "wanted": wanted}
                for st, drawn, wanted in draw.short
            ],
        },
    )
    return group


@transaction.atomic
def pilot_set_status(*, user, group: PilotGroup, status: str) -> PilotGroup:
    if status not in PilotStatus.values:
        raise PilotError("status", "invalid", "Okänd status.")
    old = group.status
    group.status = status
    group.save(update_fields=["status"])
    audit_record(
        user=user,
        action="simulation.pilot_status",
        obj=group,
        details={"from": old, "to": status},
    )
    return group


def candidates_count(*, district: District, on: date) -> int:
    return current_decisions(on=on, district=district).values("person_id").distinct().count()
