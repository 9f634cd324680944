from django.contrib import admin

from .models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "status", "area_code", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["resident", "job", "created_by"]
