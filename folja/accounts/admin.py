from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from folja.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "district",
        "provider",
        "is_active",
    ]
    list_filter = ["role", "is_active", "district"]
    # The person link is set by the casework flow, not by hand: admin handles staff accounts.
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Följa", {"fields": ("role", "district", "provider", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Följa", {"fields": ("role", "district", "provider")}),
    )
