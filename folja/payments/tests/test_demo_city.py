"""On the demo city: every provider's payment for a month equals the sum of `folja calc`
payments of its sessions, each person's scenario built from the database."""

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from folja.delivery.models import Session
from folja.ledger.payable import EXCLUDING
from folja.ledger.scenario import person_scenario
from folja.payments.services import payment_run_build
from folja.people.models import Person
from folja.providers.models import Provider
from folja.rules.scenario import calculate

TODAY = datetime(2024, 6, 30, 12, 0)


@pytest.mark.slow
@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_payments_of_the_demo_city_equal_the_sum_of_folja_calc_payments():
    call_command("seed", "--scale", "demo", "--today", "2024-06-30", "--quiet")
    month = date(2024, 5, 1)
    in_month = Session.objects.filter(start__gte=month, start__lt=date(2024, 6, 1))
    busiest = Counter(in_month.values_list("provider_id", flat=True)).most_common(3)
    assert busiest, "the demo city has sessions in May 2024"
    paid_somewhere = Decimal(0)
    for provider_id, _count in busiest:
        provider = Provider.objects.get(pk=provider_id)
        run = payment_run_build(user=None, provider=provider, month=month)
        expected = Decimal(0)
        sessions = list(in_month.filter(provider=provider))
        for person in Person.objects.filter(pk__in={s.person_id for s in sessions}):
            result = calculate(person_scenario(person=person, on=TODAY.date()))
            paid = {s["id"]: Decimal(s["payment_sek"]) for s in result["sessions"]}
            for s in sessions:
                # An approved excess travels in the scenario (excess_approved), so calc pays
                # it as the run does; sessions a reason code holds back are paid nothing.
                if s.person_id == person.pk and not set(s.flags) & set(EXCLUDING):
                    expected += paid.get(s.pk, Decimal(0))
        assert run.total_sek == expected, provider.name
        paid_somewhere += expected
    assert paid_somewhere > 0
