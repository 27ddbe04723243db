"""Admin for casework: read-only. Every write goes through the services (with audit), so the
admin only lets an administrator look, never change a file or a letter."""

from __future__ import annotations

from django.contrib import admin

from folja.cases.models import Appeal, Application, Decision, DecisionLetter, Task


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "district", "received_on", "kind", "requested_act", "status")
    list_filter = ("status", "requested_act", "district")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("id", "district", "decided_on", "outcome", "hours_per_month", "model")
    list_filter = ("outcome", "model", "district")
    date_hierarchy = "decided_on"


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ReadOnlyAdmin):
    list_display = ("id", "decision_id", "issued_at", "appeal_deadline", "sha256")
    exclude = ("pdf", "html")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("id", "decision_id", "received_on", "deadline", "timely", "status")
    list_filter = ("status", "timely")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("id", "district", "kind", "due_on", "assigned_to", "closed_at")
    list_filter = ("kind", "district")
