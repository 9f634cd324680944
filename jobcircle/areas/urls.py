from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("new/", views.station_create, name="station_create"),
    path("<int:pk>/edit/", views.station_edit, name="station_edit"),
]
