"""The city's activity handbook (aktivitetshandbok): its rulings on which activities the escort
service covers, so that every district gives the same answer (issue 15).

A ruling is versioned like a guideline: once published it is never edited. A change is a new
version of the same activity's ruling; publishing it sets the old version's end date.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.core.scoping import PersonScopedQuerySet


class RulingKind(models.TextChoices):
    COVERED = "covered", _("Ingår")
    COVERED_WITH_CONDITIONS = "covered_with_conditions", _("Ingår med villkor")
    NOT_COVERED = "not_covered", _("Ingår inte")
    CASE_BY_CASE = "case_by_case", _("Bedöms i varje enskilt fall")


class RulingStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> models.QuerySet:
        # The handbook is public reference data: anyone signed in reads the catalogue.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self


class Activity(models.Model):
    """An activity type in the catalogue (kultur, idrott, resa utomlands ...)."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(_("aktivitet"), max_length=120)
    # A grey zone (gråzon) is an activity the seeds name as disputed between districts and
    # providers; the follow-up of equal treatment is kept for these.
    grey_zone = models.BooleanField(_("gråzon"), default=False)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return self.name


class RulingQuerySet(ActivityQuerySet):
    def visible_to(self, user) -> models.QuerySet:
        qs = super().visible_to(user)
        # Drafts are the central administration's work in progress.
        if getattr(user, "role", None) in ("analyst", "administrator"):
            return qs
        return qs.filter(status=RulingStatus.PUBLISHED)


class Ruling(models.Model):
    """One version of the city's ruling (tillämpning) on an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="rulings")
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("bedömning"), max_length=30, choices=RulingKind.choices)
    conditions = models.TextField(_("villkor"), blank=True)
    reasoning = models.TextField(_("motivering"))
    # Purposes in folja.reports.legal_references (the one place for dated legal references);
    # the reference text shown is the one in force on the day it is read for.
    legal_references = models.JSONField(_("lagrum"), default=list, blank=True)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RulingStatus.choices, default=RulingStatus.DRAFT
    )
    # The wording is illustrative ("Exempeltext"), not the city's adopted text.
    illustrative = models.BooleanField(_("exempeltext"), default=False)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("ersätter"),
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)

    objects = RulingQuerySet.as_manager()

    class Meta:
        ordering = ["activity__position", "activity__name", "-version"]
        verbose_name = _("tillämpning")
        verbose_name_plural = _("tillämpningar")
        constraints = [
            models.UniqueConstraint(fields=["activity", "version"], name="one_ruling_version")
        ]

    def __str__(self) -> str:
        return f"{self.activity} v{self.version}"


class ApplicationActivityQuerySet(PersonScopedQuerySet):
    person_lookup = "application__person"


class ApplicationActivity(models.Model):
    """An activity applied for, picked from the catalogue (the application's free text stays
    in Application.activities)."""

    application = models.ForeignKey(
        "cases.Application", on_delete=models.CASCADE, related_name="catalogue_activities"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")

    objects = ApplicationActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("sökt aktivitet")
        verbose_name_plural = _("sökta aktiviteter")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "activity"], name="one_activity_per_application"
            )
        ]


class SessionRulingQuerySet(PersonScopedQuerySet):
    person_lookup = "session__person"
    provider_field = "session__provider"


class SessionRuling(models.Model):
    """How a provider applied the handbook when booking a session for a catalogue activity:
    the ruling in force then, and the provider's note (required unless the activity is
    covered outright)."""

    session = models.OneToOneField(
        "delivery.Session", on_delete=models.CASCADE, related_name="handbook_ruling"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    ruling = models.ForeignKey(
        Ruling, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("så tillämpades handboken"), blank=True)
    noted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionRulingQuerySet.as_manager()

    class Meta:
        verbose_name = _("tillämpning vid bokning")
        verbose_name_plural = _("tillämpningar vid bokning")
