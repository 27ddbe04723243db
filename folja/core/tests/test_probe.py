"""The probe of issue 16, re-run in the suite: every route of the authorization matrix, as every
role, on an object of its own world and of the other world, with every answer's content (HTML,
JSON, CSV, SVG, PDF text, Excel cells) scanned for the names, personnummer and addresses of
persons that role may not see.

The matrix (test_authorization_matrix.py) checks status codes; this checks what a page that
answers 200 says. What each role may see is written down here from the worlds' design, not
asked of `visible_to`, so a scoping bug cannot hide itself:

- the person and the representative: person X only;
- district A's caseworker and unit manager: district A's persons (X and the protected Z);
- provider P's staff: the persons with an order at P (X and Z);
- district B's caseworker and provider Q's staff: person Y only;
- the analyst, the administrator and anyone not logged in: no person at all (aggregates and
  pseudonyms only).

The address of Z, who has protected identity and no named staff, is seen by nobody.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime

import pytest
import time_machine

from folja.core.tests.test_authorization_matrix import ROUTES
from folja.delivery.services import session_report
from folja.payments.models import PaymentRun
from folja.payments.services import payment_run_build
from folja.people.models import Person, ProtectedIdentity
from folja.providers.models import Order
from folja.testing.factories import OrderFactory, PersonFactory
from folja.testing.factories_security import Worlds
from folja.testing.routes import Answer, readable_text, rolled_back_worlds, walk

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "Hemliga gränd 7"

SEES = {
    "person": {"X"},
    "representative": {"X"},
    "caseworker": {"X", "Z"},
    "unit_manager": {"X", "Z"},
    "provider_staff": {"X", "Z"},
    "provider_admin": {"X", "Z"},
    "caseworker_other_district": {"Y"},
    "provider_staff_other": {"Y"},
    "analyst": set(),
    "administrator": set(),
    "anonymous": set(),
}


def _marks(person: Person) -> list[str]:
    pnr = person.personnummer  # YYYYMMDD-NNNN
    digits = pnr.replace("-", "")
    # The first and the last name each on their own: a page that shows "Xaverius P." or the
    # surname alone still names the person.
    return [person.first_name, person.last_name, pnr, digits, pnr[2:], digits[2:]]


@pytest.fixture(scope="module")
def probe(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's two worlds, with names no page text could hold by chance, and a third
    person Z in world A with protected identity, a secret address and an order at provider P."""
    with rolled_back_worlds(django_db_blocker, tmp_path_factory.mktemp("media")) as worlds:
        x, y = worlds.own.objects["person"], worlds.other.objects["person"]
        Person.objects.filter(pk=x.pk).update(first_name="Xaverius", last_name="Probelius")
        Person.objects.filter(pk=y.pk).update(first_name="Ynguld", last_name="Sondmark")
        own_order = worlds.own.objects["order"]
        z = PersonFactory(
            first_name="Zelmira",
            last_name="Skyddbom",
            district=x.district,
            protected_identity=ProtectedIdentity.values[-1],
            address=SECRET_ADDRESS,
        )
        OrderFactory(decision__person=z, person=z, provider=own_order.provider, status="accepted")
        _paid_sessions(worlds, z)
        people = {"X": x, "Y": y, "Z": z}
        for person in people.values():
            person.refresh_from_db()
        yield worlds, people


def _paid_sessions(worlds: Worlds, z: Person) -> None:
    """Provider P's February run with real lines for X and Z, so the payment file and the
    specification have persons on them to leak (the matrix's own run is empty)."""
    own = worlds.own.objects
    provider = own["order"].provider
    z_order = Order.objects.get(person=z)
    with time_machine.travel(datetime(2024, 3, 2, 9, 0), tick=False):
        for person, order, day in ((own["person"], own["order"], 20), (z, z_order, 21)):
            session_report(
                user=None,
                provider=provider,
                person=person,
                order=order,
                start=datetime(2024, 2, day, 10, 0),
                end=datetime(2024, 2, day, 12, 0),
                status="executed",
            )
        PaymentRun.objects.filter(pk=own["run"].pk).delete()
        own["run"] = payment_run_build(user=None, provider=provider, month=date(2024, 2, 1))
    assert own["run"].lines.count() >= 2


def _answers(worlds: Worlds, who: str) -> Iterator[Answer]:
    """Every route of the matrix as `who`, on both worlds' objects, each rolled back so a POST
    cannot change what the next request sees."""
    return walk(worlds, dict(sorted(ROUTES.items())), [who])


@pytest.mark.parametrize("who", sorted(SEES))
def test_no_answer_names_a_person_the_role_may_not_see(probe, who):
    worlds, people = probe
    sees = SEES[who]
    forbidden = {
        mark: key for key, person in people.items() if key not in sees for mark in _marks(person)
    }
    leaks, server_errors, seen = [], [], set()
    for answer in _answers(worlds, who):
        request = answer.request
        if answer.status >= 500:
            server_errors.append(f"{request}: {answer.status}")
        text = readable_text(answer.body)
        if SECRET_ADDRESS in text:
            leaks.append(f"{request}: the protected address of Z")
        for mark, key in forbidden.items():
            if mark in text:
                leaks.append(f"{request}: {mark!r} of {key}")
        seen |= {key for key in sees if any(mark in text for mark in _marks(people[key]))}
    assert server_errors == []
    assert leaks == []
    # The scan can find what it looks for: every role that may see X or Y is shown that
    # person's name somewhere, so an empty list of leaks is not a blind spot.
    assert seen >= sees - {"Z"}


def test_the_scanner_reads_names_out_of_a_pdf_and_an_excel_file():
    from openpyxl import Workbook
    from weasyprint import HTML

    pdf = HTML(string="<p>Utbetalning för Xaverius Probelius, 19800517-0024</p>").write_pdf()
    assert "Xaverius Probelius" in readable_text(pdf)
    assert "19800517-0024" in readable_text(pdf)
    book = Workbook()
    book.active["A1"] = "Ynguld Sondmark"
    buffer = io.BytesIO()
    book.save(buffer)
    assert "Ynguld Sondmark" in readable_text(buffer.getvalue())
