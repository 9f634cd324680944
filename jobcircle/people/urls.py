from django.urls import path

from . import registration_views, views

app_name = "people"

urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("lookup/", views.resident_lookup, name="resident_lookup"),
    path("new/", views.resident_create, name="resident_create"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("<int:pk>/registrations/", registration_views.resident_registrations, name="resident_registrations"),
]
