from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from folja.accounts.models import Role
from folja.audit.models import AccessLog, AuditEvent
from folja.audit.selectors import volume_anomalies
from folja.audit.services import log_access
from folja.testing.factories import DistrictFactory, PersonFactory, make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 6, 14, 12, 0)


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def manager(district):
    return make_user(Role.UNIT_MANAGER, district=district)


def _log(user, person, at: datetime, what: str = "personakt") -> None:
    with time_machine.travel(at, tick=False):
        log_access(user=user, person=person, what=what, path="/x/")


@time_machine.travel(NOW, tick=False)
def test_the_unit_manager_sees_who_viewed_a_person_of_the_district(client, district, manager):
    person = PersonFactory(district=district)
    reader = make_user(Role.CASEWORKER, district=district)
    _log(reader, person, NOW - timedelta(days=1))
    client.force_login(manager)
    response = client.get("/granskning/", {"q": person.pseudonym})
    page = response.content.decode()
    assert response.status_code == 200
    assert reader.username in page and person.full_name in page
    # The review itself is logged as a look at the person.
    assert AccessLog.objects.filter(user=manager, person=person, what="åtkomstlogg").exists()


@time_machine.travel(NOW, tick=False)
def test_the_person_can_also_be_found_by_id(client, district, manager):
    person = PersonFactory(district=district)
    _log(make_user(Role.CASEWORKER, district=district), person, NOW)
    client.force_login(manager)
    page = client.get("/granskning/", {"q": str(person.pk)}).content.decode()
    assert "1 registrerad åtkomst" in page


@time_machine.travel(NOW, tick=False)
def test_a_unit_manager_sees_nothing_of_another_districts_person(client, manager):
    person = PersonFactory()  # another district
    reader = make_user(Role.CASEWORKER, district=person.district)
    _log(reader, person, NOW)
    client.force_login(manager)
    page = client.get("/granskning/", {"q": person.pseudonym}).content.decode()
    assert reader.username not in page and person.full_name not in page
    assert "Ingen person du får se matchar" in page


@time_machine.travel(NOW, tick=False)
def test_the_person_is_found_by_personnummer_in_either_form(client, district, manager):
    person = PersonFactory(district=district)
    reader = make_user(Role.CASEWORKER, district=district)
    _log(reader, person, NOW)
    client.force_login(manager)
    page = client.get("/granskning/", {"q": person.personnummer}).content.decode()
    assert person.full_name in page and reader.username in page
    assert "1 registrerad åtkomst" in page
    # The ten-digit form without a hyphen finds the same person (the first review is now
    # logged too).
    ten_digits = person.personnummer.replace("-", "")[2:]
    page = client.get("/granskning/", {"q": ten_digits}).content.decode()
    assert person.full_name in page and "2 registrerade åtkomster" in page


@time_machine.travel(NOW, tick=False)
def test_the_person_is_found_by_name_and_several_matches_are_offered_to_choose(
    client, district, manager
):
    berit = PersonFactory(district=district, first_name="Berit", last_name="Lind")
    PersonFactory(district=district, first_name="Bengt", last_name="Lind")
    reader = make_user(Role.CASEWORKER, district=district)
    _log(reader, berit, NOW)
    client.force_login(manager)
    page = client.get("/granskning/", {"q": "berit lind"}).content.decode()
    assert reader.username in page and "1 registrerad åtkomst" in page
    page = client.get("/granskning/", {"q": "Lind"}).content.decode()
    assert "Flera personer matchar" in page
    assert f"?q={berit.pseudonym}" in page
    assert reader.username not in page


@time_machine.travel(NOW, tick=False)
def test_a_search_that_finds_nobody_says_why(client, district, manager):
    elsewhere = PersonFactory(first_name="Gösta", last_name="Annanstans")
    client.force_login(manager)
    for query in ("Annanstans", elsewhere.personnummer):
        page = client.get("/granskning/", {"q": query}).content.decode()
        assert "Ingen person du får se matchar" in page, query
        assert "Gösta" not in page
    page = client.get("/granskning/", {"q": "19750309-2427"}).content.decode()
    assert "kontrollera siffrorna" in page


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ANALYST, Role.PERSON, Role.PROVIDER_STAFF])
def test_other_roles_get_404_for_the_review_pages(client, role):
    client.force_login(make_user(role))
    for url in ("/granskning/", "/granskning/avvikelser/", "/granskning/export/"):
        assert client.get(url).status_code == 404


def test_an_empty_lookup_shows_the_error_next_to_the_field(client, manager):
    client.force_login(manager)
    page = client.get("/granskning/", {"q": ""}).content.decode()
    assert 'aria-describedby="q-error"' in page


@time_machine.travel(NOW, tick=False)
def test_the_anomaly_list_shows_views_outside_the_caseload_and_of_protected_identities(
    client, district, manager
):
    person = PersonFactory(district=district)
    hidden = PersonFactory(district=district, protected_identity="protected_registration")
    outsider = make_user(Role.CASEWORKER)  # of another district
    own = make_user(Role.CASEWORKER, district=district)
    _log(outsider, person, NOW - timedelta(days=2))
    _log(own, hidden, NOW - timedelta(days=3))
    _log(own, person, NOW - timedelta(days=3))
    client.force_login(manager)
    response = client.get("/granskning/avvikelser/")
    ctx = response.context
    assert [e.username for e in ctx["outside"]] == [outsider.username]
    assert [e.person_pseudonym for e in ctx["protected"]] == [hidden.pseudonym]


@time_machine.travel(NOW, tick=False)
def test_an_unusual_day_is_flagged_against_the_users_own_median(district):
    reader = make_user(Role.CASEWORKER, district=district)
    persons = [PersonFactory(district=district) for _ in range(3)]
    for day in range(1, 8):  # an ordinary week: 3 views a day
        for p in persons:
            _log(reader, p, NOW - timedelta(days=day))
    for i in range(30):  # then one day with 30 views
        _log(reader, persons[i % 3], NOW - timedelta(hours=1))
    found = volume_anomalies(AccessLog.objects.all())
    assert [(a.username, a.day, a.views) for a in found] == [(reader.username, NOW.date(), 30)]
    assert found[0].median == 3


@time_machine.travel(NOW, tick=False)
def test_steady_heavy_use_is_not_an_anomaly(district):
    reader = make_user(Role.CASEWORKER, district=district)
    person = PersonFactory(district=district)
    for day in range(5):
        for _ in range(25):
            _log(reader, person, NOW - timedelta(days=day))
    assert volume_anomalies(AccessLog.objects.all()) == []


def test_an_inverted_period_is_refused_next_to_the_start_date(client, manager):
    client.force_login(manager)
    response = client.get("/granskning/avvikelser/", {"since": "2024-06-10", "until": "2024-06-01"})
    assert response.status_code == 200
    assert 'aria-describedby="since-error"' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_administrator_exports_the_whole_log_as_csv_and_the_export_is_recorded(client):
    admin = make_user(Role.ADMINISTRATOR)
    a, b = PersonFactory(), PersonFactory()
    _log(make_user(Role.CASEWORKER, district=a.district), a, NOW - timedelta(days=1))
    _log(make_user(Role.CASEWORKER, district=b.district), b, NOW - timedelta(days=400))
    client.force_login(admin)
    response = client.get(
        "/granskning/export/", {"format": "csv", "since": "2024-06-01", "until": "2024-06-14"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
    assert rows[0][:4] == ["at", "username", "role", "person_pseudonym"]
    assert [r[3] for r in rows[1:]] == [a.pseudonym]
    event = AuditEvent.objects.get(action="access_log_exported")
    assert event.details == {"since": "2024-06-01", "until": "2024-06-14", "rows": 1}


def test_the_export_page_without_a_format_shows_the_form(client):
    client.force_login(make_user(Role.ADMINISTRATOR))
    response = client.get("/granskning/export/")
    assert response.status_code == 200
    assert "Ladda ner CSV" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_list_view_logs_one_complete_row_per_person_shown(district):
    from folja.audit.services import log_access_many

    own = PersonFactory(district=district)
    hidden = PersonFactory(district=DistrictFactory(), protected_identity="confidentiality_mark")
    reader = make_user(Role.CASEWORKER, district=district)

    log_access_many(user=reader, persons=[own, hidden], what="caseload", path="/handlaggning/")

    rows = {r.person_id: r for r in AccessLog.objects.filter(what="caseload").order_by("person_id")}
    assert set(rows) == {own.pk, hidden.pk}
    for person, row in ((own, rows[own.pk]), (hidden, rows[hidden.pk])):
        assert (row.at, row.user_id, row.username, row.role, row.path) == (
            timezone.now(),
            reader.pk,
            reader.username,
            "caseworker",
            "/handlaggning/",
        )
        assert (row.person_pseudonym, row.person_district_id) == (
            person.pseudonym,
            person.district_id,
        )
    assert (rows[own.pk].protected, rows[own.pk].in_caseload) == (False, True)
    assert (rows[hidden.pk].protected, rows[hidden.pk].in_caseload) == (True, False)


def test_a_list_view_showing_nobody_logs_nothing(district):
    from folja.audit.services import log_access_many

    log_access_many(user=make_user(Role.CASEWORKER, district=district), persons=[], what="x")
    assert not AccessLog.objects.exists()
