from django.contrib import admin

from .models import IncubationBase, LoanPolicy


@admin.register(LoanPolicy)
class LoanPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "borrower_kind", "cap_amount", "max_term_months", "subsidy_share", "is_active"]
    fields = ["code", "name", "borrower_kind", "cap_amount", "max_term_months", "max_rate", "subsidy_share", "rule",
              "interest_policy", "is_active"]  # fmt: skip


@admin.register(IncubationBase)
class IncubationBaseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "certified_on", "area_code", "capacity"]
    fields = ["name", "kind", "level", "certified_on", "operator", "address", "lat", "lng", "area_code", "floor_area",
              "capacity"]  # fmt: skip
