"""Demo surveys with answers (issue 15, items 5–7): a person survey and a provider survey of
this spring, answered by a sample of the seeded persons and by every provider, so the
follow-up and the tertial report show suppressed results. The demo person has not answered:
their invitation waits on Mina sidor. Seeded persons have no logins, so participations name
the person only (no user), as for a paper answer registered by the city."""

from __future__ import annotations

from datetime import timedelta

from folja.core.seed.context import Ctx
from folja.people.models import Person
from folja.providers.models import Order, OrderStatus, Provider
from folja.rules.stats import age_band
from folja.surveys.models import Answer, Audience, Participation, Question, Survey
from folja.surveys.services import question_bank_ensure

PERSON_KEYS = (
    "flex-three-months",
    "expense-allowance",
    "costly-activity",
    "how-to-complain",
    "satisfied-escort",
    "unused-illness",
    "unused-planning",
    "unused-mismatch",
)
PROVIDER_KEYS = ("flex-three-months", "expense-allowance", "costly-activity", "unused-planning")
# Share answering "yes" to each awareness question: low, as the 2019 evaluation found.
YES = {"flex-three-months": 0.45, "expense-allowance": 0.35, "costly-activity": 0.25}


def _value(ctx: Ctx, question: Question) -> str:
    if question.kind == "scale":
        return ctx.rng.choices(["5", "4", "3", "2", "1"], weights=[30, 35, 20, 10, 5])[0]
    yes = YES.get(question.key, 0.5 if question.topic == "awareness" else 0.3)
    roll = ctx.rng.random()
    return "yes" if roll < yes else ("unsure" if roll < yes + 0.1 else "no")


def seed_surveys(ctx: Ctx, *, demo_person_ids: list[int], sample: int = 400) -> None:
    Survey.objects.filter(created_by__isnull=True).delete()
    question_bank_ensure()
    bank = {q.key: q for q in Question.objects.all()}
    opens, closes = ctx.today - timedelta(days=45), ctx.today + timedelta(days=30)
    created = ctx.created_at
    persons_survey = Survey.objects.create(
        title=f"Enkät om ledsagning {ctx.today.year}",
        audience=Audience.PERSONS,
        opens_on=opens,
        closes_on=closes,
        created_at=created,
    )
    persons_survey.questions.set([bank[k] for k in PERSON_KEYS])
    providers_survey = Survey.objects.create(
        title=f"Utförarenkät {ctx.today.year}",
        audience=Audience.PROVIDERS,
        opens_on=opens,
        closes_on=closes,
        created_at=created,
    )
    providers_survey.questions.set([bank[k] for k in PROVIDER_KEYS])
    provider_of = dict(
        Order.objects.filter(status=OrderStatus.ACCEPTED).values_list("person_id", "provider_id")
    )
    ids = sorted(
        Person.objects.exclude(pk__in=demo_person_ids)
        .filter(deceased_on__isnull=True, pk__in=list(provider_of))
        .values_list("pk", flat=True)
    )
    chosen = ctx.rng.sample(ids, min(sample, len(ids)))
    answered_on = ctx.today - timedelta(days=10)
    answers, participations = [], []
    for person in Person.objects.filter(pk__in=chosen).order_by("pk"):
        participations.append(
            Participation(survey=persons_survey, person=person, answered_on=answered_on)
        )
        answered_on_month = (ctx.today - timedelta(days=ctx.rng.randint(0, 45))).replace(day=1)
        for key in PERSON_KEYS:
            answers.append(
                Answer(
                    survey=persons_survey,
                    question=bank[key],
                    value=_value(ctx, bank[key]),
                    district_id=person.district_id,
                    provider_id=provider_of.get(person.pk),
                    sex=person.sex,
                    age_band=age_band(person.birth_date, ctx.today),
                    month=max(answered_on_month, opens.replace(day=1)),
                )
            )
    for provider in Provider.objects.order_by("pk"):
        participations.append(Participation(survey=providers_survey, answered_on=answered_on))
        for key in PROVIDER_KEYS:
            answers.append(
                Answer(
                    survey=providers_survey,
                    question=bank[key],
                    value=_value(ctx, bank[key]),
                    provider_id=provider.pk,
                    month=answered_on.replace(day=1),
                )
            )
    # Shuffled: the answers' order says nothing about the order of the participations.
    ctx.rng.shuffle(answers)
    Participation.objects.bulk_create(participations)
    Answer.objects.bulk_create(answers, batch_size=2000)
