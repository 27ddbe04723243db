"""Follow-up facts: one row per person and month (`PersonMonth`) and the monthly roll-up
(`MonthlyRollup`) aggregated from it.

Why two tables: the roll-up answers city-wide dashboards at national scale in milliseconds,
but it can only be kept right incrementally if we know what each person contributed to it.
`PersonMonth` is exactly that contribution; when a person's sessions or decisions change,
`services.rollup_refresh` recomputes that person's rows and re-aggregates only the roll-up keys
the old and new rows touch. Neither table holds names, personnummer or addresses.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.rules.stats import AGE_BAND_KEYS


class AgeBand(models.TextChoices):
    # The one scheme of folja.rules.stats (why these bands is written there).
    CHILD = AGE_BAND_KEYS[0], _("0–20 år")
    ADULT = AGE_BAND_KEYS[1], _("21–64 år")
    SENIOR = AGE_BAND_KEYS[2], _("65 år och äldre")


class MeasureFields(models.Model):
    """Additive measures shared by the fact table and the roll-up (sums stay sums)."""

    granted_minutes = models.BigIntegerField(default=0)
    executed_minutes = models.BigIntegerField(default=0)
    charged_minutes = models.BigIntegerField(default=0)
    lapsed_minutes = models.BigIntegerField(default=0)
    sessions_executed = models.IntegerField(default=0)
    cancelled_in_time = models.IntegerField(default=0)
    cancelled_late = models.IntegerField(default=0)
    no_shows = models.IntegerField(default=0)
    cancelled_by_provider = models.IntegerField(default=0)
    expenses_sek = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    feedback_count = models.IntegerField(default=0)
    complaint_count = models.IntegerField(default=0)

    class Meta:
        abstract = True


class PersonMonth(MeasureFields):
    """One person's contribution to one month. `persons`-type counts come from counting rows
    (a person has at most one row per month)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="followup_months"
    )
    month = models.DateField()  # 1st of the month
    district = models.ForeignKey("people.District", on_delete=models.PROTECT, related_name="+")
    # The provider that executed most of the month's time (else the active order's provider);
    # one provider per row keeps persons countable by summing rows.
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    act = models.CharField(max_length=3, blank=True)
    model = models.CharField(max_length=10, blank=True)
    sex = models.CharField(max_length=6)
    age_band = models.CharField(max_length=6, choices=AgeBand.choices)
    has_grant = models.BooleanField(default=False)
    flex3_month = models.BooleanField(default=False)
    # In this flex3 month the person used more than the month's own grant (DESIGN.md).
    used_flexibly = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="one_fact_per_person_month")
        ]
        indexes = [
            models.Index(fields=["month", "district"]),
            models.Index(fields=["district", "month"]),
        ]


class MonthlyRollup(MeasureFields):
    """Σ of `PersonMonth` per month and slice. Kept incrementally (services.rollup_refresh)."""

    month = models.DateField()
    district = models.ForeignKey("people.District", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    act = models.CharField(max_length=3, blank=True)
    model = models.CharField(max_length=10, blank=True)
    sex = models.CharField(max_length=6)
    age_band = models.CharField(max_length=6, choices=AgeBand.choices)
    persons = models.IntegerField(default=0)  # rows of PersonMonth with a grant
    flex3_persons = models.IntegerField(default=0)
    flexible_persons = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month", "district"]),
            models.Index(fields=["district", "month"]),
        ]


class PersonPeriod(models.Model):
    """The distinct slice values a person had in a year (`tertial` 0) or in a tertial (1–3),
    with the flags OR-ed over the months: counting distinct persons per slice over these few
    rows instead of over every person-month keeps year and tertial pages fast at national
    scale. Derived from `PersonMonth` in the same refresh."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="followup_periods"
    )
    year = models.PositiveSmallIntegerField()
    tertial = models.PositiveSmallIntegerField()  # 0 = the whole year
    district = models.ForeignKey("people.District", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    act = models.CharField(max_length=3, blank=True)
    model = models.CharField(max_length=10, blank=True)
    sex = models.CharField(max_length=6)
    age_band = models.CharField(max_length=6, choices=AgeBand.choices)
    has_grant = models.BooleanField(default=False)
    flex3_month = models.BooleanField(default=False)
    used_flexibly = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["year", "tertial", "district"])]


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Avbröts: ett fel i Följa")


class TertialReportRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> models.QuerySet:
        """Analysts see every run (the city's figures are theirs); a unit manager sees the runs
        of their own district only, whoever asked for them. Aggregates only, no person."""
        from folja.accounts.models import Role

        if not getattr(user, "is_active", False):
            return self.none()
        role = getattr(user, "role", None)
        if role in (Role.ANALYST, Role.ADMINISTRATOR):
            return self.all()
        if role == Role.UNIT_MANAGER and user.district_id is not None:
            return self.filter(district_id=user.district_id)
        return self.none()


class TertialReportRun(models.Model):
    """A tertial report asked for in the browser and written by a background job (the same
    `write_tertial_report` as `folja report tertial`). Aggregates only: the files hold no
    person's data, so they are kept for download."""

    requested_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    district = models.ForeignKey(
        "people.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    step = models.PositiveSmallIntegerField(default=0)  # of REPORT_STEPS, for the progress bar
    pdf = models.BinaryField(default=b"")
    xlsx = models.BinaryField(default=b"")
    stem = models.CharField(max_length=120, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TertialReportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tertialrapport")
        verbose_name_plural = _("tertialrapporter")
