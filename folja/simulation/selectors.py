"""Reads for the model investigation.

`population_history` turns the city's own records into the arrays the demand model is fitted
on. It is a statistical read: the arrays carry pseudonymous keys and numbers only, and nothing
from it is shown per person, so it reads across districts for the analyst (whose
`Person.objects.visible_to` scope is deliberately empty: analysts work with aggregates). Anything
that does show persons (the pilot pages) goes through `pilot_members_for` and logs the access.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate

from folja.cases.models import Decision
from folja.delivery.models import ClaimStatus, ExpenseClaim, Session, SessionStatus
from folja.guidelines.models import GuidelineVersion, LovRate
from folja.ledger.decisions import granting_decisions
from folja.ledger.guidelines import version_in_force
from folja.people.models import District, Person
from folja.rules.bands import band_minutes
from folja.rules.model import BANDS, DecisionGrant
from folja.rules.periods import add_months, granted_minutes_by_month, month_start
from folja.simulation.engine.fit import History
from folja.simulation.models import MemberRole, PilotGroup, PilotMember, PilotStatus

# Illustrative expense claims per executed hour when the history has none (exempelvärde).
DEFAULT_EXPENSE_PER_HOUR = 20.0
# A run of cancellations longer than this is counted as this many days (a long stay in
# hospital is not an escort-service question, and would swamp the mean).
MAX_EPISODE_DAYS = 60
# Executed sessions read for the time-band mix.
BAND_SAMPLE = 5000


@dataclass(frozen=True)
class HistoryContext:
    history: History
    person_ids: list[int]
    window_start: date
    window_end: date
    guideline: GuidelineVersion | None
    rate_year: int | None
    band_mix: dict[str, float]
    expense_per_hour: float
    expense_from_history: bool


def current_decisions(*, on: date, district: District | None = None) -> QuerySet[Decision]:
    """Decisions granting time in force on `on` (the population the investigation is about);
    a decision replaced on reconsideration is not among them, its replacement is."""
    qs = granting_decisions(
        Decision.objects.filter(valid_from__lte=on, valid_to__gte=on, hours_per_month__gt=0)
    )
    if district is not None:
        qs = qs.filter(district=district)
    return qs.order_by("person_id", "-valid_from")


def districts_with_decisions(*, on: date) -> QuerySet[District]:
    return District.objects.filter(pk__in=current_decisions(on=on).values("district_id")).order_by(
        "name"
    )


def _minutes(start: datetime, end: datetime) -> int:
    return (
        int(
            (
                end.replace(second=0, microsecond=0) - start.replace(second=0, microsecond=0)
            ).total_seconds()
        )
        // 60
    )


def _rates(year: int | None) -> tuple[int | None, dict[str, dict[str, float]]]:
    rows = LovRate.objects.filter(year__lte=year) if year else LovRate.objects.all()
    rows = list(rows.order_by("-year"))
    if not rows:
        return None, {}
    best = rows[0].year
    return best, {r.regi: {b: float(getattr(r, b)) for b in BANDS} for r in rows if r.year == best}


def population_history(
    *, on: date, district: District | None = None, months: int = 24
) -> HistoryContext:
    """History arrays for every person with a current decision (in `district`, if given),
    over the `months` full calendar months before `on`."""
    guideline = version_in_force(on)
    cutoff_minutes = 60 * (guideline.late_cancellation_cutoff_hours if guideline else 24)
    window_end = month_start(on)
    window_start = add_months(window_end, -months) or window_end
    current: dict[int, Decision] = {}
    for d in current_decisions(on=on, district=district):
        current.setdefault(d.person_id, d)
    person_ids = sorted(current)
    index = {pid: i for i, pid in enumerate(person_ids)}
    n, h = len(person_ids), months
    month_keys = [add_months(window_start, k) for k in range(h)]
    col = {m: k for k, m in enumerate(month_keys)}

    granted = np.zeros((n, h))
    past = granting_decisions(
        Decision.objects.filter(
            person_id__in=person_ids, valid_from__lt=window_end, valid_to__gte=window_start
        )
    ).values_list("id", "person_id", "valid_from", "valid_to", "hours_per_month", "model")
    grants: dict[int, list[DecisionGrant]] = defaultdict(list)
    for did, pid, vf, vt, hours, model in past:
        grants[pid].append(DecisionGrant(str(did), vf, vt, hours or Decimal(0), model))
    for pid, decisions in grants.items():
        for first, minutes in granted_minutes_by_month(decisions).items():
            if first in col:
                granted[index[pid], col[first]] = minutes

    charged = np.zeros((n, h))
    late = np.zeros((n, h))
    in_time = np.zeros((n, h))
    executed_min = np.zeros(n)
    escort_min = np.zeros(n)
    band_totals: Counter = Counter()
    in_window = Session.objects.filter(
        person_id__in=person_ids, start__gte=window_start, start__lt=window_end
    )
    # Minutes per person, month and kind are summed in the database: parsing hundreds of
    # thousands of datetimes in Python would be most of the run for a whole city.
    late_q = Q(status=SessionStatus.NO_SHOW) | Q(
        Q(status=SessionStatus.CANCELLED_BY_PERSON)
        & (
            Q(cancelled_at__isnull=True)
            | Q(cancelled_at__gt=F("start") - timedelta(minutes=cutoff_minutes))
        )
    )
    kind = Case(
        When(status=SessionStatus.EXECUTED, then=Value("executed")),
        When(late_q, then=Value("late")),
        When(status=SessionStatus.CANCELLED_BY_PERSON, then=Value("in_time")),
        default=Value("other"),
        output_field=CharField(),
    )
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    sums = (
        in_window.annotate(kind=kind, y=ExtractYear("start"), m=ExtractMonth("start"))
        .values("person_id", "y", "m", "kind")
        .annotate(total=Sum(duration), escort_total=Sum(F("escorts") * 1), count=Count("id"))
    )
    for row in sums:
        k = col.get(date(row["y"], row["m"], 1))
        if k is None or row["kind"] == "other":
            continue
        i = index[row["person_id"]]
        minutes = row["total"].total_seconds() // 60
        if row["kind"] == "executed":
            charged[i, k] += minutes
            executed_min[i] += minutes
            # Mean escorts per executed session, weighted by minutes of the month.
            escort_min[i] += minutes * row["escort_total"] / max(row["count"], 1)
        elif row["kind"] == "late":
            charged[i, k] += minutes
            late[i, k] += minutes
        else:
            in_time[i, k] += minutes

    # The order of executed and cancelled sessions, for runs of cancellations (dates only).
    runs: dict[int, list[tuple[date, bool, int]]] = defaultdict(list)
    order = (
        in_window.filter(
            status__in=[
                SessionStatus.EXECUTED,
                SessionStatus.CANCELLED_BY_PERSON,
                SessionStatus.NO_SHOW,
            ]
        )
        .annotate(day=TruncDate("start"))
        .order_by("person_id", "start")
        .values_list("person_id", "day", "status")
    )
    for pid, day, status in order.iterator(chunk_size=10000):
        k = col.get(day.replace(day=1))
        if k is not None:
            runs[pid].append((day, status != SessionStatus.EXECUTED, k))

    regi_count: dict[int, Counter] = defaultdict(Counter)
    for pid, regi, count in (
        in_window.filter(status=SessionStatus.EXECUTED)
        .values("person_id", "provider__regi")
        .annotate(count=Count("id"))
        .values_list("person_id", "provider__regi", "count")
    ):
        regi_count[pid][regi] += count

    run_person, run_month, run_days = _short_runs(person_ids, runs)

    storhelg = frozenset(date.fromisoformat(d) for d in (guideline.storhelg if guideline else []))
    # The time-band mix of executed sessions: the verified band minutes where stored, else
    # computed by the rules engine; a sample of the latest sessions is plenty for a share.
    sample = (
        Session.objects.filter(
            person_id__in=person_ids,
            start__gte=window_start,
            start__lt=window_end,
            status=SessionStatus.EXECUTED,
        )
        .order_by("-start")
        .values_list("start", "end", "band_minutes")[:BAND_SAMPLE]
    )
    for start, end, bands in sample:
        band_totals.update(bands or band_minutes(start, end, storhelg))
    total_band = sum(band_totals.values())
    band_mix = (
        {b: band_totals.get(b, 0) / total_band for b in BANDS}
        if total_band
        else {"day": 0.7, "evening": 0.15, "night": 0.0, "weekend": 0.15, "storhelg": 0.0}
    )
    rate_year, rates = _rates(on.year)
    rate_per_hour = np.zeros(n)
    for pid, i in index.items():
        regi = regi_count[pid].most_common(1)[0][0] if regi_count[pid] else "private"
        table = rates.get(regi) or next(iter(rates.values()), {})
        per_hour = sum(band_mix[b] * table.get(b, 0.0) for b in BANDS)
        escorts = escort_min[i] / executed_min[i] if executed_min[i] else 1.0
        rate_per_hour[i] = per_hour * escorts

    claims = ExpenseClaim.objects.filter(
        person_id__in=person_ids,
        date__gte=window_start,
        date__lt=window_end,
        status=ClaimStatus.APPROVED,
    ).aggregate(total=Sum("amount_sek"))["total"]
    executed_hours = executed_min.sum() / 60
    from_history = bool(claims) and executed_hours > 0
    expense_per_hour = float(claims) / executed_hours if from_history else DEFAULT_EXPENSE_PER_HOUR

    births = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "birth_date"))
    pseudonyms = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "pseudonym"))
    age = np.array([(on - births[pid]).days / 365.25 for pid in person_ids])
    history = History(
        grant_hours_now=np.array([float(current[pid].hours_per_month) for pid in person_ids]),
        granted=granted,
        charged=charged,
        late=late,
        in_time=in_time,
        calendar_month=np.array([m.month for m in month_keys]),
        run_person=run_person,
        run_month=run_month,
        run_days=run_days,
        rate_per_hour=rate_per_hour,
        expense_per_hour=np.full(n, expense_per_hour),
        age=age,
        keys=np.array([pseudonyms[pid] for pid in person_ids]),
    )
    return HistoryContext(
        history=history,
        person_ids=person_ids,
        window_start=window_start,
        window_end=window_end,
        guideline=guideline,
        rate_year=rate_year,
        band_mix=band_mix,
        expense_per_hour=expense_per_hour,
        expense_from_history=from_history,
    )


def _short_runs(
    person_ids: list[int], runs: dict[int, list[tuple[date, bool, int]]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Short illness episodes: a run of at least two of the person's own cancellations with no
    executed session in between, lasting from its first cancelled session to the next executed
    one (or to its last cancellation + 1 day), at most MAX_EPISODE_DAYS. A single cancellation
    is not counted: people cancel one outing for many reasons. Returns (row, month column,
    days) per run; the fit drops runs that fall in months already counted as ill."""
    rows: list[int] = []
    cols: list[int] = []
    lengths: list[float] = []
    for i, pid in enumerate(person_ids):
        first: date | None = None
        last: date | None = None
        count = 0
        col = 0
        for day, cancelled, k in [*runs.get(pid, []), (None, False, 0)]:
            if cancelled:
                if first is None:
                    first, col = day, k
                last = day
                count += 1
                continue
            if first is not None and count >= 2:
                end = day if day is not None else last + timedelta(days=1)
                rows.append(i)
                cols.append(col)
                lengths.append(float(min((end - first).days, MAX_EPISODE_DAYS)))
            first = last = None
            count = 0
    return np.array(rows, dtype=int), np.array(cols, dtype=int), np.array(lengths, dtype=float)


# --- pilots ----------------------------------------------------------------------------------


def pilots_visible_to(user) -> QuerySet[PilotGroup]:
    return PilotGroup.objects.visible_to(user).select_related("district", "created_by")


def pilot_status(group: PilotGroup, *, today: date) -> str:
    """The pilot's status by its dates: planned before it starts, running through its last
    day, ended after it (the stored status is what someone set by hand, and goes stale)."""
    if today < group.starts_on:
        return PilotStatus.PLANNED
    if today <= group.ends_on:
        return PilotStatus.RUNNING
    return PilotStatus.ENDED


def pilot_members_with_model(*, group: PilotGroup, person_ids: list[int]) -> set[int]:
    """Of `person_ids`, those with a granting decision under the pilot's model (`model_to`)
    in force on some day of the pilot."""
    qs = granting_decisions(
        Decision.objects.filter(
            person_id__in=person_ids,
            model=group.model_to,
            valid_from__lte=group.ends_on,
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=group.starts_on))
    )
    return set(qs.values_list("person_id", flat=True))


@dataclass(frozen=True)
class ShortStratum:
    stratum: str  # "under_<split>" or "<split>_plus"
    drawn: int
    wanted: int


def unbalanced_strata(*, group: PilotGroup, members: list[PilotMember]) -> list[ShortStratum]:
    """The age strata that gave fewer pilot persons than their half of the group (the draw
    takes half from each, and a stratum can give at most half its candidates): the groups are
    then not balanced by age. Read from the members, so the page says it as long as it holds."""
    drawn = Counter(m.stratum for m in members if m.role == MemberRole.PILOT)
    size = sum(drawn.values())
    out = []
    for stratum, wanted in (
        (f"under_{group.age_split}", size // 2),
        (f"{group.age_split}_plus", size - size // 2),
    ):
        if drawn[stratum] < wanted:
            out.append(ShortStratum(stratum, drawn[stratum], wanted))
    return out


def pilot_members_for(*, group: PilotGroup) -> QuerySet[PilotMember]:
    return group.members.select_related("person", "matched_to__person").order_by(
        "role", "stratum", "pk"
    )


def person_month_outcomes(
    *, person_ids: list[int], start: date, end: date
) -> dict[int, dict[str, float]]:
    """Per person over `start..end` (month starts, end exclusive): executed hours, payment
    (the verified payment stored on each session), granted hours and unused planning hours
    (granted − charged, floored at 0 per month), each per month of the window."""
    months = 0
    m = start
    while m < end:
        months += 1
        m = add_months(m, 1) or end
    months = max(months, 1)
    out = {
        pid: {"executed": 0.0, "payment": 0.0, "granted": 0.0, "unused": 0.0} for pid in person_ids
    }
    charged: dict[tuple[int, date], float] = defaultdict(float)
    rows = Session.objects.filter(person_id__in=person_ids, start__gte=start, start__lt=end).filter(
        Q(status=SessionStatus.EXECUTED)
        | Q(status=SessionStatus.NO_SHOW)
        | Q(status=SessionStatus.CANCELLED_BY_PERSON)
    )
    for pid, s, e, status, pay, charged_min in rows.values_list(
        "person_id", "start", "end", "status", "payment_sek", "charged_minutes"
    ):
        minutes = _minutes(s, e)
        if status == SessionStatus.EXECUTED:
            out[pid]["executed"] += minutes / 60
            out[pid]["payment"] += float(pay or 0)
            charged[(pid, month_start(s.date()))] += minutes
        elif charged_min:
            charged[(pid, month_start(s.date()))] += charged_min
    grants: dict[int, list[DecisionGrant]] = defaultdict(list)
    for did, pid, vf, vt, hours, model in granting_decisions(
        Decision.objects.filter(person_id__in=person_ids, valid_from__lt=end, valid_to__gte=start)
    ).values_list("id", "person_id", "valid_from", "valid_to", "hours_per_month", "model"):
        grants[pid].append(DecisionGrant(str(did), vf, vt, hours or Decimal(0), model))
    for pid, decisions in grants.items():
        for first, minutes in granted_minutes_by_month(decisions).items():
            if start <= first < end:
                out[pid]["granted"] += minutes / 60
                out[pid]["unused"] += max(minutes - charged.get((pid, first), 0.0), 0.0) / 60
    for values in out.values():
        for key in values:
            values[key] /= months
    return out
