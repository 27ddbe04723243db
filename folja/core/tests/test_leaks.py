"""Issue 16, "Leaks": what a role may not see does not reach it by a side door — the payment
specification, Django's admin, the provider's claim form and feedback — and nothing personal
is kept in a browser's or a proxy's cache."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse

from folja.accounts.models import Role, User
from folja.audit.models import AccessLog
from folja.audit.selectors import anomalies
from folja.cases.models import Appeal, Application, Decision, DecisionLetter, Task
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim, Session
from folja.delivery.services import session_report
from folja.payments import exports
from folja.payments.models import PaymentLine
from folja.payments.services import payment_run_build
from folja.people.models import Person, ProtectedIdentity, Representative
from folja.portal.models import Feedback, ProviderChangeRequest
from folja.providers.models import ImplementationPlan, Order, OrderStatus
from folja.testing.factories import (
    ApplicationFactory,
    DecisionFactory,
    ExpenseClaimFactory,
    FeedbackFactory,
    make_user,
)
from folja.testing.factories_providers import bearer, provider_world, unique_person

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 3, 2, 9, 0)
FEBRUARY = date(2024, 2, 1)


@pytest.fixture(autouse=True)
def _frozen_and_fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _report(world, person_world, start: datetime) -> Session:
    return session_report(
        user=world.staff,
        provider=world.provider,
        person=person_world.person,
        order=person_world.order,
        start=start,
        end=start + timedelta(hours=2),
        status="executed",
    )


@pytest.fixture
def world():
    """A provider with two persons in February, one of them with protected identity."""
    w = provider_world()
    hidden = provider_world(
        provider=w.provider,
        decision=DecisionFactory(
            person=unique_person(protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION)
        ),
    )
    _report(w, w, datetime(2024, 2, 20, 10, 0))
    _report(w, hidden, datetime(2024, 2, 21, 10, 0))
    w.hidden = hidden.person
    w.run = payment_run_build(user=None, provider=w.provider, month=FEBRUARY)
    return w


@pytest.fixture
def specifications(monkeypatch) -> list[str]:
    """The HTML each specification PDF is printed from (a PDF's text is not searchable)."""
    seen: list[str] = []
    original = exports.specification_html

    def capture(run, **kwargs) -> str:
        html = original(run, **kwargs)
        seen.append(html)
        return html

    monkeypatch.setattr(exports, "specification_html", capture)
    return seen


# --- 1. the payment specification --------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR])
def test_the_analyst_and_the_administrator_get_the_specification_with_pseudonyms_only(
    client, world, specifications, role
):
    client.force_login(make_user(role))
    response = client.get(reverse("payments:pdf", args=[world.run.pk]))
    assert response.status_code == 200
    assert response.content[:4] == b"%PDF"
    (html,) = specifications
    for person in (world.person, world.hidden):
        assert person.first_name not in html
        assert person.last_name not in html
        assert person.personnummer not in html
        assert person.pseudonym in html
    # The aggregates are still there.
    assert "LSS 9 § 3" in html


def test_the_provider_gets_the_specification_with_the_names_of_its_own_persons(
    client, world, specifications
):
    client.force_login(world.staff)
    assert client.get(reverse("payments:pdf", args=[world.run.pk])).status_code == 200
    (html,) = specifications
    assert world.person.full_name in html
    assert world.hidden.full_name in html


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR])
def test_the_analysts_and_administrators_specification_read_reaches_the_anomaly_list(
    client, world, role
):
    reader = make_user(role)
    client.force_login(reader)
    client.get(reverse("payments:pdf", args=[world.run.pk]))
    rows = AccessLog.objects.filter(user=reader, what="payment: specification")
    assert {(r.person_id, r.in_caseload) for r in rows} == {
        (world.person.pk, False),
        (world.hidden.pk, False),
    }
    reviewer = make_user(Role.ADMINISTRATOR)
    found = anomalies(user=reviewer, since=NOW.date(), until=NOW.date())
    assert set(found.outside_caseload.filter(user=reader).values_list("person_id", flat=True)) == {
        world.person.pk,
        world.hidden.pk,
    }
    assert found.protected.filter(user=reader, person=world.hidden).exists()


def test_the_providers_specification_read_is_logged_in_its_caseload(client, world):
    client.force_login(world.staff)
    client.get(reverse("payments:pdf", args=[world.run.pk]))
    rows = AccessLog.objects.filter(user=world.staff, what="payment: specification")
    assert rows.count() == 2
    assert all(r.in_caseload for r in rows)


# --- 2. Django's admin -------------------------------------------------------------------------


def _reaches_person(model, path: frozenset = frozenset()) -> bool:
    """Whether rows of `model` lead to a person by foreign keys (a user account is the admin's
    own business and is not followed: its person link is checked on its own below)."""
    if model is Person:
        return True
    if model is User or model in path:
        return False
    for field in model._meta.get_fields():
        forward = field.is_relation and field.related_model is not None and not field.auto_created
        if forward and _reaches_person(field.related_model, path | {model}):
            return True
    return False


def personal_data_models() -> set:
    return {model for model in apps.get_models() if _reaches_person(model)}


def test_the_personal_data_models_are_found_by_their_link_to_a_person():
    expected = {
        Person,
        Representative,
        Application,
        Decision,
        DecisionLetter,
        Appeal,
        Task,
        Session,
        ExpenseClaim,
        CostlyActivityApplication,
        Feedback,
        ProviderChangeRequest,
        Order,
        ImplementationPlan,
        PaymentLine,
        AccessLog,
    }
    assert expected <= personal_data_models()


def test_no_personal_data_model_is_registered_in_the_admin():
    registered = set(admin.site._registry)
    assert registered & personal_data_models() == set()


def test_the_admin_index_lists_no_personal_data_model_and_the_old_pages_are_gone(client):
    superuser = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    application = ApplicationFactory()
    client.force_login(superuser)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    listed = {m["model"] for app in index.context["app_list"] for m in app["models"]}
    assert listed, "the admin still lists reference data and users"
    assert listed & personal_data_models() == set()
    assert "/admin/cases/" not in index.content.decode()
    for url in (
        "/admin/cases/application/",
        f"/admin/cases/application/{application.pk}/change/",
        "/admin/cases/decision/",
        "/admin/cases/appeal/",
        "/admin/cases/task/",
    ):
        assert client.get(url).status_code == 404


def test_the_admins_user_list_keeps_staff_but_not_a_persons_own_login(client):
    superuser = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    login = make_user(Role.PERSON, first_name="Brukarinloggning", last_name="Hemligsson")
    caseworker = make_user(Role.CASEWORKER, last_name="Handläggarsson")
    client.force_login(superuser)
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Handläggarsson" in listing
    assert "Hemligsson" not in listing
    assert client.get(reverse("admin:accounts_user_change", args=[login.pk])).status_code == 302
    assert (
        client.get(reverse("admin:accounts_user_change", args=[caseworker.pk])).status_code == 200
    )


# --- 3. provider pages -------------------------------------------------------------------------


def test_the_expense_claim_form_logs_every_person_its_dropdown_lists(client):
    w = provider_world(status=OrderStatus.ACCEPTED)
    other = provider_world(provider=w.provider, status=OrderStatus.ACCEPTED)
    client.force_login(w.staff)
    page = client.get(reverse("providers:claim_new"))
    assert page.status_code == 200
    body = page.content.decode()
    assert w.person.full_name in body and other.person.full_name in body
    logged = AccessLog.objects.filter(user=w.staff, what="provider: expense claim form")
    assert set(logged.values_list("person_id", flat=True)) == {w.person.pk, other.person.pk}


def test_a_provider_does_not_read_feedback_from_a_person_it_has_no_order_with(client):
    w = provider_world()
    stranger = unique_person()
    about_us = {"about": "provider", "provider": w.provider, "kind": "complaint"}
    theirs = FeedbackFactory(person=w.person, **about_us)
    foreign = FeedbackFactory(person=stranger, text="Ett klagomål från en främling", **about_us)

    assert list(Feedback.objects.visible_to(w.staff)) == [theirs]
    client.force_login(w.staff)
    inbox = client.get(reverse("portal:feedback_inbox")).content.decode()
    assert "Ett klagomål från en främling" not in inbox
    assert stranger.full_name not in inbox
    reply = client.get(reverse("portal:feedback_reply", args=[foreign.pk]))
    assert reply.status_code == 404
    assert not AccessLog.objects.filter(person=stranger).exists()
    # The person's district still reads it.
    caseworker = make_user(Role.CASEWORKER, district=stranger.district)
    assert foreign in Feedback.objects.visible_to(caseworker)


def test_a_provider_keeps_reading_feedback_of_a_person_whose_order_has_ended():
    w = provider_world()
    item = FeedbackFactory(person=w.person, about="provider", provider=w.provider)
    Order.objects.filter(pk=w.order.pk).update(status=OrderStatus.ENDED)
    assert list(Feedback.objects.visible_to(w.staff)) == [item]
    # A draft was never the provider's to see.
    Order.objects.filter(pk=w.order.pk).update(status=OrderStatus.DRAFT)
    assert list(Feedback.objects.visible_to(w.staff)) == []


# --- 4. Cache-Control: no-store ----------------------------------------------------------------


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response["Pragma"] == "no-cache"


def test_a_page_for_a_signed_in_user_is_not_stored(client):
    w = provider_world()
    client.force_login(w.staff)
    page = client.get(reverse("providers:inbox"))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page["Pragma"] == "no-cache"


def test_a_chart_that_asked_for_a_private_cache_is_not_stored_either(client):
    # The district chart sets "private, max-age=300" itself; signed in, nothing is stored.
    w = provider_world()
    client.force_login(make_user(Role.UNIT_MANAGER, district=w.person.district))
    response = client.get(reverse("cases:manager_chart", args=["beslut"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_every_api_answer_is_not_stored(client):
    w = provider_world()
    orders = client.get("/api/v1/orders", **bearer(w.token))
    assert orders.status_code == 200
    assert _no_store(orders)
    unauthorized = client.get("/api/v1/orders")
    assert unauthorized.status_code == 401
    assert _no_store(unauthorized)
    assert _no_store(client.get(reverse("api:openapi-json")))


def test_the_specification_pdf_and_a_receipt_are_not_stored(client, world):
    client.force_login(world.staff)
    pdf = client.get(reverse("payments:pdf", args=[world.run.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert _no_store(pdf)
    claim = ExpenseClaimFactory(
        person=world.person, provider=world.provider, receipt_content_type="application/pdf"
    )
    claim.receipt.save("kvitto.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    receipt = client.get(reverse("delivery:receipt", args=[claim.pk]))
    assert receipt.status_code == 200
    assert _no_store(receipt)


def test_public_pages_api_docs_assets_and_static_files_keep_their_caching(client):
    public = client.get(reverse("accessible:guide"))
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")
    asset = client.get("/api/v1/docs/assets/swagger-ui.css")
    assert asset["Cache-Control"] == "public, max-age=86400"
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        fresh = Client()  # WhiteNoise reads its settings when the middleware is built
        fresh.force_login(make_user(Role.ANALYST))
        css = fresh.get("/static/folja/folja.css")
        assert css.status_code == 200
        assert "no-store" not in css.get("Cache-Control", "")
