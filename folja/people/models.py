"""Districts, persons and their legal representatives."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import Role
from folja.core import clock


class District(models.Model):
    """A district council (stadsdelsnämnd); it decides and pays. Also used for municipalities
    in the national synthetic data, where `municipality` names the municipality."""

    code = models.CharField(_("kod"), max_length=20, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    municipality = models.CharField(_("kommun"), max_length=100, default="Stockholm")
    active = models.BooleanField(_("aktiv"), default=True)
    # Where a person sends an appeal of the district's decision (the authority that decided
    # receives it first: förvaltningslagen 43 §). Printed in every decision letter.
    appeal_address = models.TextField(
        _("postadress för överklaganden"),
        blank=True,
        help_text=_("Mottagare, gatu- eller boxadress, postnummer och ort, en rad var."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("stadsdel")
        verbose_name_plural = _("stadsdelar")

    def __str__(self) -> str:
        return self.name


class ProtectedIdentity(models.TextChoices):
    NONE = "none", _("Ingen")
    CONFIDENTIALITY_MARK = "confidentiality_mark", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "protected_registration", _("Skyddad folkbokföring")
    FICTITIOUS = "fictitious", _("Fingerade personuppgifter")


class Sex(models.TextChoices):
    FEMALE = "female", _("Kvinna")
    MALE = "male", _("Man")


class PreferredFormat(models.TextChoices):
    STANDARD = "standard", _("Vanlig text")
    PLAIN = "plain", _("Lättläst")
    PICTOGRAM = "pictogram", _("Bildstöd")
    BRAILLE = "braille", _("Punktskrift")
    DAISY = "daisy", _("Daisy (talbok)")


class BrailleGrade(models.TextChoices):
    """Fullskrift spells every word; kortskrift (nivå 1) uses the Swedish contractions, which a
    reader must have learnt: so it is the person's choice, fullskrift unless they choose."""

    UNCONTRACTED = "uncontracted", _("Fullskrift")
    CONTRACTED = "contracted", _("Kortskrift")


def direct_person_scope(user, prefix: str) -> Q | None:
    """The persons `user` may see, as a condition on the person's own columns under `prefix`
    (e.g. "person__"), for the roles whose scope is one column: a person sees themself, a
    caseworker or unit manager their district. None for the other roles, whose scope needs the
    full `visible_to` query. Objects of a person are filtered with this condition rather than
    `person__in=<subquery>`: the same rows, and a cheaper query for pages that run ten of them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role == Role.PERSON and user.person_id:
        return Q(**{f"{prefix}pk": user.person_id})
    if user.role in (Role.CASEWORKER, Role.UNIT_MANAGER):
        return Q(**{f"{prefix}district_id": user.district_id})
    return None


class PersonQuerySet(QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """The one scope for persons. Analysts and administrators see no persons at all:
        they work with aggregates and reference data."""
        direct = direct_person_scope(user, "")
        if direct is not None:
            return self.filter(direct)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        role = user.role
        if role == Role.REPRESENTATIVE:
            # One filter() call, so every condition holds for the same representation: an
            # active one whose mandate (förordnande) is in force today.
            today = clock.today()
            return self.filter(
                Q(representatives__valid_from__isnull=True)
                | Q(representatives__valid_from__lte=today),
                Q(representatives__valid_to__isnull=True) | Q(representatives__valid_to__gte=today),
                representatives__user=user,
                representatives__active=True,
            )
        if role in (Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN):
            return self.filter(
                Q(orders__provider_id=user.provider_id) & ~Q(orders__status="draft")
            ).distinct()
        return self.none()


class Person(models.Model):
    personnummer = models.CharField(_("personnummer"), max_length=13, unique=True)
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    birth_date = models.DateField(_("födelsedatum"))
    sex = models.CharField(_("kön"), max_length=6, choices=Sex.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="persons")
    address = models.CharField(_("adress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    language = models.CharField(_("språk"), max_length=40, blank=True, default="svenska")
    preferred_format = models.CharField(
        _("önskat format"), max_length=12, choices=PreferredFormat.choices, default="standard"
    )
    braille_grade = models.CharField(
        _("punktskrift"),
        max_length=12,
        choices=BrailleGrade.choices,
        default=BrailleGrade.UNCONTRACTED,
    )
    protected_identity = models.CharField(
        _("skyddad identitet"),
        max_length=24,
        choices=ProtectedIdentity.choices,
        default=ProtectedIdentity.NONE,
    )
    # Staff named here may see address and contact of a person with protected identity.
    named_staff = models.ManyToManyField(
        "accounts.User", blank=True, related_name="protected_persons"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Last entry in the file: the start of the five-year culling clock (gallring).
    last_entry_on = models.DateField(null=True, blank=True)
    # From the population register (Navet): the day of death, and the day the person was
    # registered in another municipality. Both end the district's responsibility.
    deceased_on = models.DateField(_("avliden"), null=True, blank=True)
    moved_out_on = models.DateField(_("utflyttad från kommunen"), null=True, blank=True)
    # Pseudonymous key kept after culling so follow-up statistics do not change.
    pseudonym = models.CharField(max_length=32, unique=True)
    culled_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["district", "last_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_protected_identity(self) -> bool:
        return self.protected_identity != ProtectedIdentity.NONE


class RepresentativeKind(models.TextChoices):
    GOOD_MAN = "god_man", _("God man")
    ADMINISTRATOR = "forvaltare", _("Förvaltare")
    GUARDIAN = "guardian", _("Vårdnadshavare")


class RepresentativeQuerySet(QuerySet):
    def visible_to(self, user) -> RepresentativeQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class Representative(models.Model):
    """A legal representative who may act for the person; with a login they see exactly what
    the person may see."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="representatives")
    user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representations",
    )
    kind = models.CharField(
        _("typ av företrädare"), max_length=12, choices=RepresentativeKind.choices
    )
    name = models.CharField(_("namn"), max_length=200)
    # The representative's own number (normalized YYYYMMDD-NNNN), as the court's decision on
    # the mandate (or the child's birth record, for a guardian) names them.
    personnummer = models.CharField(_("personnummer"), max_length=13, blank=True)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    active = models.BooleanField(default=True)
    # The mandate's dates (förordnande): from the court's decision, to its end if it has one.
    valid_from = models.DateField(_("förordnad från"), null=True, blank=True)
    valid_to = models.DateField(_("förordnad till och med"), null=True, blank=True)

    objects = RepresentativeQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def within_mandate(self, on: date) -> bool:
        """Whether `on` lies within the mandate's dates (förordnande), open ends included."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    def mandate_in_force(self, on: date) -> bool:
        """Whether this representation lets the representative act for the person on `on`:
        active and within the mandate's dates (the same test as `visible_to`'s)."""
        return self.active and self.within_mandate(on)
