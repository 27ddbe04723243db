"""The decisions that grant time: one definition for every reader.

A decision grants time when it is not a rejection, has not been replaced on reconsideration
or appeal (`superseded_by` is empty: the replacement grants instead, and the two must never
both count), and has a validity and hours. The bridge to the rules engine, the dashboards,
the follow-up, decision support and the simulation baseline all select decisions through
this module, as a queryset filter (`granting_decisions`), as a test on rows already in
memory (`grants_time`) or, for the few hand-written SQL queries, as `granting_sql`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from folja.cases.models import Decision, Outcome

# The columns `grants_time` reads: include them when reading rows with .values()/.only().
GRANTING_FIELDS = ("outcome", "superseded_by_id", "valid_from", "valid_to", "hours_per_month")

GRANTING = Q(
    superseded_by__isnull=True,
    valid_from__isnull=False,
    valid_to__isnull=False,
    hours_per_month__isnull=False,
) & ~Q(outcome=Outcome.REJECTED)


def granting_decisions(qs: QuerySet[Decision] | None = None) -> QuerySet[Decision]:
    """`qs` (every decision when None) narrowed to the decisions that grant time."""
    return (Decision.objects.all() if qs is None else qs).filter(GRANTING)


def grants_time(decision: Decision | Mapping[str, Any] | Any) -> bool:
    """The same test for one row in memory: a model instance, a named tuple or a dict from
    `.values(*GRANTING_FIELDS, ...)`."""
    if isinstance(decision, Mapping):
        get = decision.__getitem__
    else:

        def get(name: str) -> Any:
            return getattr(decision, name)

    return (
        get("outcome") != Outcome.REJECTED
        and get("superseded_by_id") is None
        and get("valid_from") is not None
        and get("valid_to") is not None
        and get("hours_per_month") is not None
    )


def granting_sql(alias: str) -> str:
    """The same test as an SQL condition on the decision table aliased `alias`."""
    if not alias.isidentifier():
        raise ValueError(f"not an SQL alias: {alias!r}")
    return (
        f"({alias}.outcome <> '{Outcome.REJECTED.value}'"
        f" AND {alias}.superseded_by_id IS NULL"
        f" AND {alias}.valid_from IS NOT NULL AND {alias}.valid_to IS NOT NULL"
        f" AND {alias}.hours_per_month IS NOT NULL)"
    )
