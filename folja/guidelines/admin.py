"""Django admin is for reference data and users only (DESIGN.md); personal data is never
edited here."""

from django.contrib import admin

from folja.guidelines.models import GuidelineVersion, LegalBasis, LifeArea, LovRate


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "model", "period_anchor", "expense_allowance_per_month"]


@admin.register(LovRate)
class LovRateAdmin(admin.ModelAdmin):
    list_display = ["year", "regi", "day", "evening", "night", "weekend", "storhelg", "source"]
    list_filter = ["regi"]


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["reference", "act", "valid_from", "valid_to"]


@admin.register(LifeArea)
class LifeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "active"]
