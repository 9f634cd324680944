from django.contrib import admin

from .models import Industry, Occupation


class ReadOnlyCatalogueAdmin(admin.ModelAdmin):
    """Reference data is maintained through the CSVs and ``load_classifications``, not edited by hand."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    ordering = ("code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Occupation)
class OccupationAdmin(ReadOnlyCatalogueAdmin):
    list_display = ("code", "name", "level", "is_digital", "is_green", "parent")
    list_filter = ("level", "is_digital", "is_green")


@admin.register(Industry)
class IndustryAdmin(ReadOnlyCatalogueAdmin):
    pass
