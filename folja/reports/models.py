"""What the statutory files need that Följa does not otherwise hold, and a record of each file
written.

`LssSupplement`: the LSS register asks for a person's personkrets, every LSS service under 9 §
2–10 and the type of housing; Följa decides only ledsagarservice (9 § 3). The rest comes from an
import (folja.reports.supplement) of what the municipality's other systems know, and stays
empty in the file where nothing was imported.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from folja.core.scoping import PersonScopedQuerySet


class Personkrets(models.TextChoices):
    # LSS 1 §: the three groups of persons the act covers.
    ONE = "1", _("1 § 1 LSS: utvecklingsstörning, autism eller autismliknande tillstånd")
    TWO = "2", _("1 § 2 LSS: betydande och bestående begåvningsmässigt funktionshinder")
    THREE = "3", _("1 § 3 LSS: andra varaktiga fysiska eller psykiska funktionshinder")


class Housing(models.TextChoices):
    # The annex's four housing columns: 9 § 8 (children and young people) and 9 § 9 (adults).
    FAMILY_HOME = "familjehem", _("Familjehem för barn eller ungdomar (9 § 8 LSS)")
    CHILD_SPECIAL = (
        "bostad_barn",
        _("Bostad med särskild service för barn eller ungdomar (9 § 8 LSS)"),
    )
    ADULT_SPECIAL = "bostad_vuxna", _("Bostad med särskild service för vuxna (9 § 9 LSS)")
    ADULT_ADAPTED = "annan_bostad", _("Annan särskilt anpassad bostad för vuxna (9 § 9 LSS)")


# The LSS 9 § services the annex has a column for, other than ledsagarservice (9 § 3), which
# comes from Följa's own decisions. 9 § 8 and 9 are the housing columns.
OTHER_SERVICES = {
    "2": _("Personlig assistans (9 § 2 LSS)"),
    "4": _("Kontaktperson (9 § 4 LSS)"),
    "5": _("Avlösarservice i hemmet (9 § 5 LSS)"),
    "6": _("Korttidsvistelse utanför det egna hemmet (9 § 6 LSS)"),
    "7": _("Korttidstillsyn för skolungdom över 12 år (9 § 7 LSS)"),
    "10": _("Daglig verksamhet (9 § 10 LSS)"),
}


class LssSupplement(models.Model):
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="lss_supplement"
    )
    personkrets = models.CharField(
        _("personkrets"), max_length=1, choices=Personkrets.choices, blank=True
    )
    housing = models.CharField(_("boende"), max_length=12, choices=Housing.choices, blank=True)
    # The municipality the housing lies in, when it is another than the reporting one.
    housing_municipality = models.CharField(_("boendekommun"), max_length=4, blank=True)
    # Paragraph numbers of 9 § (keys of OTHER_SERVICES), e.g. ["2", "10"].
    services = models.JSONField(_("andra LSS-insatser"), default=list, blank=True)
    imported_at = models.DateTimeField()
    source = models.CharField(_("källa"), max_length=200, blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("LSS-uppgifter från annat system")
        verbose_name_plural = _("LSS-uppgifter från annat system")


class ReportKind(models.TextChoices):
    LSS_REGISTER = "lss_register", _("LSS-registret (Socialstyrelsen)")
    SOL_REGISTER = "sol_register", _("Registret över insatser enligt SoL (Socialstyrelsen)")
    KPB = "kpb", _("Kostnad per brukare (KPB)")
    NOT_CARRIED_OUT = "not_carried_out", _("Ej verkställda beslut (IVO och nämnden)")


class StatutoryFile(models.Model):
    """A statutory file as written: what, for which date or period, how many records and the
    file's checksum, so the municipality can show what it sent."""

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    period = models.CharField(_("avser"), max_length=20)  # 2026-10-01, 2026-10 or 2025
    records = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    written_at = models.DateTimeField()
    written_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-written_at", "-id"]
