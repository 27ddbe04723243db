"""The caseworker's and unit manager's pages, through the test client."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from folja.audit.models import AccessLog
from folja.cases.models import Decision
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    DecisionFactory,
    OrderFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def test_the_caseload_lists_the_own_districts_persons_and_logs_the_reads(
    client, ref, person, caseworker, other_district
):
    PersonFactory(district=other_district, last_name="Utanför")
    client.force_login(caseworker)
    html = client.get(reverse("cases:caseload")).content.decode()
    assert "Lund" in html and "Utanför" not in html
    assert AccessLog.objects.filter(person=person, what="caseload").count() == 1


def test_the_caseload_finds_a_person_by_name_or_personnummer(client, ref, person, caseworker):
    PersonFactory(
        district=person.district, first_name="Bertil", last_name="Berg", birth_date=date(1966, 2, 2)
    )
    client.force_login(caseworker)
    html = client.get(reverse("cases:caseload"), {"q": "lun"}).content.decode()
    assert "Lund" in html and "Berg" not in html
    ten_digits = person.personnummer[2:]  # YYMMDD-NNNN
    html = client.get(reverse("cases:caseload"), {"q": ten_digits}).content.decode()
    assert "Lund" in html and "Berg" not in html


@pytest.mark.parametrize("query", ["19800517-1234", "800517", "20991301-0000", "12345678901234567"])
def test_a_malformed_personnummer_gives_a_swedish_error_not_an_empty_list(
    client, ref, person, caseworker, query
):
    client.force_login(caseworker)
    response = client.get(reverse("cases:caseload"), {"q": query})
    assert response.status_code == 200
    assert "Personnumret är inte giltigt" in response.content.decode()


def test_search_as_you_type_returns_only_the_results(client, ref, person, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("cases:caseload"), {"q": "Lund"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="caseload-results"') and "<html" not in html


def test_the_person_page_shows_decision_balance_provider_and_plan(
    client, ref, person, caseworker, frozen
):
    decision = DecisionFactory(
        person=person,
        valid_from=date(2024, 4, 1),
        valid_to=date(2025, 3, 31),
        hours_per_month=Decimal("10"),
    )
    order = OrderFactory(decision=decision, provider__name="Följeslagarna AB")
    order.plans.create(
        version=1,
        goals="Gå på konserter",
        activities="Musik",
        who="Sara",
        when="Lördagar",
        how="Buss",
        participation="Valt själv",
    )
    SessionFactory(order=order, start=datetime(2024, 5, 4, 12, 0), end=datetime(2024, 5, 4, 15, 0))
    client.force_login(caseworker)
    html = client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
    assert "Följeslagarna AB" in html and "Gå på konserter" in html
    assert "2024-04-01 – 2024-06-30" in html  # current flex3 period
    assert "27,0 h" in html  # 30 h granted, 3 used
    assert "Storgatan 1" in html
    assert AccessLog.objects.filter(person=person, what="person_file").exists()


def test_protected_identity_hides_address_unless_the_user_is_named(client, ref, person, caseworker):
    person.protected_identity = "protected_registration"
    person.save()
    client.force_login(caseworker)
    url = reverse("cases:person_detail", args=[person.pk])
    html = client.get(url).content.decode()
    assert "Storgatan 1" not in html and "08-123 456" not in html
    person.named_staff.add(caseworker)
    assert "Storgatan 1" in client.get(url).content.decode()
    assert AccessLog.objects.filter(person=person, protected=True).exists()


def test_the_decision_form_asks_for_a_deviation_reason_next_to_its_field(
    client, ref, person, caseworker
):
    others = [
        PersonFactory(district=person.district, birth_date=date(1981, 1, i + 1)) for i in range(6)
    ]
    for i, p in enumerate(others):
        a = AssessmentFactory(application=ApplicationFactory(person=p), need_score=Decimal("4"))
        DecisionFactory(
            person=p,
            application=a.application,
            decided_on=date(2024, 1, 5),
            hours_per_month=Decimal(8 + i),
        )
    application = AssessmentFactory(application=ApplicationFactory(person=person)).application
    client.force_login(caseworker)
    url = reverse("cases:decision_create", args=[application.pk])
    data = {
        "decided_on": "2024-06-01",
        "outcome": "granted",
        "legal_basis": Decision.objects.first().legal_basis_id,
        "hours_per_month": "60",
        "valid_from": "2024-06-01",
        "valid_to": "2025-05-31",
        "reasons": "Utrett.",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_deviation_reason_error"' in html and "Skriv skälet till avvikelsen" in html
    assert "Varning:" in html
    panel = client.get(reverse("cases:decision_support", args=[application.pk]), data)
    assert "Varning:" in panel.content.decode()
    data["deviation_reason"] = "Särskilda skäl."
    assert client.post(url, data).status_code == 302


def test_the_manager_dashboard_shows_the_district_against_the_city(
    client, ref, person, manager, caseworker, other_district, frozen
):
    DecisionFactory(person=person, decided_on=date(2024, 3, 3))
    DecisionFactory(
        person=PersonFactory(district=person.district, birth_date=date(1990, 1, 1)),
        decided_on=date(2024, 3, 9),
        outcome="rejected",
        hours_per_month=None,
        valid_from=None,
        valid_to=None,
    )
    DecisionFactory(person=PersonFactory(district=other_district), decided_on=date(2024, 4, 1))
    client.force_login(manager)
    response = client.get(reverse("cases:manager_dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    march = '<th scope="row">2024-03</th><td class="num">2</td><td class="num">1</td>'
    assert march + '<td class="num">50 %</td>' in html
    for name in ("beslut", "timmar", "utforare"):
        chart = client.get(reverse("cases:manager_chart", args=[name]))
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
        assert b"<svg" in chart.content
    assert client.get(reverse("cases:manager_chart", args=["okand"])).status_code == 404
    client.force_login(caseworker)
    assert client.get(reverse("cases:manager_dashboard")).status_code == 404


def test_the_worklist_links_each_task_to_its_action(client, ref, person, caseworker, frozen):
    DecisionFactory(
        person=person, valid_from=date(2024, 1, 1), valid_to=date(2024, 7, 1), caseworker=caseworker
    )
    client.force_login(caseworker)
    # No button to press: opening the list makes the day's time-based tasks.
    html = client.get(reverse("cases:worklist"), {"mina": "1"}).content.decode()
    assert "Beslut går ut inom 60 dagar" in html and "Lund" in html
    assert "Uppdatera arbetslistan" not in html


def test_the_person_page_needs_no_more_queries_for_more_orders_and_sessions(
    client, ref, person, caseworker, django_assert_max_num_queries, frozen
):
    for month in range(1, 6):
        order = OrderFactory(decision=DecisionFactory(person=person))
        order.plans.create(
            version=1, goals="Mål", activities="A", who="B", when="C", how="D", participation="E"
        )
        SessionFactory(
            order=order, start=datetime(2024, month, 3, 10, 0), end=datetime(2024, month, 3, 12, 0)
        )
    client.force_login(caseworker)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("cases:person_detail", args=[person.pk])).status_code == 200
