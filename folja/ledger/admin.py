"""The recalculation runs, read-only: where an administrator follows a recalculation after a
new guideline version or rate (the guideline and rate lists show the latest ones too)."""

from __future__ import annotations

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from folja.ledger.models import RecalculationRun


@admin.register(RecalculationRun)
class RecalculationRunAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "valid_from",
        "trigger",
        "trigger_label",
        "triggered_by_name",
        "status",
        "progress",
        "sessions_changed",
        "finished_at",
    ]
    list_filter = ["status", "trigger"]
    readonly_fields = ["progress"]
    exclude = ["triggered_by"]

    @admin.display(description=_("förlopp"))
    def progress(self, obj: RecalculationRun) -> str:
        return render_to_string("ledger/_progress.html", {"run": obj})

    # A run is the job's own record: written by the job, never by hand.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
