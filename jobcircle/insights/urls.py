from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figure_list, name="figure_list"),
    path("figures/<slug:code>/records/", views.figure_records, name="figure_records"),
]
