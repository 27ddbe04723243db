"""The unit manager's overview and the follow-up page show a month the same way: the same
granted hours (a decision replaced on reconsideration counted once, as its replacement) and
the same percentage, rounded, never truncated."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from folja.cases.dashboard import manager_dashboard
from folja.followup.services import rollup_refresh
from folja.testing.factories import DecisionFactory, OrderFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _replaced_decision(person):
    """20 h a month for 2024, reconsidered on 1 March to 24 h for the same validity."""
    old = DecisionFactory(
        person=person,
        decided_on=date(2024, 1, 2),
        hours_per_month=Decimal("20"),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 12, 31),
    )
    new = DecisionFactory(
        person=person,
        decided_on=date(2024, 3, 1),
        hours_per_month=Decimal("24"),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 12, 31),
    )
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    return old, new


def _executed(order, start: datetime, minutes: int):
    return SessionFactory(
        order=order,
        start=start,
        end=start + timedelta(minutes=minutes),
        reported_at=start + timedelta(minutes=minutes, hours=1),
    )


def _month_cells(html: str, label: str) -> list[str]:
    """The cells of month `label`'s row in the page's table of granted and executed hours:
    on the dashboard granted, executed, rate; on the follow-up page persons first."""
    table = html.split("Beviljade och utförda timmar per månad", 1)[1]
    row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', table).group(1)
    return re.findall(r'<td class="num">(.*?)</td>', row)


@pytest.fixture
def april(ref, frozen, person):
    """One person of the district: a replaced decision, and 1,007 executed minutes in April
    of the 1,440 granted (69.93 %: truncation reads 69 %, rounding 70 %)."""
    _, new = _replaced_decision(person)
    order = OrderFactory(decision=new)
    _executed(order, datetime(2024, 4, 9, 8, 0), 500)
    _executed(order, datetime(2024, 4, 16, 8, 0), 507)
    rollup_refresh(person_ids=[person.pk])
    return person


def test_the_dashboard_counts_a_replaced_decision_once_as_its_replacement(april, district):
    board = manager_dashboard(district=district, today=date(2024, 6, 14))
    row = next(r for r in board.months if r.month == date(2024, 4, 1))
    assert row.granted_minutes == 24 * 60  # not 20 h + 24 h
    assert row.executed_minutes == 1007


def test_both_pages_show_the_same_granted_hours_for_a_month_with_a_replaced_decision(
    client, april, manager
):
    client.force_login(manager)
    dashboard = client.get(reverse("cases:manager_dashboard")).content.decode()
    follow_up = client.get(reverse("followup:district") + "?year=2024").content.decode()
    granted_on_dashboard = _month_cells(dashboard, "2024-04")[0]
    granted_in_follow_up = _month_cells(follow_up, "apr 2024")[1]
    assert granted_on_dashboard == granted_in_follow_up == "24,0"


def test_the_same_month_shows_the_same_percentage_on_the_dashboard_and_the_follow_up_page(
    client, april, manager
):
    client.force_login(manager)
    dashboard = client.get(reverse("cases:manager_dashboard")).content.decode()
    follow_up = client.get(reverse("followup:district") + "?year=2024").content.decode()
    on_dashboard = _month_cells(dashboard, "2024-04")
    in_follow_up = _month_cells(follow_up, "apr 2024")
    assert on_dashboard[1] == in_follow_up[2] == "16,8"  # 1,007 min = 16.78 h
    assert on_dashboard[2] == in_follow_up[3] == "70 %"  # 69.93 %, rounded


def test_the_comparison_with_the_city_takes_the_replacements_hours(april, district):
    board = manager_dashboard(district=district, today=date(2024, 6, 14))
    # Two decisions were made (both are counted), but only the 24 h one grants time.
    assert board.district_row.decisions == 2
    assert board.district_row.median_hours == Decimal("24.0")
