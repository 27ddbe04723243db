"""Reference data a municipality decides: dated guideline versions, LOV rates, legal bases and
the DUR life areas. Never constants in code (DESIGN.md)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AllocationModel(models.TextChoices):
    MONTHLY = "monthly", _("Månadsvis")
    FLEX3 = "flex3", _("Tremånadersperiod")
    FREE = "free", _("Fri ledsagning")


class PeriodAnchor(models.TextChoices):
    DECISION_START = "decision_start", _("Från beslutets startmånad")
    CALENDAR_QUARTER = "calendar_quarter", _("Kalenderkvartal")


class Regi(models.TextChoices):
    MUNICIPAL = "municipal", _("Kommunal regi")
    PRIVATE = "private", _("Enskild regi")


class TimeBand(models.TextChoices):
    """The LOV time bands (folja.rules.model.BANDS) and their labels: the rate table's columns
    and every page that shows minutes or money per band."""

    DAY = "day", _("dag 07–19")
    EVENING = "evening", _("kväll 19–22")
    NIGHT = "night", _("natt 22–07")
    WEEKEND = "weekend", _("helg fre 19 – mån 07")
    STORHELG = "storhelg", _("storhelg")


class GuidelineVersion(models.Model):
    """One dated version of the city's guidelines (riktlinjer). The version in force on a date
    is the one with the latest valid_from on or before it."""

    name = models.CharField(_("namn"), max_length=120)
    valid_from = models.DateField(_("gäller från"), unique=True)
    model = models.CharField(
        _("tilldelningsmodell"), max_length=10, choices=AllocationModel.choices
    )
    period_anchor = models.CharField(
        _("periodstart"),
        max_length=20,
        choices=PeriodAnchor.choices,
        default=PeriodAnchor.DECISION_START,
    )
    late_cancellation_cutoff_hours = models.PositiveIntegerField(
        _("sen avbokning, timmar före start"), default=24
    )
    late_cancellation_charged = models.BooleanField(_("sen avbokning debiteras"), default=True)
    no_show_charged = models.BooleanField(_("uteblivet besök debiteras"), default=True)
    expense_allowance_per_month = models.DecimalField(
        _("omkostnadsersättning per månad (kr)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("300.00"),
    )
    costly_activity_yearly_ceiling = models.DecimalField(
        _("tak för mer kostsam aktivitet per år (kr)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("3000.00"),
    )
    free_review_threshold = models.DecimalField(
        _("fri ledsagning: uppföljningströskel (gånger planerad tid)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.0"),
    )
    reporting_deadline_days = models.PositiveIntegerField(
        _("rapportering senast, dagar efter månadens slut"), default=5
    )
    storhelg = models.JSONField(_("storhelgsdagar"), default=list, blank=True)
    # LOV 9 kap. 2 §: the municipality names a no-choice alternative (ickevalsalternativ), the
    # provider who carries out the decision of a person who does not choose one.
    no_choice_provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("ickevalsalternativ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # FACTS.md: allowance, ceiling, cut-off and charging rules were not found in public
    # sources; the defaults are illustrative and the UI says so ("exempelvärde").
    illustrative_fields = models.JSONField(_("illustrativa fält"), default=list, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("riktlinjeversion")
        verbose_name_plural = _("riktlinjeversioner")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from})"


class LovRate(models.Model):
    """LOV payment per hour for one year and regi (FACTS.md, the city's provider pages)."""

    year = models.PositiveIntegerField(_("år"))
    regi = models.CharField(_("regi"), max_length=10, choices=Regi.choices)
    day = models.DecimalField(TimeBand.DAY.label, max_digits=8, decimal_places=2)
    evening = models.DecimalField(TimeBand.EVENING.label, max_digits=8, decimal_places=2)
    night = models.DecimalField(TimeBand.NIGHT.label, max_digits=8, decimal_places=2)
    weekend = models.DecimalField(TimeBand.WEEKEND.label, max_digits=8, decimal_places=2)
    storhelg = models.DecimalField(TimeBand.STORHELG.label, max_digits=8, decimal_places=2)
    source = models.CharField(_("källa"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "regi"]
        verbose_name = _("LOV-ersättning")
        verbose_name_plural = _("LOV-ersättningar")
        constraints = [models.UniqueConstraint(fields=["year", "regi"], name="one_rate_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.regi}"


class LegalBasis(models.Model):
    """A legal provision with its validity: the new Social Services Act from 2025-07-01 renumbers
    sections, so a decision points at the provision in force when it was made."""

    class Act(models.TextChoices):
        SOL = "SoL", "SoL"
        LSS = "LSS", "LSS"

    act = models.CharField(_("lag"), max_length=3, choices=Act.choices)
    reference = models.CharField(_("lagrum"), max_length=60)
    label = models.CharField(_("benämning"), max_length=200)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    class Meta:
        ordering = ["act", "valid_from"]
        verbose_name = _("lagrum")
        # Swedish "lagrum" is both singular and plural; English is not ("legal bases").
        verbose_name_plural = pgettext_lazy("plural", "lagrum")
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "valid_from"], name="one_reference_per_date"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class LifeArea(models.Model):
    """A DUR life area, rated 1–7 by the caseworker and by the person."""

    code = models.CharField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("livsområde"), max_length=120)
    description = models.TextField(_("beskrivning"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("livsområde")
        verbose_name_plural = _("livsområden")

    def __str__(self) -> str:
        return self.name
