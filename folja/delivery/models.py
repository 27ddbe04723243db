"""What was delivered: sessions (pass), expense claims and costly-activity applications.

A session's verification result (charged/payable minutes, band minutes, payment, flags) is
written by the rules engine through the delivery services; it is stored so that payment runs and
follow-up read it without recomputing, and recomputed whenever anything it depends on changes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.core.scoping import PersonScopedQuerySet


class SessionStatus(models.TextChoices):
    BOOKED = "booked", _("Bokad")
    EXECUTED = "executed", _("Utförd")
    CANCELLED_BY_PERSON = "cancelled_by_person", _("Avbokad av den enskilde")
    NO_SHOW = "no_show", _("Uteblivet besök")
    CANCELLED_BY_PROVIDER = "cancelled_by_provider", _("Inställd av utföraren")


class ReviewStatus(models.TextChoices):
    NONE = "", _("Ingen granskning behövs")
    PENDING = "pending", _("Väntar på handläggarens beslut")
    APPROVED = "approved", _("Godkänd av handläggare")
    REJECTED = "rejected", _("Avslagen av handläggare")


class ProviderScopedQuerySet(PersonScopedQuerySet):
    provider_field = "provider_id"


class Session(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="sessions")
    order = models.ForeignKey(
        "providers.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="sessions"
    )
    escort = models.ForeignKey(
        "providers.Escort",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    external_id = models.CharField(max_length=80, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("slut"))
    status = models.CharField(_("status"), max_length=24, choices=SessionStatus.choices)
    cancelled_at = models.DateTimeField(_("avbokad"), null=True, blank=True)
    escorts = models.PositiveSmallIntegerField(_("antal ledsagare"), default=1)
    activity = models.CharField(_("aktivitet"), max_length=200, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Verification result (rules engine).
    period_start = models.DateField(null=True, blank=True)
    charged_minutes = models.IntegerField(default=0)
    payable_minutes = models.IntegerField(default=0)
    band_minutes = models.JSONField(default=dict, blank=True)
    payment_sek = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    flags = models.JSONField(default=list, blank=True)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default="", blank=True
    )
    review_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProviderScopedQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["person", "start"]),
            models.Index(fields=["provider", "start"]),
            models.Index(fields=["escort", "start"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_session_per_external_id",
            ),
            models.CheckConstraint(
                name="session_ends_after_start", condition=models.Q(end__gt=models.F("start"))
            ),
            models.CheckConstraint(
                name="one_or_two_escorts", condition=models.Q(escorts__in=[1, 2])
            ),
        ]


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Inskickad")
    # An expense claim that would overdraw the pooled allowance: it draws nothing until the
    # caseworker decides (never used for costly-activity applications).
    PENDING = "pending", _("Väntar på beslut")
    APPROVED = "approved", _("Godkänd")
    REJECTED = "rejected", _("Avslagen")


class ExpenseClaim(models.Model):
    """An expense (the escort's entrance fee, ticket, …) drawing on the pooled allowance."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="expense_claims"
    )
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expense_claims",
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="expense_claims"
    )
    costly_activity = models.ForeignKey(
        "delivery.CostlyActivityApplication",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )
    date = models.DateField(_("datum"))
    amount_sek = models.DecimalField(_("belopp (kr)"), max_digits=9, decimal_places=2)
    description = models.CharField(_("vad gäller det"), max_length=200)
    receipt = models.FileField(_("kvitto"), upload_to="receipts/%Y/%m/", blank=True)
    receipt_content_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    decision_note = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProviderScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]


class CostlyActivityQuerySet(PersonScopedQuerySet):
    """Decided between the person and the district; providers see only the resulting claims."""


class CostlyActivityApplication(models.Model):
    """Mer kostsam aktivitet: extra expense money for one activity, decided by the caseworker,
    within the guideline's yearly ceiling."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="costly_activities"
    )
    activity = models.CharField(_("aktivitet"), max_length=200)
    date = models.DateField(_("datum för aktiviteten"))
    estimated_cost_sek = models.DecimalField(
        _("beräknad kostnad (kr)"), max_digits=9, decimal_places=2
    )
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    approved_amount_sek = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CostlyActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Importerad")
    REFUSED = "refused", _("Inte importerad: fel i filen")
    FAILED = "failed", _("Avbröts: ett fel i Följa")


class UploadQuerySet(models.QuerySet):
    def visible_to(self, user) -> models.QuerySet:
        """A provider's own staff see its uploads; nobody else does (not even the district:
        what was stored is in the sessions, which have their own scope)."""
        from folja.accounts.models import PROVIDER_ROLES

        if getattr(user, "role", None) in PROVIDER_ROLES and user.is_active:
            return self.filter(provider_id=user.provider_id)
        return self.none()


class SessionUpload(models.Model):
    """A monthly file uploaded in the browser, imported by a background job through the same
    all-or-nothing `sessions_import` as the API. The file's bytes are kept only until the job
    has run (they hold personnummer); the outcome and each row's errors stay."""

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.CASCADE, related_name="uploads"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("filnamn"), max_length=200)
    content = models.BinaryField(default=b"")
    status = models.CharField(
        _("status"), max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    step = models.PositiveSmallIntegerField(default=0)  # of UPLOAD_STEPS, for the progress bar
    rows = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("uppladdad passfil")
        verbose_name_plural = _("uppladdade passfiler")

    def __str__(self) -> str:
        return self.filename
