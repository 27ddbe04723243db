"""Codes have labels in both languages (issue 17, item 8), and cached or generated text follows
the page's language (item 9). The page walk in test_page_language.py checks every page; these
check each label family and each fix on its own."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from folja.accessible.formats import FORMATS
from folja.accessible.opens import OPENED, opened_what
from folja.accounts.models import Role
from folja.audit.labels import ACCESS_KINDS, access_kind_label, role_label
from folja.audit.services import log_access
from folja.core.templatetags.labels import band_label
from folja.followup.dashboards import month_label
from folja.guidelines.models import TimeBand
from folja.ledger import payable
from folja.payments.services import payment_run_build
from folja.providers.services import token_create
from folja.rules import engine
from folja.rules.model import BANDS
from folja.testing.factories import PersonFactory, ProviderFactory, UserFactory, make_user
from folja.testing.factories_followup import build_small_city
from folja.testing.factories_security import build_worlds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    translation.activate(settings.LANGUAGE_CODE)  # a request in English leaves it active


def _client(user, lang: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    client.force_login(user)
    return client


# --- item 8: every code family has its labels -------------------------------------------------


def test_every_reason_code_has_a_short_label_and_an_explanation_in_both_languages():
    codes = {
        v
        for k, v in vars(engine).items()
        if k.isupper() and isinstance(v, str) and re.fullmatch(r"[a-z_]+", v)
    } & set(payable.REASON_TEXTS) | {payable.NO_ORDER, payable.LATE_REPORT, payable.DUPLICATE}
    assert set(payable.REASON_LABELS) == set(payable.REASON_TEXTS) >= codes
    for code in payable.REASON_TEXTS:
        with translation.override("sv"):
            sv = (payable.reason_label(code), payable.reason_text(code))
        with translation.override("en"):
            en = (payable.reason_label(code), payable.reason_text(code))
        assert code not in sv and code not in en
        assert sv[0] != en[0] and sv[1] != en[1], code


def test_every_time_band_of_the_rules_is_a_labelled_choice():
    assert list(TimeBand.values) == list(BANDS)
    with translation.override("sv"):
        assert band_label("evening") == "kväll 19–22"
    with translation.override("en"):
        assert band_label("evening") == "evening 19–22"
        assert band_label("storhelg") == "major holiday"


def _access_kinds_in_the_source() -> set[str]:
    """Every `what` the code passes to the access log: literals, the downloads' f-string
    (one kind per format), and the opens of the accessible information (one kind per document
    and format, from the one place that names them)."""
    kinds = {opened_what(d, fmt) for d in OPENED for fmt in (None, *FORMATS)}
    for path in (settings.BASE_DIR / "folja").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text("utf-8")
        kinds |= set(re.findall(r"\bwhat\s*=\s*\"([^\"]+)\"", text))
        kinds |= set(re.findall(r"_log_persons\([^,]+,[^,]+,\s*\"([^\"]+)\"\)", text))
        for prefix in re.findall(r"\bwhat\s*=\s*f\"([a-z_]+)\{fmt\}\"", text):
            kinds |= {prefix + fmt for fmt in FORMATS}
    return kinds


def test_every_access_kind_written_in_the_code_has_a_label():
    kinds = _access_kinds_in_the_source()
    assert {"person_file", "payment: run", "accessible_statement_daisy"} <= kinds
    assert sorted(kinds - set(ACCESS_KINDS)) == []


def test_the_access_log_review_shows_roles_and_kinds_in_words():
    person = PersonFactory()
    manager = make_user(Role.UNIT_MANAGER, district=person.district)
    reader = make_user(Role.CASEWORKER, district=person.district)
    log_access(user=reader, person=person, what="person_file")
    log_access(user=reader, person=person, what="provider: booking")
    for lang, role, kinds in (
        ("sv", "Biståndshandläggare", ("Personakt", "Utförare: bokning")),
        ("en", "Caseworker", ("Person file", "Provider: booking")),
    ):
        page = _client(manager, lang).get(f"/granskning/?q={person.pseudonym}").text
        assert role in page and all(k in page for k in kinds), lang
        for code in ("caseworker", "person_file", "provider: booking"):
            assert f">{code}<" not in page, (lang, code)
    with translation.override("sv"):
        assert access_kind_label("an_old_kind") == "an_old_kind"  # never an error
        assert role_label("") == ""


def test_the_payment_run_names_bands_and_reasons_and_shows_the_code_beside_them():
    worlds = build_worlds()
    session = worlds.own.objects["session"]
    session.flags = [payable.LATE_REPORT]
    session.save(update_fields=["flags"])
    run = worlds.own.objects["run"]
    payment_run_build(user=worlds.users["administrator"], provider=run.provider, month=run.month)
    page = _client(worlds.users["administrator"], "sv").get(f"/utbetalning/{run.pk}/").text
    assert "Kväll 19–22" in page and "Sent rapporterat" in page
    assert "<code>late_report</code>" in page
    assert ">evening<" not in page


def test_the_caseworker_reviewing_a_flagged_session_reads_why_in_words():
    worlds = build_worlds()
    session = worlds.own.objects["session"]
    session.flags = [payable.EXCEEDS_GRANT]
    session.save(update_fields=["flags"])
    url = f"/handlaggning/pass/{session.pk}/granskning/"
    swedish = _client(worlds.users["caseworker"], "sv").get(url).text
    english = _client(worlds.users["caseworker"], "en").get(url).text
    assert "Överskrider beviljad tid" in swedish and "Exceeds the granted time" in english
    assert "exceeds_grant" not in swedish + english


# --- the command line -------------------------------------------------------------------------


def test_the_demo_login_table_names_roles_and_the_json_keeps_the_codes():
    make_user(Role.CASEWORKER, username="handlaggare", is_demo=True)
    out = StringIO()
    with translation.override("sv"):
        call_command("demo_logins", "--table", stdout=out)
    assert "Biståndshandläggare" in out.getvalue() and "caseworker" not in out.getvalue()
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert '"role": "caseworker"' in out.getvalue()


def test_the_token_list_says_active_or_revoked_in_swedish():
    provider = ProviderFactory()
    admin = make_user(Role.PROVIDER_ADMIN, provider=provider)
    token_create(user=admin, provider=provider, name="cli")
    out = StringIO()
    with translation.override("sv"):
        call_command("token", "list", stdout=out)
    assert out.getvalue().rstrip().endswith("aktiv")
    assert "active" not in out.getvalue()


# --- item 9: text in caches, month names, admin names, footer, the investigation ------------


@time_machine.travel(datetime(2025, 3, 1, 9, 0), tick=False)
def test_the_cached_overview_speaks_the_language_of_each_page():
    build_small_city()
    analyst = make_user(Role.ANALYST)
    swedish = _client(analyst, "sv").get("/uppfoljning/?year=2024").text
    english = _client(analyst, "en").get("/uppfoljning/?year=2024").text
    assert ">Kvinnor<" in swedish and ">Women<" not in swedish
    assert ">Women<" in english and ">Kvinnor<" not in english
    assert "maj 2024" in swedish and "May 2024" in english


# Caches that hold no text, and why; every other cache is keyed by language.
CACHES_WITHOUT_TEXT = {
    "folja/simulation/investigation.py": "the fitted population: numbers and dates only",
}


def test_every_cache_that_holds_text_is_keyed_by_language():
    unkeyed = []
    for path in (settings.BASE_DIR / "folja").rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text("utf-8")
        relative = path.relative_to(settings.BASE_DIR).as_posix()
        keyed = "text_cache_key(" in text or relative in CACHES_WITHOUT_TEXT
        if "cache.set(" in text and not keyed:
            unkeyed.append(relative)
    assert unkeyed == []


def test_month_names_are_translated():
    with translation.override("sv"):
        assert month_label(date(2024, 10, 1)) == "okt 2024"
    with translation.override("en"):
        assert month_label(date(2024, 10, 1)) == "Oct 2024"


def test_the_admin_names_every_model_of_folja_in_the_page_language_with_its_plural():
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    swedish = _client(admin, "sv").get("/admin/").text
    english = _client(admin, "en").get("/admin/").text
    assert "Lagrum" in swedish and "Riktlinjeversioner" in swedish and "Användare" in swedish
    assert "Legal bases" in english and "Guideline versions" in english and "Users" in english
    assert "basiss" not in swedish + english and "Legal basis<" not in swedish


def test_the_footer_names_both_services_in_english():
    user = make_user(Role.ANALYST)
    english = _client(user, "en").get("/").text + _client(user, "en").get("/uppfoljning/").text
    assert "escort assistance (SoL) and escort service (LSS)" in english
    assert "escort service and escort service" not in english


def test_the_model_investigation_is_an_investigation_and_a_needs_assessment_an_assessment():
    analyst = make_user(Role.ANALYST)
    page = _client(analyst, "en").get("/uppfoljning/").text
    assert re.search(r'<a href="/utredning/">Investigation</a>', page)
    assert not re.search(r'<a href="/utredning/">Assessment</a>', page)
    with translation.override("en"):
        assert access_kind_label("assessment") == "Assessment"
