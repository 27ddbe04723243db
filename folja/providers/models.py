"""Providers (utförare), their escorts (ledsagare), orders (beställningar) and implementation
plans (genomförandeplaner)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import PROVIDER_ROLES, Role
from folja.core.scoping import PersonScopedQuerySet
from folja.guidelines.models import AllocationModel, Regi


class Provider(models.Model):
    """A LOV provider. Its published practice (booking notice, cancellation rules, expenses) is
    structured so the portal can show where it differs from the city's guideline."""

    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, unique=True)
    regi = models.CharField(_("regi"), max_length=10, choices=Regi.choices)
    lov_approved = models.BooleanField(_("godkänd enligt LOV"), default=True)
    description = models.TextField(_("beskrivning"), blank=True)
    languages = models.JSONField(_("språk"), default=list, blank=True)
    activities = models.JSONField(_("aktiviteter"), default=list, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    # Published practice (structured).
    booking_notice_hours = models.PositiveIntegerField(_("bokning senast, timmar före"), default=48)
    cancellation_cutoff_hours = models.PositiveIntegerField(
        _("avbokning senast, timmar före"), default=24
    )
    charges_late_cancellation = models.BooleanField(_("sen avbokning räknas av"), default=True)
    charges_no_show = models.BooleanField(_("uteblivet besök räknas av"), default=True)
    expense_practice = models.TextField(_("hantering av omkostnader"), blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgeBand(models.TextChoices):
    UNDER_30 = "18-29", _("18–29 år")
    AGE_30_49 = "30-49", _("30–49 år")
    AGE_50_PLUS = "50+", _("50 år eller äldre")


class Capacity(models.TextChoices):
    LOW = "low", _("Lätt")
    MEDIUM = "medium", _("Medel")
    HIGH = "high", _("Kan lyfta och stödja")


class EscortQuerySet(models.QuerySet):
    def visible_to(self, user) -> EscortQuerySet:
        if getattr(user, "role", None) in PROVIDER_ROLES:
            return self.filter(provider_id=user.provider_id)
        return self.none()


class Escort(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="escorts")
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    gender = models.CharField(
        _("kön"), max_length=6, choices=[("female", _("Kvinna")), ("male", _("Man"))]
    )
    age_band = models.CharField(_("ålder"), max_length=6, choices=AgeBand.choices)
    languages = models.JSONField(_("språk"), default=list, blank=True)
    interests = models.JSONField(_("intressen"), default=list, blank=True)
    physical_capacity = models.CharField(
        _("fysisk förmåga"), max_length=6, choices=Capacity.choices, default=Capacity.MEDIUM
    )
    active = models.BooleanField(default=True)

    objects = EscortQuerySet.as_manager()

    class Meta:
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SENT = "sent", _("Skickad")
    ACCEPTED = "accepted", _("Accepterad")
    ENDED = "ended", _("Avslutad")


class OrderQuerySet(PersonScopedQuerySet):
    provider_field = "provider_id"

    def visible_to(self, user):
        # A draft is still the district's: the provider sees an order once it is sent.
        qs = super().visible_to(user)
        if getattr(user, "role", None) in PROVIDER_ROLES:
            qs = qs.exclude(status=OrderStatus.DRAFT)
        return qs


class Order(models.Model):
    """The order to the chosen provider, carrying the handover information the seeds say gets
    lost between district and provider."""

    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="orders")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="orders")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.DRAFT, db_index=True
    )
    goals = models.TextField(_("mål med insatsen"), blank=True)
    activities = models.TextField(_("aktiviteter"), blank=True)
    preferred_languages = models.JSONField(
        _("önskat språk hos ledsagaren"), default=list, blank=True
    )
    preferred_interests = models.JSONField(_("intressen"), default=list, blank=True)
    preferred_age_band = models.CharField(
        _("önskad ålder"), max_length=6, blank=True, choices=AgeBand.choices
    )
    preferred_gender = models.CharField(
        _("önskat kön"),
        max_length=6,
        blank=True,
        choices=[("female", _("Kvinna")), ("male", _("Man"))],
    )
    physical_strength_needed = models.BooleanField(_("behöver fysiskt stöd"), default=False)
    communication_needs = models.TextField(_("kommunikationsbehov"), blank=True)
    contact_rules = models.TextField(_("kontaktvägar och överenskommelser"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["provider", "status"])]


class ImplementationPlanQuerySet(PersonScopedQuerySet):
    person_lookup = "order__person"
    provider_field = "order__provider_id"


class ImplementationPlan(models.Model):
    """Genomförandeplan, versioned: a change is a new version, the old ones stay readable."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveIntegerField()
    goals = models.TextField(_("mål"))
    activities = models.TextField(_("aktiviteter"))
    who = models.TextField(_("vem gör vad"))
    when = models.TextField(_("när"))
    how = models.TextField(_("hur"))
    participation = models.TextField(_("den enskildes delaktighet"))
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImplementationPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["order", "version"], name="one_plan_version")
        ]


class OrderNoticeQuerySet(PersonScopedQuerySet):
    person_lookup = "order__person"
    provider_field = "order__provider_id"


class OrderNotice(models.Model):
    """A change in the decision behind an order (hours, validity or model), told to the
    provider until it acknowledges it. The seeds: information is lost between the district and
    the provider; a provider working from last month's hours plans the wrong time.

    The values are copied, not only the decisions referred to: the notice says what the
    provider was told, even if a decision is later replaced again."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notices")
    previous_decision = models.ForeignKey(
        "cases.Decision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        "cases.Decision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_outcome = models.CharField(max_length=16)
    new_outcome = models.CharField(max_length=16)
    old_hours_per_month = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_hours_per_month = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    old_valid_from = models.DateField(null=True, blank=True)
    new_valid_from = models.DateField(null=True, blank=True)
    old_valid_to = models.DateField(null=True, blank=True)
    new_valid_to = models.DateField(null=True, blank=True)
    old_model = models.CharField(max_length=10, choices=AllocationModel.choices)
    new_model = models.CharField(max_length=10, choices=AllocationModel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrderNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The inbox asks for a provider's open notices; acknowledged ones are history.
            models.Index(
                fields=["order"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="order_notice_open",
            )
        ]


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApiTokenQuerySet:
        if getattr(user, "role", None) == Role.PROVIDER_ADMIN:
            return self.filter(provider_id=user.provider_id)
        return self.none()


class ApiToken(models.Model):
    """A provider's API token. Only a SHA-256 hash is stored; the token is shown once."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()


class ProviderChoiceKind(models.TextChoices):
    CHOSEN = "chosen", _("Den enskilde har valt utförare")
    NO_CHOICE = "no_choice", _("Den enskilde väljer inte: ickevalsalternativet")


class ProviderChoice(models.Model):
    """The person's choice of provider for a decision, recorded by the caseworker with the
    person (LOV), or the no-choice alternative of the guideline when the person does not
    choose. The order form starts from the latest one. A new choice is a new row."""

    decision = models.ForeignKey(
        "cases.Decision", on_delete=models.CASCADE, related_name="provider_choices"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="provider_choices"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("val"), max_length=10, choices=ProviderChoiceKind.choices)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    # The district's record of the person's choice; the provider sees its orders, not this.
    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
