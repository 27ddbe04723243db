"""Factories for tillämpningsfrågor (folja.questions) and the catalogue activity they are about."""

from __future__ import annotations

import itertools

from folja.handbook.models import Activity
from folja.questions.models import Question

_codes = itertools.count(1)


def make_activity(*, name: str = "Resa utomlands", grey_zone: bool = True) -> Activity:
    n = next(_codes)
    return Activity.objects.create(
        code=f"fraga-aktivitet-{n}", name=f"{name} {n}", grey_zone=grey_zone
    )


def make_question(*, asked_by, activity: Activity | None = None, **kwargs) -> Question:
    """A question asked by `asked_by` (through the service, so it is scoped as in use)."""
    from folja.questions.services import question_ask

    return question_ask(
        user=asked_by,
        activity=activity or make_activity(),
        text=kwargs.pop("text", "En person vill ha ledsagning på en resa till Åland i fyra dagar."),
        **kwargs,
    )
