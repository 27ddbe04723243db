"""Evaluating a pilot: difference in differences between the pilot and its matched controls,
with intervals, and a plain Swedish statement of what can and cannot be concluded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.core import clock
from folja.rules.followup import execution_rate
from folja.rules.periods import add_months, month_start
from folja.simulation.engine.pilot import Estimate, did_estimate
from folja.simulation.models import MemberRole, PilotGroup, PilotMember
from folja.simulation.selectors import person_month_outcomes, pilot_members_with_model
from folja.simulation.texts import num

OUTCOMES = {
    "executed": gettext_lazy("Utförda timmar per månad"),
    "payment": gettext_lazy("Ersättning till utförare per månad (kr)"),
    "unused": gettext_lazy("Outnyttjad planerad tid per månad (timmar)"),
}


@dataclass(frozen=True)
class PilotEvaluation:
    before: tuple[date, date]
    after: tuple[date, date]
    estimates: dict[str, Estimate]
    complete: bool
    statements: list[str]
    # Pilot members without a decision under the pilot's model: the comparison is then not of
    # the model but of the draw, so they are named (by pseudonym on the page).
    without_model: list[PilotMember]
    # Execution rate (executed / granted hours) of each group (MemberRole) before and after
    # the start: what the page and `folja pilot evaluate` show beside the difference.
    execution_rates: dict[str, tuple[Decimal | None, Decimal | None]]


def _group_rate(outcomes: dict[int, dict[str, float]], members: list[PilotMember]):
    # The window's hours per month, summed over the group: the months cancel in the ratio.
    executed = sum(outcomes[m.person_id]["executed"] for m in members)
    granted = sum(outcomes[m.person_id]["granted"] for m in members)
    return execution_rate(round(executed * 60), round(granted * 60))


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def evaluate_pilot(*, group: PilotGroup, members: list[PilotMember]) -> PilotEvaluation:
    start = month_start(group.starts_on)
    today = clock.today()
    complete = today > group.ends_on
    # The window after the start is whole months, end exclusive: through the pilot's last
    # month once it has ended; while it runs, through the last month that has passed.
    last = month_start(group.ends_on) if complete else add_months(month_start(today), -1) or start
    months = max(_months_between(start, last) + 1, 1)
    after_end = add_months(start, months) or start
    before_start = add_months(start, -months) or start
    pilots = [m for m in members if m.role == MemberRole.PILOT]
    controls = [m for m in members if m.role == MemberRole.CONTROL]
    ids = [m.person_id for m in members]
    before = person_month_outcomes(person_ids=ids, start=before_start, end=start)
    after = person_month_outcomes(person_ids=ids, start=start, end=after_end)
    estimates = {}
    for key in OUTCOMES:
        estimates[key] = did_estimate(
            np.array([before[m.person_id][key] for m in pilots]),
            np.array([after[m.person_id][key] for m in pilots]),
            np.array([before[m.person_id][key] for m in controls]),
            np.array([after[m.person_id][key] for m in controls]),
            seed=group.seed,
        )
    with_model = pilot_members_with_model(group=group, person_ids=[m.person_id for m in pilots])
    without_model = [m for m in pilots if m.person_id not in with_model]
    return PilotEvaluation(
        before=(before_start, start),
        after=(start, after_end),
        estimates=estimates,
        complete=complete,
        statements=statements(estimates, complete=complete, n=len(pilots)),
        without_model=without_model,
        execution_rates={
            role: (_group_rate(before, group_members), _group_rate(after, group_members))
            for role, group_members in ((MemberRole.PILOT, pilots), (MemberRole.CONTROL, controls))
        },
    )


def statements(estimates: dict[str, Estimate], *, complete: bool, n: int) -> list[str]:
    out = []
    if not complete:
        out.append(_("Försöket pågår fortfarande: resultaten är preliminära."))
    ex = estimates["executed"]
    if ex.excludes_zero:
        out.append(
            _(
                "Försöksgruppen ändrade sina utförda timmar med %(d)s timmar per månad mer än "
                "kontrollgruppen (90 %%-intervall %(lo)s till %(hi)s). Intervallet innehåller inte "
                "noll, så det är troligt att fri ledsagning påverkade hur mycket tid som användes."
            )
            % {"d": num(ex.difference, 1), "lo": num(ex.boot_low, 1), "hi": num(ex.boot_high, 1)}
        )
    else:
        out.append(
            _(
                "Skillnaden i utförda timmar mellan grupperna är %(d)s timmar per månad, men "
                "90 %%-intervallet (%(lo)s till %(hi)s) innehåller noll. Försöket kan varken visa "
                "att fri ledsagning ökar eller att den inte ökar användningen."
            )
            % {"d": num(ex.difference, 1), "lo": num(ex.boot_low, 1), "hi": num(ex.boot_high, 1)}
        )
    pay = estimates["payment"]
    out.append(
        _(
            "Kostnaden för ersättning till utförare ändrades med %(d)s kr per person och månad "
            "mer i försöksgruppen än i kontrollgruppen (90 %%-intervall %(lo)s till %(hi)s kr)."
        )
        % {"d": num(pay.difference), "lo": num(pay.boot_low), "hi": num(pay.boot_high)}
    )
    out.append(
        _(
            "Med %(n)s personer i varje grupp är osäkerheten stor: bara stora skillnader kan "
            "upptäckas, och en enskild persons sjukdom eller flytt kan ändra resultatet. "
            "Resultatet gäller de lottade personerna under försöksperioden; det säger inte hur "
            "alla i staden skulle använda fri ledsagning på lång sikt, eller hur beviljandet av "
            "timmar skulle ändras. Använd simuleringen för hela staden tillsammans med försöket."
        )
        % {"n": n}
    )
    return out
