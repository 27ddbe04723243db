"""Two persons for the page benchmark: the same life with one year and with ten years of history.

Both live in the benchmark district with a decision in force today (flex3, ten hours a month)
and one executed two-hour session a week from the same provider; the only difference is how far back
their history reaches. Created once per benchmark database and re-verified through the ledger
on every run, so their stored periods are the engine's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

# Bumped when the persons' life changes, so a kept benchmark database gets the new ones.
MARK = "bench-history-2"


def _history(person, district, provider, legal_basis, guideline, years: int, today: date):
    from folja.cases.models import Decision
    from folja.delivery.models import Session
    from folja.providers.models import Order

    first = date(today.year - years, today.month, 1)
    sessions = []
    start = first
    while start <= today + timedelta(days=180):
        end = min(date(start.year + 1, start.month, 1) - timedelta(days=1), today + timedelta(180))
        decision = Decision.objects.create(
            person=person,
            district=district,
            decided_on=start - timedelta(days=10),
            notified_on=start - timedelta(days=8),
            outcome="granted",
            legal_basis=legal_basis,
            requested_hours_per_month=Decimal("10"),
            hours_per_month=Decimal("10"),
            model="flex3",
            guideline_version=guideline,
            valid_from=start,
            valid_to=end,
        )
        order = Order.objects.create(
            decision=decision, person=person, provider=provider, status="accepted"
        )
        day = start
        while day <= min(end, today - timedelta(days=1)):
            # Fridays, 14:00–16:00: about 8.7 hours a month, within the 10 granted, as an
            # ordinary life is; a steady excess would only measure the review backlog.
            if day.weekday() == 4:
                at = datetime(day.year, day.month, day.day, 14, 0)
                sessions.append(
                    Session(
                        order=order,
                        person=person,
                        provider=provider,
                        start=at,
                        end=at + timedelta(hours=2),
                        status="executed",
                        escorts=1,
                    )
                )
            day += timedelta(days=1)
        start = end + timedelta(days=1)
    Session.objects.bulk_create(sessions, batch_size=1000)


def history_persons(district, today: date):
    """(one-year person, ten-year person, their Mina sidor users), created when missing."""
    from folja.accounts.models import Role, User
    from folja.guidelines.models import GuidelineVersion, LegalBasis
    from folja.ledger.changed import person_figures_changed
    from folja.people.models import Person
    from folja.providers.models import Provider
    from folja.rules.luhn import make_personnummer

    persons = []
    for years in (1, 10):
        username = f"{MARK}-{years}"
        user = User.objects.filter(username=username).select_related("person").first()
        if user is None:
            provider = Provider.objects.order_by("pk").first()
            legal_basis = LegalBasis.objects.filter(act="LSS").order_by("-valid_from").first()
            guideline = GuidelineVersion.objects.filter(valid_from__lte=today).first()
            person = Person.objects.create(
                personnummer=make_personnummer(date(1980, 5, 18), 900 + 2 * years),
                pseudonym=f"BENCHHIST2-{years:02d}",
                first_name="Historik",
                last_name=f"{years} år",
                birth_date=date(1980, 5, 17),
                sex="female",
                district=district,
            )
            _history(person, district, provider, legal_basis, guideline, years, today)
            user = User.objects.create(username=username, role=Role.PERSON, person=person)
        person_figures_changed(person_ids=[user.person_id])
        persons.append(user)
    return persons
