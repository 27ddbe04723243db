"""The authorization matrix: every URL pattern and API route × every role × own/other object.

Every route the resolver knows must have an entry in ROUTES (or be under a prefix in GROUPS);
a new route without one fails `test_every_route_is_classified`. Each entry says which roles may
use the route and which kind of object its URL names. The expected status follows from that:

- anonymous: sent to the login page (HTML) or 401 (API);
- a role that may not use the route: 404 (never 403: nothing confirms the page exists);
- an allowed role and an object of its own world: OK (2xx/3xx, or a form error for a POST);
- an allowed role and an object of the other world (another district, provider or person): 404,
  except roles that see the whole city for that kind of object (`citywide`).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from folja.accounts.models import Role
from folja.testing.routes import HOME, R, rolled_back_worlds, route_url, send

pytestmark = pytest.mark.django_db

PERSON, REP = Role.PERSON, Role.REPRESENTATIVE
CW, UM = Role.CASEWORKER, Role.UNIT_MANAGER
PS, PA = Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN
AN, AD = Role.ANALYST, Role.ADMINISTRATOR
EVERYONE = frozenset(Role.values)
CASE = {CW, UM}
PORTAL = {PERSON, REP}
PROVIDER = {PS, PA}

ROUTES: dict[str, R] = {
    # core and accounts
    "": R(EVERYONE),
    "healthz": R(public=True),
    "konto/login/": R(public=True),
    "konto/logout/": R(public=True, method="POST", public_status=(302,)),
    "konto/login/kod/": R(public=True, public_status=(302,)),
    "konto/tvastegsverifiering/": R(EVERYONE - PORTAL),
    "konto/bekrafta/": R(EVERYONE),
    # OIDC is off unless configured (test_oidc.py covers it configured).
    "konto/oidc/authenticate/": R(public=True, public_status=(404,)),
    "konto/oidc/callback/": R(public=True, public_status=(404,)),
    "i18n/setlang/": R(public=True, method="POST", public_status=(302,)),
    # casework
    "handlaggning/": R(CASE),
    "handlaggning/person/<int:pk>/": R(CASE, "person"),
    "handlaggning/person/<int:pk>/ansokan/": R(CASE, "person"),
    "handlaggning/ansokan/<int:pk>/": R(CASE, "application"),
    "handlaggning/bilaga/<int:pk>/": R(CASE, "attachment"),
    "handlaggning/ansokan/<int:pk>/utredning/": R(CASE, "application"),
    "handlaggning/ansokan/<int:pk>/beslut/": R(CASE, "application"),
    "handlaggning/ansokan/<int:pk>/beslutsstod/": R(CASE, "application"),
    "handlaggning/beslut/<int:pk>/": R(CASE, "decision"),
    "handlaggning/beslut/<int:pk>/brev/": R(CASE, "decision", method="POST"),
    "handlaggning/beslut/<int:pk>/bestallning/": R(CASE, "decision"),
    "handlaggning/beslut/<int:pk>/overklagande/": R(CASE, "decision", method="POST"),
    "handlaggning/brev/<int:pk>/": R(CASE, "letter"),
    "handlaggning/brev/<int:pk>/pdf/": R(CASE, "letter"),
    "handlaggning/bestallning/<int:pk>/": R(CASE, "order"),
    "handlaggning/overklagande/<int:pk>/": R(CASE, "appeal"),
    "handlaggning/overklagande/<int:pk>/omprovning/": R(CASE, "appeal", method="POST"),
    "handlaggning/overklagande/<int:pk>/overlamning/": R(CASE, "appeal", method="POST"),
    "handlaggning/overklagande/<int:pk>/avvisning/": R(CASE, "appeal", method="POST"),
    "handlaggning/overklagande/<int:pk>/dom/": R(CASE, "appeal", method="POST"),
    "handlaggning/pass/<int:pk>/granskning/": R(CASE, "session"),
    "handlaggning/utlagg/<int:pk>/beslut/": R(CASE, "claim"),
    "handlaggning/kostsam-aktivitet/<int:pk>/beslut/": R(CASE, "costly"),
    "handlaggning/uppgift/<int:pk>/avsluta/": R(CASE, "task"),
    "handlaggning/beslut/<int:pk>/ej-verkstallt/": R(CASE, "decision"),
    "handlaggning/beslut/<int:pk>/val-av-utforare/": R(CASE, "decision"),
    "handlaggning/arbetslista/": R(CASE),
    "handlaggning/oversikt/": R({UM}),
    "handlaggning/oversikt/diagram/<slug:name>.svg": R({UM}, kwargs={"name": "beslut"}),
    "handlaggning/oversikt/diagram/<slug:name>.csv": R({UM}, kwargs={"name": "beslut"}),
    # person registry (casework): register, edit, representatives, named staff, Navet
    "personregister/ny/": R(CASE),
    "personregister/<int:pk>/": R(CASE, "person"),
    "personregister/<int:pk>/foretradare/ny/": R(CASE, "person"),
    "personregister/<int:pk>/behorighet/": R({UM}, "person"),
    "personregister/foretradare/<int:pk>/": R(CASE, "representative"),
    "personregister/navet/": R(CASE),
    # provider portal
    "utforare/": R(PROVIDER),
    "utforare/bestallning/<int:order_id>/": R(PROVIDER, "order"),
    "utforare/bestallning/<int:order_id>/acceptera/": R(PROVIDER, "order", method="POST"),
    "utforare/bestallning/<int:order_id>/genomforandeplan/": R(PROVIDER, "order"),
    "utforare/bestallning/<int:order_id>/matchning/": R(PROVIDER, "order"),
    "utforare/bestallning/<int:order_id>/boka/": R(PROVIDER, "order"),
    "utforare/andring/<int:notice_id>/kvittera/": R(PROVIDER, "notice", method="POST"),
    "utforare/pass/": R(PROVIDER),
    "utforare/pass/import/": R(PROVIDER),
    "utforare/pass/import/<int:upload_id>/": R(PROVIDER, "upload"),
    "utforare/pass/import/<int:upload_id>/status.json": R(PROVIDER, "upload"),
    "utforare/pass/import/<int:upload_id>/fel.csv": R(PROVIDER, "upload"),
    "utforare/pass/<int:session_id>/rapportera/": R(PROVIDER, "session"),
    "utforare/pass/<int:session_id>/avboka/": R(PROVIDER, "session"),
    "utforare/ledsagare/": R(PROVIDER),
    "utforare/ledsagare/ny/": R(PROVIDER),
    "utforare/ledsagare/<int:escort_id>/": R(PROVIDER, "escort"),
    "utforare/omkostnader/": R(PROVIDER),
    "utforare/omkostnader/ny/": R(PROVIDER),
    "utforare/api-nycklar/": R({PA}),
    "utforare/api-nycklar/<int:token_id>/aterkalla/": R({PA}, "token", method="POST"),
    # payments
    "utbetalning/": R(PROVIDER | {AN, AD}),
    "utbetalning/skapa/": R(
        {AD},
        method="POST",
        post=lambda own: {"provider": own["run"].provider_id, "month": "2024-02"},
    ),
    "utbetalning/<int:run_id>/": R(PROVIDER | {AN, AD}, "run", citywide={AN, AD}),
    "utbetalning/<int:run_id>/uppdatera/": R({AD}, "run", method="POST", citywide={AD}),
    "utbetalning/<int:run_id>/stang/": R({AD}, "run", method="POST", citywide={AD}),
    "utbetalning/<int:run_id>/betalfil.csv": R(PROVIDER | {AN, AD}, "run", citywide={AN, AD}),
    "utbetalning/<int:run_id>/betalfil.xlsx": R(PROVIDER | {AN, AD}, "run", citywide={AN, AD}),
    "utbetalning/<int:run_id>/specifikation.pdf": R(PROVIDER | {AN, AD}, "run", citywide={AN, AD}),
    # person portal and accessible formats
    "mina-sidor/": R(PORTAL),
    "mina-sidor/valj-person/": R(PORTAL),
    "mina-sidor/utforare/": R(PORTAL),
    "mina-sidor/ansokan/": R(PORTAL),
    "mina-sidor/ansokan/ny/": R(PORTAL),
    "mina-sidor/pengar/": R(PORTAL),
    "mina-sidor/pengar/kvitto/": R(PORTAL),
    "mina-sidor/pengar/kostsam-aktivitet/": R(PORTAL),
    "mina-sidor/synpunkter/": R(PORTAL),
    "mina-sidor/synpunkter/ny/": R(PORTAL),
    "mina-sidor/synpunkter/hantera/": R(CASE | PROVIDER),
    # Feedback about the district: its staff reply; providers see only feedback about them.
    "mina-sidor/synpunkter/hantera/<int:pk>/": R(CASE, "feedback"),
    # a receipt: the person, their district and the provider on the claim
    "kvitto/<int:pk>/": R(PORTAL | CASE | PROVIDER, "claim"),
    "information/": R(public=True),
    "information/ladda-ner/<str:fmt>/": R(public=True, kwargs={"fmt": "html"}),
    "information/mina/": R(PORTAL),
    "information/mina/ladda-ner/<str:fmt>/": R(PORTAL, kwargs={"fmt": "html"}),
    "information/mina/val/": R(PORTAL, method="POST"),
    # follow-up and investigation
    "uppfoljning/": R({AN, AD}),
    "uppfoljning/stadsdel/": R({UM, AN, AD}),
    "uppfoljning/likvardighet/": R({AN, AD}),
    "uppfoljning/oppna-data.csv": R({AN, AD}),
    # the tertial report: a unit manager's is their own district's (no district in the URL)
    "uppfoljning/tertialrapport/": R({UM, AN, AD}),
    "uppfoljning/tertialrapport/<str:period>/": R({UM, AN, AD}, kwargs={"period": "2024-T1"}),
    "uppfoljning/tertialrapport/<str:period>/status.json": R(
        {UM, AN, AD}, kwargs={"period": "2024-T1"}
    ),
    "uppfoljning/tertialrapport/<str:period>/rapport.pdf": R(
        {UM, AN, AD}, kwargs={"period": "2024-T1"}
    ),
    "uppfoljning/tertialrapport/<str:period>/rapport.xlsx": R(
        {UM, AN, AD}, kwargs={"period": "2024-T1"}
    ),
    "uppfoljning/diagram/<slug:name>.svg": R({UM, AN, AD}, kwargs={"name": "tidsserie"}),
    "uppfoljning/diagram/<slug:name>.csv": R({UM, AN, AD}, kwargs={"name": "tidsserie"}),
    "uppfoljning/utforandegrad/": R({UM, AN, AD}),
    "uppfoljning/likvardighet/diagram.svg": R({AN, AD}),
    "uppfoljning/likvardighet.csv": R({AN, AD}),
    "uppfoljning/likvardighet.xlsx": R({AN, AD}),
    # the activity handbook: reference data every member of staff reads; the central
    # administration drafts and publishes
    "handbok/": R(EVERYONE - PORTAL),
    "handbok/ny/": R({AN, AD}),
    "handbok/tillampning/<int:pk>/": R(EVERYONE - PORTAL, "ruling", citywide=EVERYONE - PORTAL),
    "handbok/tillampning/<int:pk>/ny-version/": R({AN, AD}, "ruling", citywide={AN, AD}),
    "handbok/tillampning/<int:pk>/publicera/": R(
        {AN, AD}, "ruling", method="POST", citywide={AN, AD}
    ),
    "utredning/": R({AN}),
    "utredning/pm.pdf": R({AN}),
    "utredning/pilot/": R({AN}),
    "utredning/pilot/<int:pk>/": R({AN}, "pilot", citywide={AN}),
    # surveys (issue 15): the analyst composes and reads aggregates; respondents answer
    "enkater/": R({AN, AD}),
    "enkater/resultat/": R({AN, AD}),
    "enkater/svara/": R(PORTAL | PROVIDER | CASE),
    "enkater/svara/fragor-daisy.zip": R(PORTAL),
    # tillämpningsfrågor: district and provider staff ask and read their own and the
    # published answers; the central administration (analyst) reads all and answers
    "tillampningsfragor/": R(CASE | PROVIDER | {AN}),
    "tillampningsfragor/ny/": R(CASE | PROVIDER),
    "tillampningsfragor/uppfoljning/": R({AN, AD}),
    "tillampningsfragor/<int:pk>/": R(CASE | PROVIDER | {AN}, "question", citywide={AN}),
    "tillampningsfragor/<int:pk>/svar/": R(
        {AN}, "question", method="POST", citywide={AN}, post=lambda own: {"answer": ""}
    ),
    "tillampningsfragor/<int:pk>/kvittera/": R(CASE | PROVIDER, "question", method="POST"),
    # access-log review (this area)
    "granskning/": R({UM}),
    "granskning/avvikelser/": R({UM}),
    "granskning/export/": R({AD}),
    # provider API (bearer token of the provider; sessions and cookies do not count)
    "api/v1/docs/assets/<str:name>": R(public=True, kwargs={"name": "swagger-ui.css"}),
    "api/v1/openapi.json": R(public=True),
    "api/v1/docs": R(public=True),
    "api/v1/": R(public=True, public_status=(200, 404)),
    "api/v1/orders": R(api=True),
    "api/v1/orders/<order_id>": R(api=True, obj="order"),
    "api/v1/orders/<order_id>/accept": R(api=True, obj="order", method="POST"),
    "api/v1/sessions": R(api=True),  # GET list and POST report share the path
    "api/v1/sessions/import": R(api=True, method="POST"),
    "api/v1/sessions/<session_id>": R(api=True, obj="session"),
    "api/v1/sessions/<session_id>/cancel": R(api=True, obj="session", method="POST"),
    "api/v1/expense-claims": R(api=True),
}

# Whole areas classified at once.
GROUPS = {
    # Django's admin: its own login, staff users only (checked by its own tests).
    "admin/": "django admin, is_staff only",
}

URL_KWARG = {
    "pk",
    "order_id",
    "session_id",
    "escort_id",
    "token_id",
    "run_id",
    "notice_id",
    "upload_id",
}


def _walk(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def all_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back_worlds(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


def test_every_route_is_classified():
    unclassified = [
        r for r in all_routes() if r not in ROUTES and not any(r.startswith(g) for g in GROUPS)
    ]
    assert unclassified == [], "add these routes to the authorization matrix: " + repr(unclassified)


def test_the_matrix_names_no_route_that_does_not_exist():
    assert sorted(set(ROUTES) - set(all_routes())) == []


OK = {200, 204, 302, 303}
POST_OK = OK | {400, 409, 422}


def _expected(rule: R, who: str, user, world: str | None) -> str:
    if rule.public:
        return "public"
    if user is None:
        return "login"
    if user.role not in rule.roles:
        return "404"
    if rule.obj is None or user.role in rule.citywide:
        return "ok"
    return "ok" if HOME.get(who) == world else "404"


def _check(status: int, location: str, expected: str, rule: R) -> bool:
    if expected == "public":
        return status in rule.public_status
    if expected == "login":
        return status == 302 and location.startswith("/konto/login/")
    if expected == "404":
        return status == 404
    allowed = POST_OK if rule.method == "POST" else OK
    return status in allowed and not location.startswith("/konto/login/")


HTML_ROUTES = sorted(r for r, rule in ROUTES.items() if not rule.api)
API_ROUTES = sorted(r for r, rule in ROUTES.items() if rule.api)


@pytest.mark.parametrize("route", HTML_ROUTES)
def test_html_route_answers_each_role_as_the_matrix_says(route, worlds):
    rule = ROUTES[route]
    failures = []
    for who, user in worlds.users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        targets = (
            [("own", worlds.own.objects[rule.obj]), ("other", worlds.other.objects[rule.obj])]
            if rule.obj
            else [(None, None)]
        )
        for world, obj in targets:
            url = route_url(route, rule, obj)
            response = send(client, rule, url, worlds.own.objects)
            expected = _expected(rule, who, user, world)
            location = response.get("Location", "")
            if not _check(response.status_code, location, expected, rule):
                got = response.status_code
                failures.append(f"{who} {rule.method} {url} ({world}): {got}, expected {expected}")
    assert failures == []


@pytest.mark.parametrize("route", API_ROUTES)
def test_api_route_answers_each_token_as_the_matrix_says(route, worlds):
    rule = ROUTES[route]
    failures = []
    client = Client(raise_request_exception=False)
    own_status = 0
    targets = (
        [("own", worlds.own.objects[rule.obj]), ("other", worlds.other.objects[rule.obj])]
        if rule.obj
        else [(None, None)]
    )
    for world, obj in targets:
        url = route_url(route, rule, obj)
        # No token (a logged-in browser session does not count): 401.
        browser = Client(raise_request_exception=False)
        browser.force_login(worlds.users["provider_admin"])
        for c, label in ((client, "anonymous"), (browser, "session cookie")):
            status = send(c, rule, url, content_type="application/json").status_code
            if status != 401:
                failures.append(f"{label} {rule.method} {url}: {status}, expected 401")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {worlds.own.token}"}
        status = send(client, rule, url, **auth).status_code
        expected = POST_OK if rule.method == "POST" else OK
        if world == "other":
            # 404; or, for a POST whose (empty) body is rejected before the object is looked
            # up, the very same rejection as for an own object: no existence oracle either way.
            expected = {404} | ({own_status} & {400, 422})
        else:
            own_status = status
        if status not in expected:
            failures.append(f"token P {rule.method} {url} ({world}): {status}, expected {expected}")
        bad = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
        if (status := send(client, rule, url, **bad).status_code) != 401:
            failures.append(f"bad token {rule.method} {url}: {status}, expected 401")
    assert failures == []


def test_the_django_admin_is_closed_to_every_role_without_is_staff(worlds):
    for user in worlds.users.values():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
