from django.urls import path

from . import views

app_name = "recruiting"

urlpatterns = [
    path("funnel/", views.application_funnel, name="funnel"),
    path("fairs/", views.fair_list, name="fair_list"),
    path("fairs/export.xlsx", views.fair_export, name="fair_export"),
    path("fairs/<int:pk>/", views.fair_detail, name="fair_detail"),
    path("fairs/<int:pk>/qr.svg", views.fair_qr, name="fair_qr"),
]
