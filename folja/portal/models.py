"""What the person (or representative) sends: feedback and requests to change provider."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import PROVIDER_ROLES
from folja.core.scoping import PersonScopedQuerySet


class FeedbackAbout(models.TextChoices):
    PROVIDER = "provider", _("Utföraren")
    DISTRICT = "district", _("Stadsdelsförvaltningen")


class FeedbackKind(models.TextChoices):
    PRAISE = "praise", _("Beröm")
    SUGGESTION = "suggestion", _("Förslag")
    COMPLAINT = "complaint", _("Klagomål")


class FeedbackQuerySet(PersonScopedQuerySet):
    provider_field = "provider_id"
    # The person names the provider; a provider without an order with the person has no
    # business reading what they wrote.
    provider_needs_order = True

    def visible_to(self, user):
        # Routed: provider staff see feedback about their own provider, not about the district.
        qs = super().visible_to(user)
        if getattr(user, "role", None) in PROVIDER_ROLES:
            qs = qs.filter(about=FeedbackAbout.PROVIDER)
        return qs


class Feedback(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="feedback")
    about = models.CharField(_("gäller"), max_length=10, choices=FeedbackAbout.choices)
    kind = models.CharField(_("typ"), max_length=12, choices=FeedbackKind.choices)
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    district = models.ForeignKey(
        "people.District", on_delete=models.PROTECT, related_name="feedback"
    )
    text = models.TextField(_("vad vill du berätta"))
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    reply = models.TextField(_("svar"), blank=True)
    replied_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="provider_feedback_names_provider",
                condition=~Q(about="provider") | Q(provider__isnull=False),
            )
        ]


class ProviderChangeRequest(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="provider_change_requests"
    )
    from_provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("varför vill du byta"), blank=True)
    status = models.CharField(
        max_length=10,
        default="open",
        choices=[("open", _("Öppen")), ("done", _("Genomförd")), ("declined", _("Ej genomförd"))],
    )
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
