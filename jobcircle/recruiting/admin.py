from django.contrib import admin

from .models import Application, ApplicationTransition


class ApplicationTransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "reason"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "status", "area_code", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["resident", "job", "created_by"]
    inlines = [ApplicationTransitionInline]
