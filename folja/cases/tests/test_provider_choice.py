"""Provider choice with the person (issue 13, item 5): the caseworker sees the same provider
comparison the person sees on Mina sidor, records the person's choice or the guideline's
no-choice alternative (ickevalsalternativ), and the order form starts from that choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from folja.audit.models import AuditEvent
from folja.cases.models import Task, TaskKind
from folja.guidelines.models import GuidelineVersion
from folja.portal import selectors as portal_selectors
from folja.portal import services as portal_services
from folja.providers.models import ProviderChoice
from folja.testing.factories import ProviderFactory
from folja.testing.factories_portal import make_portal_person


@pytest.fixture
def pp(ref, district, frozen):
    return make_portal_person(district=district)


@pytest.fixture
def municipal(db):
    return ProviderFactory(name="Stadens egen regi", regi="municipal")


def _url(pp) -> str:
    return reverse("cases:provider_choice", args=[pp.decision.pk])


def test_the_caseworker_sees_the_comparison_the_person_sees(client, pp, caseworker, municipal):
    client.force_login(caseworker)
    response = client.get(_url(pp))
    assert response.status_code == 200
    html = response.content.decode()
    rows = portal_selectors.provider_comparison(current=pp.provider, on=pp.decision.valid_from)
    assert len(rows) >= 2
    for row in rows:
        assert row.provider.name in html
    assert "Utförare att välja mellan" in html  # the portal's own table
    assert "nuvarande utförare" in html


def test_recording_the_persons_choice_stores_it_and_preselects_the_order(
    client, pp, caseworker, municipal
):
    client.force_login(caseworker)
    response = client.post(
        _url(pp), {"kind": "chosen", "provider": municipal.pk, "note": ""}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("cases:order_create", args=[pp.decision.pk])
    html = response.content.decode()
    assert "Valet av utförare är sparat: Stadens egen regi." in html
    assert f'<option value="{municipal.pk}" selected>' in html
    choice = ProviderChoice.objects.get()
    assert (choice.provider, choice.kind, choice.recorded_by) == (municipal, "chosen", caseworker)
    assert AuditEvent.objects.filter(action="provider_choice.record").exists()


def test_a_person_who_does_not_choose_gets_the_guidelines_no_choice_alternative(
    client, pp, caseworker, municipal
):
    GuidelineVersion.objects.update(no_choice_provider=municipal)
    client.force_login(caseworker)
    response = client.post(_url(pp), {"kind": "no_choice"})
    assert response.status_code == 302
    choice = ProviderChoice.objects.get()
    assert (choice.provider, choice.kind) == (municipal, "no_choice")


def test_without_a_no_choice_alternative_in_the_guideline_nothing_is_recorded(
    client, pp, caseworker
):
    GuidelineVersion.objects.update(no_choice_provider=None)
    client.force_login(caseworker)
    response = client.post(_url(pp), {"kind": "no_choice"})
    assert response.status_code == 400
    assert "Riktlinjerna anger inget ickevalsalternativ" in response.content.decode()
    assert not ProviderChoice.objects.exists()


def test_a_choice_needs_the_provider_chosen(client, pp, caseworker):
    client.force_login(caseworker)
    response = client.post(_url(pp), {"kind": "chosen"})
    assert response.status_code == 400
    assert "Välj den utförare som den enskilde valt." in response.content.decode()
    assert not ProviderChoice.objects.exists()


def test_recording_the_provider_a_change_request_asked_for_closes_its_task(
    client, pp, caseworker, municipal
):
    portal_services.provider_change_request(
        user=pp.user,
        person=pp.person,
        from_provider=pp.provider,
        to_provider=municipal,
        reason="Närmare hemmet.",
    )
    client.force_login(caseworker)
    worklist = client.get(reverse("cases:worklist")).content.decode()
    assert f"{_url(pp)}?fran=arbetslista" in worklist

    response = client.post(
        f"{_url(pp)}?fran=arbetslista", {"kind": "chosen", "provider": municipal.pk}
    )

    assert response.headers["Location"] == reverse("cases:worklist")
    task = Task.objects.get(kind=TaskKind.PROVIDER_CHANGE)
    assert task.closed_at is not None and "Stadens egen regi" in task.resolution


def test_another_districts_caseworker_gets_404(client, pp, other_caseworker, municipal):
    client.force_login(other_caseworker)
    assert client.get(_url(pp)).status_code == 404
    assert client.post(_url(pp), {"kind": "chosen", "provider": municipal.pk}).status_code == 404
    assert not ProviderChoice.objects.exists()


def test_the_portals_comparison_is_still_404_for_a_caseworker_and_shown_to_the_person(
    client, pp, caseworker
):
    client.force_login(caseworker)
    assert client.get(reverse("portal:providers")).status_code == 404
    client.force_login(pp.user)
    html = client.get(reverse("portal:providers")).content.decode()
    assert "Utförare att välja mellan" in html and "din utförare" in html
