"""The one path for "this person's figures changed".

Every write that can change what the ledger says about a person — a decision, a
reconsideration or appeal outcome, a session report, cancellation, review or import, an
expense claim or its decision, a costly-activity decision, an order change, feedback, culling —
ends by calling `person_figures_changed(person_ids=[...])` inside its own transaction. That

1. re-verifies the persons with the rules engine through the bridge (`bridge.verify_chunk`,
   which locks them, stores their periods) and stores every session whose result changed;
2. refreshes their follow-up roll-up rows (`folja.followup.services.rollup_refresh`) from the
   very session rows and engine evaluations just verified: each person is evaluated once,
   and the roll-up can never lag behind, or differ from, the verification.

Both steps run in the caller's transaction: the write, its verification and its roll-up commit
or roll back together, and `folja rollup verify` finds no difference after any sequence of
writes. Nothing outside the ledger refreshes the follow-up tables; a guideline version or rate,
which changes everyone's figures from a date, goes through the background job in
folja.ledger.jobs instead.

The roll-up is the follow-up area's derived table and is written by its services; the ledger
calls them here, and only here, because this is where "figures changed" is decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction

from folja.delivery.bulk import update_sessions
from folja.delivery.models import Session
from folja.followup.facts import Reference
from folja.followup.services import rollup_rebuild, rollup_refresh
from folja.ledger import bridge
from folja.rules.engine import Evaluation

# Persons verified per engine pass (as the bulk re-verification does).
BATCH = 500


@dataclass(frozen=True)
class FiguresChanged:
    """What one call did: sessions whose stored result changed, roll-up keys re-aggregated."""

    persons: int
    sessions_changed: int
    rollup_keys: int


@transaction.atomic
def person_figures_changed(
    *,
    person_ids: Sequence[int],
    verified: Mapping[int, Sequence[Session]] | None = None,
    evaluations: Mapping[int, Evaluation] | None = None,
) -> FiguresChanged:
    """Re-verify `person_ids` and refresh their roll-up rows, in the caller's transaction.

    `verified` is the bulk import's fast path: the caller has just verified these persons in
    this transaction with `bridge.verify_chunk` (with its not-yet-stored rows in place) and
    stored the results, and hands over each person's complete session list as verified (and
    the engine's evaluations of them, from `verify_chunk`'s `evaluations_out`). Then only the
    roll-up is refreshed, from those rows and evaluations in memory, without reading the rows
    back or evaluating anyone twice.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return FiguresChanged(persons=0, sessions_changed=0, rollup_keys=0)
    reference = Reference.load()
    changed = 0
    if verified is None and reference.schedule is not None:
        # Without any guideline version nothing can have been verified, so there is nothing
        # to re-verify; the roll-up refuses a person the engine would have to judge.
        rows: dict[int, list[Session]] = {}
        evaluated: dict[int, Evaluation] = {}
        for i in range(0, len(ids), BATCH):
            results = bridge.verify_chunk(
                ids[i : i + BATCH],
                guideline=reference.schedule,
                rates=reference.rates,
                regi_by_provider=reference.regi_by_provider,
                rows_out=rows,
                evaluations_out=evaluated,
            )
            if results:
                update_sessions(results, bridge.VERIFICATION_FIELDS)
            changed += len(results)
        verified, evaluations = rows, evaluated
    keys = rollup_refresh(
        person_ids=ids, sessions=verified, reference=reference, evaluations=evaluations
    )
    return FiguresChanged(persons=len(ids), sessions_changed=changed, rollup_keys=keys)


def everyone_figures_changed(*, user=None, progress=None) -> int:
    """Every person's figures changed at once, by rows written in bulk around the writes above
    (seeding, which stores its verification results with the rows): rebuild the whole
    roll-up from scratch. Returns the number of roll-up rows.

    The caller has verified everyone and stored the results, so the rebuild reads those
    stored results (`rollup_rebuild`) instead of running the engine over every person again;
    unlike `person_figures_changed`, nothing is verified here."""
    return rollup_rebuild(user=user, progress=progress)


__all__ = ["FiguresChanged", "everyone_figures_changed", "person_figures_changed"]
