"""Pilots of the free model (fri ledsagning): a stratified random pilot group, its matched
control group and the planned model switch. Decisions are not changed here: the caseworkers
make the new decisions; the pilot only records who switches when, so it can be evaluated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import DISTRICT_ROLES, Role
from folja.core.scoping import PersonScopedQuerySet


class PilotStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    RUNNING = "running", _("Pågår")
    ENDED = "ended", _("Avslutad")


class PilotQuerySet(models.QuerySet):
    def visible_to(self, user) -> PilotQuerySet:
        """Analysts run pilots city-wide; a district's own staff see their district's pilots."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role in (Role.ANALYST, Role.ADMINISTRATOR):
            return self.all()
        if user.role in DISTRICT_ROLES:
            return self.filter(district_id=user.district_id)
        return self.none()


class PilotGroup(models.Model):
    name = models.CharField(_("namn"), max_length=120)
    district = models.ForeignKey("people.District", on_delete=models.PROTECT, related_name="pilots")
    model_from = models.CharField(_("nuvarande modell"), max_length=10, default="flex3")
    model_to = models.CharField(_("modell under försöket"), max_length=10, default="free")
    # Planned switch: the pilot persons move to `model_to` on `starts_on` and back (or on to a
    # decision about the future) after `ends_on`.
    starts_on = models.DateField(_("försöket börjar"))
    ends_on = models.DateField(_("försöket slutar"))
    size = models.PositiveIntegerField(_("antal i försöksgruppen"))
    age_split = models.PositiveIntegerField(_("åldersgräns för stratifiering"), default=21)
    seed = models.BigIntegerField(_("slumpfrö"))
    drawn_on = models.DateField(_("lottat"))
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=PilotStatus.choices, default=PilotStatus.PLANNED
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    objects = PilotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="pilot_ends_after_start", condition=models.Q(ends_on__gt=models.F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    PILOT = "pilot", _("Försöksgrupp")
    CONTROL = "control", _("Kontrollgrupp")


class PilotMemberQuerySet(PersonScopedQuerySet):
    """Analysts run pilots and see their members (shown by pseudonym only); otherwise a member
    row is visible exactly when its person is. Providers never see pilots."""

    def visible_to(self, user):
        if getattr(user, "role", None) == Role.ANALYST and user.is_active:
            return self.all()
        return super().visible_to(user)


class PilotMember(models.Model):
    group = models.ForeignKey(PilotGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="pilot_memberships"
    )
    role = models.CharField(max_length=8, choices=MemberRole.choices)
    stratum = models.CharField(max_length=20)  # e.g. "under_21", "21_plus"
    # The control member matched to this pilot member (nearest neighbour), and back.
    matched_to = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="match_of"
    )
    # Planned switch date of this person's model (pilot members only); null for controls.
    switch_on = models.DateField(null=True, blank=True)
    switch_back_on = models.DateField(null=True, blank=True)
    # What the matching used, frozen at the draw: hours granted, age, execution share.
    baseline = models.JSONField(default=dict)

    objects = PilotMemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_membership_per_pilot")
        ]
        indexes = [models.Index(fields=["person"])]
