from django.contrib import admin

from folja.people.models import District


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality", "active"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "municipality", "active", "appeal_address"]
