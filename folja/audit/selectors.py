"""Reads of the access log for review: who viewed a person, and what looks wrong."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from folja.audit.models import AccessLog
from folja.cases.selectors import caseload_persons
from folja.core.params import ascii_int
from folja.rules.errors import InvalidPersonnummer

# A day is unusual for a user when it reaches this many times the user's median day and at
# least this many views (a caseworker opening 6 files instead of 2 is not an anomaly).
VOLUME_FACTOR = 3
VOLUME_MINIMUM = 20


def _window(qs: QuerySet, since: date, until: date) -> QuerySet:
    return qs.filter(
        at__gte=datetime.combine(since, time.min),
        at__lt=datetime.combine(until + timedelta(days=1), time.min),
    )


def views_of_person(*, user, key: str) -> QuerySet:
    """Everything logged about one person, found by pseudonym or by person id, within what the
    reviewer may see (their own district's persons)."""
    key = key.strip()
    condition = Q(person_pseudonym=key)
    if (person_id := ascii_int(key)) is not None:
        condition |= Q(person_id=person_id)
    return AccessLog.objects.visible_to(user).filter(condition).select_related(None)


# A name search matching more persons than this asks for a narrower search.
MATCHES_SHOWN = 20


@dataclass(frozen=True)
class PersonMatches:
    persons: list
    # Why nothing matched, said so the reviewer can act on it; empty when something did.
    reason: str = ""


def persons_matching(*, user, query: str) -> PersonMatches:
    """The persons the reviewer may see whose personnummer or name matches `query`: the
    caseload's own search (`folja.cases.selectors.caseload_persons`), so the review finds a
    person exactly as the person page does, and nobody outside the reviewer's scope."""
    try:
        persons = list(caseload_persons(user=user, query=query)[: MATCHES_SHOWN + 1])
    except InvalidPersonnummer:
        return PersonMatches(
            [],
            _(
                "Ingen person du får se matchar. Ett personnummer skrivs ÅÅÅÅMMDD-NNNN; "
                "kontrollera siffrorna."
            ),
        )
    if not persons:
        return PersonMatches(
            [],
            _(
                "Ingen person du får se matchar. Du ser bara personer i din egen stadsdel, "
                "och en gallrad person hittas bara på sin pseudonym."
            ),
        )
    return PersonMatches(persons)


@dataclass(frozen=True)
class VolumeAnomaly:
    username: str
    role: str
    day: date
    views: int
    median: float


@dataclass(frozen=True)
class Anomalies:
    outside_caseload: QuerySet
    protected: QuerySet
    volume: list[VolumeAnomaly]


def anomalies(*, user, since: date, until: date) -> Anomalies:
    logs = _window(AccessLog.objects.visible_to(user), since, until)
    return Anomalies(
        outside_caseload=logs.filter(in_caseload=False),
        protected=logs.filter(protected=True),
        volume=volume_anomalies(logs),
    )


def volume_anomalies(logs: QuerySet) -> list[VolumeAnomaly]:
    """Days on which a user viewed far more than on their median active day. Counted in the
    database (one row per user and day), compared in Python."""
    per_day = (
        logs.annotate(day=TruncDate("at"))
        .values("username", "role", "day")
        .annotate(views=Count("id"))
        .order_by()
    )
    by_user: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    for row in per_day:
        by_user[(row["username"], row["role"])].append((row["day"], row["views"]))
    found = []
    for (username, role), days in by_user.items():
        median = statistics.median(v for _, v in days)
        for day, views in days:
            if views >= VOLUME_MINIMUM and views >= VOLUME_FACTOR * median:
                found.append(VolumeAnomaly(username, role, day, views, float(median)))
    return sorted(found, key=lambda a: (a.day, a.username), reverse=True)


def export_rows(*, user, since: date, until: date) -> QuerySet:
    return _window(AccessLog.objects.visible_to(user), since, until).order_by("at", "id")
