"""Reads. Respondents see the surveys open to them; everyone else sees aggregates only, each
count suppressed by the open-data rule (`folja.followup.opendata.suppress`, under 5 plus
secondary suppression), so no individual answer can be read or recovered from the totals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from folja.core import clock
from folja.followup.opendata import SUPPRESSED, suppress
from folja.followup.selectors import district_names, provider_names
from folja.people.models import Sex
from folja.rules.stats import AGE_BAND_KEYS, percent_of
from folja.surveys.bank import OPTIONS
from folja.surveys.models import Answer, Audience, Participation, Survey, Topic
from folja.surveys.services import AUDIENCE_ROLES

TOTAL = "total"
CITY_ROW = "__city__"
DIMENSIONS = ("district", "provider", "sex", "age_band", "month")


def audience_of(role: str) -> str | None:
    return next((a for a, roles in AUDIENCE_ROLES.items() if role in roles), None)


def open_surveys(*, user, person=None) -> QuerySet[Survey]:
    """Surveys open today for this respondent (the person answered for, if a person survey)
    that they have not answered yet: the invitations on Mina sidor and in the inboxes."""
    audience = audience_of(user.role)
    if audience is None:
        return Survey.objects.none()
    today = clock.today()
    answered = Participation.objects.filter(**({"person": person} if person else {"user": user}))
    if audience == Audience.PERSONS and person is None:
        return Survey.objects.none()
    return (
        Survey.objects.filter(audience=audience, opens_on__lte=today, closes_on__gte=today)
        .exclude(pk__in=answered.values("survey_id"))
        .order_by("closes_on", "pk")
    )


def surveys_for_analyst() -> list[dict]:
    rows = Survey.objects.annotate(respondents=Count("participations")).order_by("-opens_on")
    return [
        {
            "survey": s,
            # The number of respondents is itself a count: shown only from the threshold on.
            "respondents": s.respondents if s.respondents >= 5 else SUPPRESSED,
        }
        for s in rows
    ]


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "district":
        names = district_names(keys)
    elif dimension == "provider":
        names = provider_names(keys)
    elif dimension == "sex":
        names = {k: str(label) for k, label in Sex.choices}
    elif dimension == "month":
        names = {k: k.strftime("%Y-%m") for k in keys if k}
    else:
        names = {k: k for k in AGE_BAND_KEYS}
    return {k: names.get(k) or _("Uppgift saknas") for k in keys}


def results(*, survey: Survey, dimension: str) -> list[dict]:
    """Per question: one row per stratum of `dimension` and one for the whole survey, each with
    its count and share per answer option; suppressed cells are '..'."""
    field = f"{dimension}_id" if dimension in ("district", "provider") else dimension
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in (
        Answer.objects.filter(survey=survey)
        .values("question_id", field, "value")
        .annotate(n=Count("id"))
    ):
        counts[row["question_id"]][row[field]][row["value"]] += row["n"]
    out = []
    for question in survey.questions.order_by("position", "key"):
        options = [v for v, _label in OPTIONS[question.kind]]
        per_stratum = counts.get(question.pk, {})
        keys = sorted(per_stratum, key=lambda k: (k is None, str(k)))
        labels = _labels(dimension, keys)
        table: dict[str, dict[str, int]] = {}
        for key in keys:
            cells = {v: per_stratum[key].get(v, 0) for v in options}
            table[str(key)] = {**cells, TOTAL: sum(cells.values())}
        city = {v: sum(table[r][v] for r in table) for v in (*options, TOTAL)}
        table[CITY_ROW] = city
        hidden = suppress(table, [(tuple(options), TOTAL)], CITY_ROW)
        rows = []
        for key in [*keys, CITY_ROW]:
            name = str(key) if key != CITY_ROW else CITY_ROW
            cells = table[name]
            rows.append(
                {
                    "key": key,
                    "label": _("Alla som svarat") if key == CITY_ROW else labels[key],
                    "total": SUPPRESSED if (name, TOTAL) in hidden else cells[TOTAL],
                    "cells": [
                        {
                            "count": SUPPRESSED if (name, v) in hidden else cells[v],
                            "percent": None
                            if (name, v) in hidden or (name, TOTAL) in hidden
                            else percent_of(cells[v], cells[TOTAL]),
                        }
                        for v in options
                    ],
                }
            )
        out.append(
            {
                "question": question,
                "text": _(question.text),
                "options": [label for _v, label in OPTIONS[question.kind]],
                "rows": rows,
            }
        )
    return out


# The slices a survey's results are followed over time by; the month is itself time.
OVER_TIME = ("district", "provider", "sex", "age_band")


def results_over_time(*, survey: Survey, dimension: str) -> list[dict]:
    """For each question of `survey`: per stratum of `dimension`, the respondents and the share
    who gave the question's first answer (yes; 5, very satisfied) in every survey of the same
    audience that asked it, opened up to `survey`, oldest first. Each period's figures are that
    survey's `results` (suppressed there; different respondents, so no sum across periods
    gives a hidden cell away)."""
    if dimension not in OVER_TIME:
        return []
    periods = [
        (s, {b["question"].pk: b for b in results(survey=s, dimension=dimension)})
        for s in Survey.objects.filter(audience=survey.audience, opens_on__lte=survey.opens_on)
        .exclude(opens_on=survey.opens_on, pk__gt=survey.pk)
        .order_by("opens_on", "pk")
    ]
    out = []
    for question in survey.questions.order_by("position", "key"):
        asked = [(s, blocks[question.pk]) for s, blocks in periods if question.pk in blocks]
        labels: dict = {}
        for _s, block in asked:
            for row in block["rows"]:
                labels.setdefault(row["key"], row["label"])
        keys = sorted((k for k in labels if k != CITY_ROW), key=lambda k: str(labels[k]))
        rows = []
        for key in [*keys, CITY_ROW]:
            cells = []
            for _s, block in asked:
                row = next((r for r in block["rows"] if r["key"] == key), None)
                # No answers from a stratum in a period is a count of 0: small, so suppressed.
                cells.append(
                    {
                        "total": row["total"] if row else SUPPRESSED,
                        "percent": row["cells"][0]["percent"] if row else None,
                    }
                )
            rows.append(
                {"key": key, "label": labels.get(key, _("Alla som svarat")), "cells": cells}
            )
        out.append(
            {
                "question": question,
                "text": _(question.text),
                "option": OPTIONS[question.kind][0][1],
                "periods": [
                    {"survey": s, "period": f"{s.opens_on.isoformat()}–{s.closes_on.isoformat()}"}
                    for s, _block in asked
                ],
                "rows": rows,
            }
        )
    return out


def awareness_trend(*, until: date, district_id: int | None = None) -> list[dict]:
    """For the tertial report: per person survey opened by the end of the month of `until` and
    per awareness question, the share who answered yes, in the city or one district,
    suppressed by the same rule."""
    out = []
    next_month = (until.replace(day=28) + timedelta(days=4)).replace(day=1)
    surveys = Survey.objects.filter(audience=Audience.PERSONS, opens_on__lt=next_month).order_by(
        "opens_on", "pk"
    )
    for survey in surveys:
        for block in results(survey=survey, dimension="district"):
            if block["question"].topic != Topic.AWARENESS:
                continue
            wanted = district_id if district_id is not None else CITY_ROW
            row = next((r for r in block["rows"] if r["key"] == wanted), None)
            yes = row["cells"][0] if row else {"count": SUPPRESSED, "percent": None}
            out.append(
                {
                    "survey": survey.title,
                    "period": f"{survey.opens_on.isoformat()}–{survey.closes_on.isoformat()}",
                    "question": block["text"],
                    "respondents": row["total"] if row else SUPPRESSED,
                    "yes_percent": yes["percent"],
                }
            )
    return out
