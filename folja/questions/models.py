"""Tillämpningsfrågor: a caseworker's or a provider's question about a grey zone, with an
anonymised case, answered by the central administration, and the notices telling the districts
and the asker that an answer (or a new ruling) exists."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import DISTRICT_ROLES, PROVIDER_ROLES, Role


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """The analyst sees every question. District staff see their district's questions (asked
        by them, or by a provider about a case of theirs); provider staff their provider's;
        both see every answered question whose answer is published."""
        role = getattr(user, "role", None)
        if role == Role.ANALYST:
            return self.all()
        published = Q(published=True, answered_at__isnull=False)
        if role in DISTRICT_ROLES:
            return self.filter(published | Q(district_id=user.district_id))
        if role in PROVIDER_ROLES:
            return self.filter(published | Q(provider_id=user.provider_id))
        return self.none()


class Question(models.Model):
    asked_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The district the case belongs to (a provider names it, a caseworker's own is used) and
    # the provider that asked, if one did: these decide who sees an unanswered question.
    district = models.ForeignKey(
        "people.District",
        verbose_name=_("stadsdel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "handbook.Activity", verbose_name=_("aktivitet"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("fråga och avidentifierat fall"))
    asked_at = models.DateTimeField()
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # A published answer is shown to every district and provider; an unpublished one only to
    # those who could see the question.
    published = models.BooleanField(_("publicerat"), default=False)
    # The ruling the answer became, when it was published as one (the handbook keeps it).
    ruling = models.ForeignKey(
        "handbook.Ruling", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.activity_id} ({self.asked_at:%Y-%m-%d})"


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> NoticeQuerySet:
        role = getattr(user, "role", None)
        if role in DISTRICT_ROLES:
            return self.filter(district_id=user.district_id)
        if role in PROVIDER_ROLES:
            return self.filter(provider_id=user.provider_id)
        return self.none()


class QuestionNotice(models.Model):
    """One district's or one provider's notice that a question was answered; it stays in their
    list until someone there acknowledges it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notices")
    district = models.ForeignKey(
        "people.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="question_notice_has_one_recipient",
                condition=Q(district__isnull=False, provider__isnull=True)
                | Q(district__isnull=True, provider__isnull=False),
            )
        ]
