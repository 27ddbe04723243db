"""Surveys (enkäter) of persons, providers and caseworkers (issue 15, items 5–7).

Answers are stored apart from identities: a Participation says who answered a survey (so no
one answers twice and invitations disappear), an Answer carries only the strata the follow-up
groups by (district, provider, sex, age band, month) and no user or person key. Answer keys
are random UUIDs, not a sequence, so the order of insertion cannot pair an answer with the
participation written in the same transaction.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PERSONS = "persons", _("Brukare och företrädare")
    PROVIDERS = "providers", _("Utförare")
    CASEWORKERS = "caseworkers", _("Biståndshandläggare")


class Topic(models.TextChoices):
    AWARENESS = "awareness", _("Kännedom om modellen")
    SATISFACTION = "satisfaction", _("Nöjdhet")
    UNUSED = "unused", _("Skäl till outnyttjade timmar")


class Kind(models.TextChoices):
    YES_NO = "yes_no", _("Ja eller nej")
    SCALE = "scale", _("Skala 1–5")


class Question(models.Model):
    """The question bank the analyst composes surveys from (reference data, seeded by a
    migration)."""

    key = models.SlugField(max_length=60, unique=True)
    text = models.CharField(_("fråga"), max_length=300)
    topic = models.CharField(_("ämne"), max_length=20, choices=Topic.choices)
    kind = models.CharField(_("svarstyp"), max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "key")

    def __str__(self) -> str:
        return self.text


class Survey(models.Model):
    title = models.CharField(_("namn"), max_length=200)
    audience = models.CharField(_("målgrupp"), max_length=20, choices=Audience.choices)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"))
    questions = models.ManyToManyField(Question, related_name="surveys")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-opens_on", "-pk")

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """Who answered (a person answers once, whether themselves or through a representative;
    staff answer once each). Holds no answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answered_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=models.Q(person__isnull=False),
                name="survey_one_answer_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(person__isnull=True),
                name="survey_one_answer_per_staff_user",
            ),
        ]


class Answer(models.Model):
    """One answer to one question, with the strata of the follow-up and nothing that names
    who gave it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(max_length=10)
    district = models.ForeignKey(
        "people.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sex = models.CharField(max_length=6, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    month = models.DateField()
