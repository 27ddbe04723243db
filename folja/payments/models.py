"""Monthly payment runs per provider (LOV). A run's lines copy the stored verification
results (the rules engine's figures); a closed run is never changed — later corrections are
adjustment lines in the next open run, each referring to the line it corrects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import PROVIDER_ROLES, Role
from folja.core.scoping import PersonScopedQuerySet


class RunStatus(models.TextChoices):
    OPEN = "open", _("Öppen")
    CLOSED = "closed", _("Stängd")


class PaymentRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> PaymentRunQuerySet:
        role = getattr(user, "role", None)
        if not getattr(user, "is_active", False):
            return self.none()
        if role in PROVIDER_ROLES:
            return self.filter(provider_id=user.provider_id)
        if role in (Role.ADMINISTRATOR, Role.ANALYST):
            return self.all()
        return self.none()


class PaymentRun(models.Model):
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="payment_runs"
    )
    month = models.DateField(_("månad"))  # first day of the month
    status = models.CharField(max_length=6, choices=RunStatus.choices, default=RunStatus.OPEN)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total_sek = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    payable_minutes = models.IntegerField(default=0)

    objects = PaymentRunQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "provider_id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "month"], name="one_run_per_month")
        ]

    @property
    def is_closed(self) -> bool:
        return self.status == RunStatus.CLOSED


class LineKind(models.TextChoices):
    SESSION = "session", _("Pass")
    ADJUSTMENT = "adjustment", _("Rättelse")


class PaymentLineQuerySet(PersonScopedQuerySet):
    """A payment line names a person (by pseudonym and link): the run's provider and the
    person's district see it, like the session it pays."""

    provider_field = "run__provider_id"


class PaymentLine(models.Model):
    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.SESSION)
    session = models.ForeignKey(
        "delivery.Session",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payment_lines",
    )
    person = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_pseudonym = models.CharField(max_length=32)
    external_id = models.CharField(max_length=80, blank=True)
    legal_basis = models.CharField(max_length=60, blank=True)
    # The regi of the provider when the line was made: rates differ by regi (FACTS.md), so a
    # finance system checking a line needs it beside the minutes.
    regi = models.CharField(max_length=10, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=24)
    payable_minutes = models.IntegerField(default=0)
    excluded_minutes = models.IntegerField(default=0)
    band_minutes = models.JSONField(default=dict, blank=True)
    amount_sek = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    excluded = models.BooleanField(default=False)
    reason_codes = models.JSONField(default=list, blank=True)
    adjusts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )

    objects = PaymentLineQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["session", "run"])]
