"""`folja seed`: orchestrates the generator and writes it in chunks of persons, so memory stays
bounded at national scale and the progress bar moves."""

from __future__ import annotations

import multiprocessing
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from folja.accounts.models import User
from folja.audit.models import AccessLog, AuditEvent
from folja.cases.models import (
    Appeal,
    Application,
    Assessment,
    Decision,
    DecisionLetter,
    LifeAreaRating,
    Task,
)
from folja.core.seed import organisation
from folja.core.seed.cases import make_decisions
from folja.core.seed.config import SCALES
from folja.core.seed.context import Ctx
from folja.core.seed.demo import demo_setup, make_demo_accounts
from folja.core.seed.extras import make_extras, set_last_entry
from folja.core.seed.persons import PersonPlan, make_person, name_protected_staff
from folja.core.seed.pilot import pilot_district_ids, run_pilots
from folja.core.seed.sessions import make_orders_and_sessions
from folja.core.seed.verify import (
    Payload,
    Verifier,
    apply_results,
    person_payload,
    set_worker_verifier,
    verify_payload,
    write_periods,
)
from folja.core.seed.writer import write_all, write_rows
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim, Session
from folja.guidelines.models import LovRate
from folja.guidelines.reference import load_reference_data
from folja.people.models import District, Person, Representative
from folja.portal.models import Feedback, ProviderChangeRequest
from folja.providers.models import ApiToken, Escort, ImplementationPlan, Order, Provider
from folja.simulation.models import PilotGroup

CHUNK = 500

# Parents before children (SQLite checks foreign keys at commit, PostgreSQL's are deferred,
# but writing in this order keeps either happy even if that changes).
ORG_ORDER = [District, Provider, Escort, User]
PERSON_ORDER = [
    Person,
    Person.named_staff.through,
    Representative,
    Application,
    Assessment,
    LifeAreaRating,
    Decision,
    Order,
    ImplementationPlan,
    Session,
    CostlyActivityApplication,
    ExpenseClaim,
    Appeal,
    Feedback,
]
DEMO_ORDER = [User, Representative]
# What --replace deletes, children first.
REPLACE_ORDER = [
    PilotGroup,  # its members protect their persons
    ExpenseClaim,
    CostlyActivityApplication,
    Session,
    ImplementationPlan,
    Task,
    Appeal,
    DecisionLetter,
    Feedback,
    ProviderChangeRequest,
    Order,
    Decision,
    LifeAreaRating,
    Assessment,
    Application,
    Representative,
    Person.named_staff.through,
    Person,
]


class SeedRefused(Exception):
    """Seeding would do harm: production, or data that must not be duplicated or deleted."""


@dataclass
class SeedResult:
    skipped: bool
    persons: int = 0
    sessions: int = 0


Progress = Callable[[str, int, int], None]  # (phase, done, total)


def seed(
    *,
    scale: str,
    years: int | None = None,
    seed_value: int = 1,
    today: date,
    if_empty: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
) -> SeedResult:
    if getattr(settings, "PRODUCTION", False):
        raise SeedRefused(
            "FOLJA_ENV=production: seeding synthetic data and demo accounts (password 'demo') "
            "is refused in production."
        )
    if scale not in SCALES:
        raise SeedRefused(f"scale: unknown scale {scale!r} (demo, city, national)")
    load_reference_data()
    spec = SCALES[scale]
    first_year = today.year - (years or spec.default_years)
    rate_years = set(LovRate.objects.values_list("year", flat=True))
    if not set(range(first_year, today.year + 1)) <= rate_years:
        raise SeedRefused(
            f"years: no LOV rates for every year {first_year}–{today.year} (rates exist for "
            f"{min(rate_years, default=0)}–{max(rate_years, default=0)}); use fewer --years"
        )
    # One transaction: a failed seed leaves the database as it was, --replace included.
    with transaction.atomic():
        if Person.objects.exists():
            if if_empty:
                return SeedResult(skipped=True)
            if not replace:
                raise SeedRefused(
                    "The database already holds persons. Use --if-empty to leave it as it is, "
                    "or --replace to delete the seeded data and seed again."
                )
            _replace()
        ctx = Ctx(
            scale=spec,
            years=years or spec.default_years,
            seed=seed_value,
            today=today,
            rng=random.Random(seed_value),
        )
        _fast_bulk_load()
        result = _generate(ctx, progress or (lambda *_: None))
    _analyze()
    return result


def _fast_bulk_load() -> None:
    """On PostgreSQL, skip per-row foreign-key triggers for this transaction only, as
    pg_restore does: the generator assigns every id itself, and the same rows are checked with
    foreign keys enforced on SQLite by the test suite. Needs a superuser; without one the load
    is just slower. `synchronous_commit` off: a crash mid-seed loses only the seed."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass


def _analyze() -> None:
    """Planner statistics for the freshly loaded tables. Without them PostgreSQL guesses, and
    e.g. scans all decisions instead of using the person index, until autovacuum gets round to
    it — or never, where autovacuum is off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _replace() -> None:
    """Delete the seeded data. The access log and audit trail are append-only (a PostgreSQL
    trigger rejects UPDATE/DELETE), and deleting a user they point at would update them; so
    on PostgreSQL --replace is refused once anyone has used the system — seed a fresh
    database instead. Districts are kept (users and log rows refer to them)."""
    # Only rows that point at a user would be updated (SET NULL) by deleting the users;
    # system records such as the seed's own roll-up rebuild point at nobody.
    if connection.vendor == "postgresql" and (
        AccessLog.objects.filter(user__isnull=False).exists()
        or AuditEvent.objects.filter(user__isnull=False).exists()
    ):
        raise SeedRefused(
            "--replace: the access log/audit trail already has rows and is append-only on "
            "PostgreSQL, so seeded users cannot be deleted. Seed a fresh database instead."
        )
    with transaction.atomic():
        for model in REPLACE_ORDER:
            # The collector, not a raw delete: rows of other areas that point at these
            # (payments, tasks, …) are cascaded or protected as their models say.
            model._base_manager.all().delete()
        from folja.core.seed.questions import remove_seeded_questions

        remove_seeded_questions()
        User.objects.filter(is_demo=True).delete()
        ApiToken.objects.all().delete()
        Escort.objects.all().delete()
        # The seeded no-choice alternative goes with its provider (named again on seeding).
        from folja.guidelines.models import GuidelineVersion

        GuidelineVersion.objects.filter(no_choice_provider__staff__isnull=True).update(
            no_choice_provider=None
        )
        Provider.objects.exclude(staff__isnull=False).delete()


def _generate(ctx: Ctx, progress: Progress) -> SeedResult:
    ctx.load_reference()
    organisation.make_districts(ctx)
    organisation.make_staff(ctx)
    organisation.make_providers(ctx)
    organisation.make_escorts(ctx, ctx.scale.persons)
    organisation.make_provider_staff(ctx)
    progress("organisation", 0, ctx.scale.persons)
    _write(ctx, ORG_ORDER)
    setup = demo_setup(ctx)
    weights = list(accumulate(ctx.district_profile[d["id"]].weight for d in ctx.districts))
    specials = {0: setup.person_special, 1: setup.ward_special}
    person_ids: dict[int, int] = {}
    # The plans of the persons the pilot may draw: what a member uses under the free model
    # comes from the same person (propensity, provider) as before it.
    in_pilot_districts = pilot_district_ids(ctx)
    pilot_plans: dict[int, PersonPlan] = {}
    sessions = 0
    verifier = Verifier(ctx)
    set_worker_verifier(verifier)
    pool = _pool(ctx.scale.persons)
    pending: _Pending | None = None
    try:
        for begin in range(0, ctx.scale.persons, CHUNK):
            payload: Payload = []
            for index in range(begin, min(begin + CHUNK, ctx.scale.persons)):
                first_session = ctx.tables.count(Session)
                first_claim = ctx.tables.count(ExpenseClaim)
                plan = make_person(ctx, index, weights, specials.get(index))
                person_ids[index] = plan.row["id"]
                if plan.row["district_id"] in in_pilot_districts:
                    pilot_plans[plan.row["id"]] = plan
                name_protected_staff(ctx, plan)
                make_decisions(ctx, plan)
                make_orders_and_sessions(ctx, plan)
                make_extras(ctx, plan)
                set_last_entry(ctx, plan, first_session)
                payload.append(
                    person_payload(
                        plan.row["id"],
                        plan.decisions,
                        ctx.tables.rows.get(Session, [])[first_session:],
                        ctx.tables.rows.get(ExpenseClaim, [])[first_claim:],
                    )
                )
            # Sessions (and the claims that point at them) wait for their verification.
            held = _Pending(
                sessions=list(ctx.tables.rows.get(Session, [])),
                claims=list(ctx.tables.rows.get(ExpenseClaim, [])),
                results=_verify(pool, payload),
            )
            sessions += len(held.sessions)
            _write(ctx, [m for m in PERSON_ORDER if m not in (Session, ExpenseClaim)])
            if pending is not None:
                _finish(ctx, pending)
            pending = held
            progress("persons", min(begin + CHUNK, ctx.scale.persons), ctx.scale.persons)
        if pending is not None:
            _finish(ctx, pending)
    finally:
        if pool is not None:
            pool.terminate()
    _run_pilots(ctx, pilot_plans)
    make_demo_accounts(ctx, setup, person_ids[0], person_ids[1])
    _write(ctx, DEMO_ORDER)
    from folja.core.seed.handbook import link_seeded_applications, seed_handbook

    seed_handbook()
    link_seeded_applications(demo_person_id=person_ids[0])
    from folja.core.seed.surveys import seed_surveys

    seed_surveys(ctx, demo_person_ids=[person_ids[0], person_ids[1]])
    from folja.core.seed.questions import seed_questions

    seed_questions(ctx)
    _verify_costly_activity_claims()
    # Rows written in bulk bypass the services that raise their work-list tasks: the
    # undecided claims and costly-activity applications get theirs here.
    from folja.cases.services_money import request_tasks_backfill

    request_tasks_backfill()
    _name_no_choice_provider(ctx)
    # The follow-up roll-up is kept incrementally by every write; rows written in bulk here
    # bypass those writes, so the roll-up is built once from scratch at the end — from the
    # results the verification above stored (sessions' charged minutes and flags, periods),
    # not by evaluating everyone a second time. Reading them back is simpler and faster than
    # handing the workers' evaluations over: those live in the worker processes and would
    # have to be pickled back, they lack what the facts read from other rows (feedback,
    # orders), and they are out of date for the persons `_verify_costly_activity_claims`
    # verified again, whose stored results are current.
    from folja.ledger.changed import everyone_figures_changed

    everyone_figures_changed()
    return SeedResult(skipped=False, persons=ctx.scale.persons, sessions=sessions)


def _run_pilots(ctx: Ctx, plans: dict[int, PersonPlan]) -> None:
    """The free model enters the data through a pilot (folja.core.seed.pilot). Its members'
    new sessions are written unverified; the ledger verifies them and stores their periods,
    as for any person whose decisions change."""
    from folja.ledger.bridge import verify_sessions_bulk

    switched = run_pilots(ctx, plans)
    if switched:
        verify_sessions_bulk(switched)


def _name_no_choice_provider(ctx) -> None:
    """The city's no-choice alternative (ickevalsalternativ, LOV 9 kap. 2 §) is its own
    municipal provider: the guideline versions that name none get the first one serving
    Stockholm."""
    from folja.guidelines.models import GuidelineVersion

    municipal = [p.id for p in ctx.providers if p.regi == "municipal" and p.serves == "stockholm"]
    if municipal:
        GuidelineVersion.objects.filter(no_choice_provider__isnull=True).update(
            no_choice_provider_id=municipal[0]
        )


def _verify_costly_activity_claims() -> None:
    """A claim for a costly activity draws on the pool only up to what is left of it, and the
    activity's approved money covers the rest (folja.ledger.expenses). The in-memory
    verification above sees neither the activities nor the link, so the few persons with such
    claims are verified again from their written rows, and their stored periods with them."""
    from folja.ledger.bridge import verify_sessions_bulk

    person_ids = sorted(
        set(
            ExpenseClaim.objects.filter(costly_activity__isnull=False).values_list(
                "person_id", flat=True
            )
        )
    )
    if person_ids:
        verify_sessions_bulk(person_ids)


@dataclass
class _Pending:
    sessions: list
    claims: list
    results: object  # list of results, or a multiprocessing AsyncResult of them


def _pool(persons: int):
    """Two forked workers for city/national on a multi-core machine; none for the demo (the
    fork costs more than it saves). Workers only compute: they never use the database."""
    if persons < 1000 or (os.cpu_count() or 1) < 2:
        return None
    return multiprocessing.get_context("fork").Pool(2)


def _verify(pool, payload: Payload):
    # THE verification call site: every generated session gets its rules-engine result.
    if pool is None:
        return verify_payload(payload)
    half = len(payload) // 2
    return [pool.apply_async(verify_payload, (part,)) for part in (payload[:half], payload[half:])]


def _finish(ctx: Ctx, pending: _Pending) -> None:
    results = pending.results
    if isinstance(results, list):  # the two workers' halves
        parts = [part.get() for part in results]
        results = ([r for p in parts for r in p[0]], [r for p in parts for r in p[1]])
    sessions, periods = results
    apply_results(pending.sessions, sessions)
    write_rows(Session, pending.sessions, created_at=ctx.created_at)
    write_rows(ExpenseClaim, pending.claims, created_at=ctx.created_at)
    write_periods(periods)


def _write(ctx: Ctx, order: list) -> None:
    write_all(ctx.tables, order, created_at=ctx.created_at)
    ctx.tables.clear()
