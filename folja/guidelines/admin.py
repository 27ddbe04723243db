"""Django admin is for reference data and users only (DESIGN.md); personal data is never
edited here.

Guideline versions and LOV rates are saved through folja.guidelines.services, which refuses bad
values and queues the recalculation of everyone's figures from the date the change touches. A
version that has come into force is shown read-only: a correction is a new version, which the
read-only page offers to start from a copy.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.core.fields import DecimalInput, SwedishDecimalField
from folja.core.params import ascii_int
from folja.guidelines import services
from folja.guidelines.forms import GuidelineVersionForm, LovRateForm
from folja.guidelines.models import GuidelineVersion, LegalBasis, LifeArea, LovRate
from folja.ledger.jobs import recalculation_runs
from folja.ledger.models import RecalculationRun


class RecalculatingAdmin(admin.ModelAdmin):
    """Shared by versions and rates: saves and deletions go through the service, the lists
    show the latest recalculations, and bulk deletion (which would bypass both) is off.
    Amounts and rates are typed as everywhere else in Följa ("1 250,50")."""

    formfield_overrides = {
        models.DecimalField: {"form_class": SwedishDecimalField, "widget": DecimalInput},
    }

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        extra_context = {"recalculations": recalculation_runs(limit=5)} | (extra_context or {})
        return super().changelist_view(request, extra_context=extra_context)

    def report_recalculation(self, request, run: RecalculationRun | None) -> None:
        if run is None:
            return
        self.message_user(
            request,
            format_html(
                _('Omräkning från {date} har köats. <a href="{url}">Följ förloppet</a>.'),
                date=run.valid_from.isoformat(),
                url=reverse("admin:ledger_recalculationrun_change", args=[run.pk]),
            ),
            messages.INFO,
        )


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(RecalculatingAdmin):
    form = GuidelineVersionForm
    list_display = [
        "name",
        "valid_from",
        "in_force",
        "model",
        "period_anchor",
        "expense_allowance_per_month",
    ]

    @admin.display(boolean=True, description=gettext_lazy("i kraft"))
    def in_force(self, obj: GuidelineVersion) -> bool:
        return services.is_in_force(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and services.is_in_force(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and services.is_in_force(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        """`?copy_from=<id>`: a new version starting from an existing one's values (the way
        to correct a version in force); its first day is left for the user to choose."""
        source_id = ascii_int(request.GET.get("copy_from"))
        source = (
            GuidelineVersion.objects.filter(pk=source_id).first() if source_id is not None else None
        )
        if source is None:
            return super().get_changeform_initial_data(request)
        return model_to_dict(source, exclude=["id", "valid_from"])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and services.is_in_force(obj):
            context["copy_url"] = (
                reverse("admin:guidelines_guidelineversion_add") + f"?copy_from={obj.pk}"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change) -> None:
        saved = services.guideline_version_save(user=request.user, version=obj)
        self.report_recalculation(request, saved.recalculation)

    def delete_model(self, request, obj) -> None:
        self.report_recalculation(
            request, services.guideline_version_delete(user=request.user, version=obj)
        )


@admin.register(LovRate)
class LovRateAdmin(RecalculatingAdmin):
    form = LovRateForm
    list_display = ["year", "regi", "day", "evening", "night", "weekend", "storhelg", "source"]
    list_filter = ["regi"]

    def save_model(self, request, obj, form, change) -> None:
        saved = services.lov_rate_save(user=request.user, rate=obj)
        self.report_recalculation(request, saved.recalculation)

    def delete_model(self, request, obj) -> None:
        self.report_recalculation(request, services.lov_rate_delete(user=request.user, rate=obj))


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["reference", "act", "valid_from", "valid_to"]


@admin.register(LifeArea)
class LifeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "active"]
