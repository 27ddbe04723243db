"""The activity handbook in the follow-up (issue 15, items 3–4): handling time of the
tillämpningsfrågor and, per district, how often applications naming each grey-zone activity
were granted, flagged where a district's practice departs from the published ruling.

One composition for the dashboards and the tertial report (PDF and Excel), over the slice's
months, so they show the same figures. The figures themselves are the questions app's
(`folja.questions.handling`, `folja.questions.practice`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from folja.core import clock
from folja.followup.opendata import THRESHOLD
from folja.followup.selectors import Slice
from folja.people.models import District
from folja.questions.handling import Handling, Period, handling_time
from folja.questions.practice import ActivityPractice, grey_zone_practice


def last_day(s: Slice) -> date:
    """The last day of the slice's last month."""
    end = s.end
    return date(end.year + (end.month == 12), end.month % 12 + 1, 1) - timedelta(days=1)


def _tertials(s: Slice, today: date) -> list[Period]:
    """The tertials the slice covers that have begun by `today`, each cut to the slice."""
    periods = []
    for year in range(s.start.year, s.end.year + 1):
        for t in (1, 2, 3):
            whole = Slice.tertial(year, t)
            first, last = max(whole.start, s.start), min(last_day(whole), last_day(s))
            if first <= last and first <= today:
                periods.append(Period(f"{year} T{t}", first, last))
    return periods


def handbook_followup(s: Slice) -> dict:
    """What the dashboards' section and the tertial report show for slice `s`."""
    now = clock.now()
    today = now.date()
    first, last = s.start, last_day(s)
    periods = _tertials(s, today)
    rows: list[Handling] = handling_time(periods=periods, now=now, district_id=s.district_id)
    total = None
    if len(periods) > 1:
        total = handling_time(
            periods=[Period(_("Hela perioden"), first, last)], now=now, district_id=s.district_id
        )[0]
    elif rows:
        total = rows[0]
    practice: list[ActivityPractice] = grey_zone_practice(
        start=first, end=last, on=min(last, today)
    )
    if s.district_id is not None:
        # A district's own dashboard shows its own row of each activity.
        name = District.objects.filter(pk=s.district_id).values_list("name", flat=True).first()
        practice = [
            ActivityPractice(a.activity, a.ruling, [c for c in a.cells if c.district == name])
            for a in practice
        ]
    return {
        "handling": rows,
        "handling_total": total,
        "practice": practice,
        "first": first,
        "last": last,
        "threshold": THRESHOLD,
    }
