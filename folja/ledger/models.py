"""What the ledger keeps of its own: the record of each recalculation run.

A new guideline version or LOV rate changes figures for everyone from a date. That work runs as
a background job (folja.ledger.jobs); its row here says who or what asked for it, from which
date, how far it has come and how it ended, so an administrator can follow it and nobody has to
guess whether the figures they read are already recalculated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.rules.money import round_half_up_ratio


class RecalculationStatus(models.TextChoices):
    QUEUED = "queued", _("Köad")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class RecalculationTrigger(models.TextChoices):
    GUIDELINE_VERSION = "guideline_version", _("Riktlinjeversion")
    LOV_RATE = "lov_rate", _("LOV-ersättning")
    REFERENCE_DATA = "reference_data", _("Referensdata inlästa")
    MANUAL = "manual", _("Manuell omräkning")


class RecalculationRun(models.Model):
    """One re-verification of every person with figures on or after `valid_from`."""

    valid_from = models.DateField(_("räknas om från"))
    trigger = models.CharField(_("orsak"), max_length=20, choices=RecalculationTrigger.choices)
    # What was saved, in words ("Riktlinjer 2027 (2027-01-01)"): kept as text so the record
    # still reads right after the version or rate itself has been changed or removed.
    trigger_label = models.CharField(_("ändring"), max_length=200, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("startad av"),
    )
    triggered_by_name = models.CharField(_("startad av (namn)"), max_length=150, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RecalculationStatus.choices,
        default=RecalculationStatus.QUEUED,
    )
    total = models.PositiveIntegerField(_("personer att räkna om"), default=0)
    done = models.PositiveIntegerField(_("personer klara"), default=0)
    sessions_changed = models.PositiveIntegerField(_("ändrade pass"), default=0)
    task_id = models.CharField(_("jobb-id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("köad"))
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("omräkning")
        verbose_name_plural = _("omräkningar")

    def __str__(self) -> str:
        return f"{self.valid_from} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """Whole per cent done, rounded half-up; a run with nobody to recalculate is whole."""
        if self.total == 0:
            return 100 if self.status == RecalculationStatus.DONE else 0
        return round_half_up_ratio(100 * self.done, self.total)

    @property
    def finished(self) -> bool:
        return self.status in (RecalculationStatus.DONE, RecalculationStatus.FAILED)


class PeriodBalance(models.Model):
    """The engine's result for one period of one person, as last verified: what pages read.

    Written by the ledger in the same transaction as the sessions' verification results
    (folja.ledger.store), so a page shows a person's balance and periods with one indexed
    read instead of evaluating a history that grows every month.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="period_balances"
    )
    start = models.DateField()
    end = models.DateField()
    model = models.CharField(max_length=10)
    granted_minutes = models.IntegerField()
    used_minutes = models.IntegerField()
    allowance_sek = models.DecimalField(max_digits=12, decimal_places=2)
    expenses_sek = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["person", "start"]
        constraints = [
            models.UniqueConstraint(fields=["person", "start"], name="one_balance_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.start}..{self.end}"
