"""Users and their roles. A user has exactly one role; staff roles are tied to a district or a
provider, and that tie is what every `visible_to(user)` helper scopes by."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    PERSON = "person", _("Brukare")
    REPRESENTATIVE = "representative", _("Företrädare (god man/förvaltare)")
    CASEWORKER = "caseworker", _("Biståndshandläggare")
    UNIT_MANAGER = "unit_manager", _("Enhetschef")
    PROVIDER_STAFF = "provider_staff", _("Utförare")
    PROVIDER_ADMIN = "provider_admin", _("Utförare, administratör")
    ANALYST = "analyst", _("Analytiker")
    ADMINISTRATOR = "administrator", _("Systemadministratör")


DISTRICT_ROLES = {Role.CASEWORKER, Role.UNIT_MANAGER}
PROVIDER_ROLES = {Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN}


class User(AbstractUser):
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "people.District",
        verbose_name=_("stadsdel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("utförare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    # Set for role=person: the person this login belongs to.
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login",
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    # SITHS / HSA-id of staff: the claim an OIDC login (folja.accounts.oidc) is matched on.
    hsa_id = models.CharField(_("HSA-id"), max_length=64, blank=True, db_index=True)
    # A representative's own personnummer (normalized, YYYYMMDD-NNNN): an e-ID login is matched
    # on it. A person's login is matched on the person's number instead.
    personnummer = models.CharField(
        _("personnummer för e-legitimation"), max_length=13, blank=True, db_index=True
    )
    is_demo = models.BooleanField(_("demokonto"), default=False)

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = pgettext_lazy("plural", "användare")  # "users" in English
        constraints = [
            models.CheckConstraint(
                name="district_staff_have_district",
                condition=~models.Q(role__in=["caseworker", "unit_manager"])
                | models.Q(district__isnull=False),
            ),
            models.CheckConstraint(
                name="provider_staff_have_provider",
                condition=~models.Q(role__in=["provider_staff", "provider_admin"])
                | models.Q(provider__isnull=False),
            ),
        ]

    @property
    def is_district_staff(self) -> bool:
        return self.role in DISTRICT_ROLES

    @property
    def is_provider_staff(self) -> bool:
        return self.role in PROVIDER_ROLES

    def __str__(self) -> str:
        return self.get_full_name() or self.username
