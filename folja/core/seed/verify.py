"""The one call site that gives generated sessions their verification results.

Sessions are verified in memory, before they are written, through the lead's bridge
(`folja.ledger.bridge.evaluate_rows` + `apply_evaluation`): the same rules-engine run
as `verify_sessions_bulk`, without a second pass over the database to read the rows back and
update them. The rows are plain dicts; `_RowView` gives them the attribute access the bridge
expects of model instances.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from folja.core.seed.context import Ctx
from folja.core.seed.writer import Row
from folja.rules.engine import Evaluation


class _RowView:
    __slots__ = ("_row",)

    def __init__(self, row: Row) -> None:
        object.__setattr__(self, "_row", row)

    def __getattr__(self, name: str) -> Any:
        row = object.__getattribute__(self, "_row")
        if name == "pk":
            return row["id"]
        try:
            return row[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        object.__getattribute__(self, "_row")[name] = value


class Verifier:
    def __init__(self, ctx: Ctx) -> None:
        from folja.ledger import bridge
        from folja.ledger.guidelines import GuidelineVersions

        self._bridge = bridge
        # Every version of the seeded history, each in force from its own date.
        self._guideline = GuidelineVersions(ctx.guidelines).schedule()
        self._rates = bridge.rate_table()
        self._regi = {p.id: p.regi for p in ctx.providers}

    def verify(
        self,
        decisions: Sequence[Row],
        sessions: Sequence[Row],
        claims: Sequence[Row],
    ) -> Evaluation:
        """Verify one person's sessions; results are written into the session rows, and the
        evaluation (with the person's periods, which the ledger stores) is returned."""
        session_views = [_RowView(s) for s in sorted(sessions, key=lambda s: (s["start"], s["id"]))]
        evaluation = self._bridge.evaluate_rows(
            decisions=[_RowView(d) for d in decisions],
            sessions=session_views,
            claims=[_RowView(c) for c in claims],
            guideline=self._guideline,
            rates=self._rates,
            regi_by_provider=self._regi,
        )
        self._bridge.apply_evaluation(session_views, evaluation)
        return evaluation


# Parallel verification: the engine is pure Python and the largest part of a city load, so
# chunks of persons are verified in forked worker processes while the main process generates
# and writes the next chunk. Workers never touch the database; they get plain tuples and send
# back each session's result.
DECISION_KEYS = (
    "id",
    "outcome",
    "valid_from",
    "valid_to",
    "hours_per_month",
    "model",
    "double_staffing",
    "superseded_by_id",
)
SESSION_KEYS = ("id", "start", "end", "status", "escorts", "provider_id", "cancelled_at")
CLAIM_KEYS = ("id", "date", "amount_sek", "status")
RESULT_KEYS = (
    "period_start",
    "charged_minutes",
    "payable_minutes",
    "band_minutes",
    "payment_sek",
    "flags",
    "review_status",
)
_UNVERIFIED = {
    "period_start": None,
    "charged_minutes": 0,
    "payable_minutes": 0,
    "band_minutes": {},
    "payment_sek": 0,
    "flags": [],
    "review_status": "",
}

Payload = list[tuple[int, list[tuple], list[tuple], list[tuple]]]
# A person's stored period (folja.ledger.models.PeriodBalance) as a plain tuple.
PERIOD_KEYS = (
    "person_id",
    "start",
    "end",
    "model",
    "granted_minutes",
    "used_minutes",
    "allowance_sek",
    "expenses_sek",
)
_worker_verifier: Verifier | None = None


def person_payload(
    person_id: int, decisions: Sequence[Row], sessions: Sequence[Row], claims: Sequence[Row]
) -> tuple[int, list[tuple], list[tuple], list[tuple]]:
    return (
        person_id,
        [tuple(d[k] for k in DECISION_KEYS) for d in decisions],
        [tuple(s[k] for k in SESSION_KEYS) for s in sessions],
        [tuple(c[k] for k in CLAIM_KEYS) for c in claims],
    )


def set_worker_verifier(verifier: Verifier) -> None:
    """Called in the parent before forking, so workers inherit a ready verifier."""
    global _worker_verifier
    _worker_verifier = verifier


def verify_payload(payload: Payload) -> tuple[list[tuple], list[tuple]]:
    """Each session's result, and each person's periods, as plain tuples."""
    assert _worker_verifier is not None
    out: list[tuple] = []
    periods: list[tuple] = []
    for person_id, decisions, sessions, claims in payload:
        s_rows = [dict(zip(SESSION_KEYS, s, strict=True)) | dict(_UNVERIFIED) for s in sessions]
        for s in s_rows:
            s["flags"] = []
            s["band_minutes"] = {}
        evaluation = _worker_verifier.verify(
            [dict(zip(DECISION_KEYS, d, strict=True)) for d in decisions],
            s_rows,
            [dict(zip(CLAIM_KEYS, c, strict=True)) for c in claims],
        )
        out.extend((s["id"], *(s[k] for k in RESULT_KEYS)) for s in s_rows)
        periods.extend(
            (
                person_id,
                p.start,
                p.end,
                p.model,
                p.granted_minutes,
                p.used_minutes,
                p.allowance,
                p.expenses,
            )
            for p in evaluation.periods
        )
    return out, periods


def apply_results(sessions: Sequence[Row], results: list[tuple]) -> None:
    by_id = {s["id"]: s for s in sessions}
    for result in results:
        row = by_id[result[0]]
        for key, value in zip(RESULT_KEYS, result[1:], strict=True):
            row[key] = value


def write_periods(periods: list[tuple]) -> None:
    """Store the persons' periods as the ledger does after a verification."""
    from folja.core.bulk import copy_insert
    from folja.ledger.models import PeriodBalance

    rows = [PeriodBalance(**dict(zip(PERIOD_KEYS, p, strict=True))) for p in periods]
    copy_insert(PeriodBalance, rows)
