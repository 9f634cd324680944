"""The county's policy administrator edits the catalogue here: a new version, never an edit of a used one."""

from django.contrib import admin

from .models import EmployerInsuranceYear, Policy, PolicyVersion


class PolicyVersionInline(admin.StackedInline):
    model = PolicyVersion
    extra = 0
    fields = ["number", "valid_from", "valid_until", "legal_basis", "amount_kind", "amount", "amount_fact",
              "cap_months", "cap_amount", "yearly_budget", "review_levels", "required_evidence", "rule"]  # fmt: skip

    def has_change_permission(self, request, obj=None):
        return False  # versions are added, not edited (applications record the version they were decided under)


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "beneficiary_kind", "is_active"]
    fields = ["code", "name", "beneficiary_kind", "area_code", "sort_order", "is_active"]
    inlines = [PolicyVersionInline]


@admin.register(EmployerInsuranceYear)
class EmployerInsuranceYearAdmin(admin.ModelAdmin):
    list_display = ["employer", "year", "insured_at_start", "layoffs", "ui_contributions"]
    fields = ["employer", "year", "insured_at_start", "layoffs", "ui_contributions"]
    raw_id_fields = ["employer"]
