"""One definition of the decisions that grant time, in its three forms (queryset, row in
memory, SQL), agreeing with each other and with the bridge to the engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from folja.cases.models import Decision
from folja.ledger.bridge import decision_grants
from folja.ledger.decisions import (
    GRANTING_FIELDS,
    granting_decisions,
    granting_sql,
    grants_time,
)
from folja.testing.factories import DecisionFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(ref):
    person = PersonFactory()
    granted = DecisionFactory(person=person, hours_per_month=Decimal("20"))
    partly = DecisionFactory(person=person, outcome="partly_rejected")
    rejected = DecisionFactory(
        person=person, outcome="rejected", hours_per_month=None, valid_from=None, valid_to=None
    )
    replaced = DecisionFactory(person=person, hours_per_month=Decimal("12"))
    replaced.superseded_by = granted
    replaced.save(update_fields=["superseded_by"])
    return {"granted": granted, "partly": partly, "rejected": rejected, "replaced": replaced}


def test_a_replaced_decision_and_a_rejection_grant_no_time(decisions):
    expected = {decisions["granted"].pk, decisions["partly"].pk}
    assert set(granting_decisions().values_list("pk", flat=True)) == expected
    narrowed = granting_decisions(Decision.objects.filter(hours_per_month=Decimal("20")))
    assert list(narrowed.values_list("pk", flat=True)) == [decisions["granted"].pk]


def test_the_test_in_memory_agrees_for_instances_dicts_and_named_tuples(decisions):
    expected = set(granting_decisions().values_list("pk", flat=True))
    assert {d.pk for d in Decision.objects.all() if grants_time(d)} == expected
    rows = Decision.objects.values("pk", *GRANTING_FIELDS)
    assert {d["pk"] for d in rows if grants_time(d)} == expected
    named = Decision.objects.values_list("pk", *GRANTING_FIELDS, named=True)
    assert {d.pk for d in named if grants_time(d)} == expected


def test_the_sql_condition_selects_the_same_decisions(decisions):
    table = Decision._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.id FROM {table} d WHERE {granting_sql('d')}")
        selected = {row[0] for row in cursor.fetchall()}
    assert selected == set(granting_decisions().values_list("pk", flat=True))
    with pytest.raises(ValueError):
        granting_sql("d; DROP TABLE x")


def test_the_engine_is_given_the_same_decisions(decisions):
    grants = decision_grants(Decision.objects.all())
    assert {g.id for g in grants} == {str(decisions["granted"].pk), str(decisions["partly"].pk)}
    assert date(2024, 2, 14) in {g.valid_from for g in grants}
