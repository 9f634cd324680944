from django.urls import path

from . import views

app_name = "recruiting"

urlpatterns = [
    path("funnel/", views.application_funnel, name="funnel"),
    path("fairs/", views.fair_list, name="fair_list"),
    path("fairs/export.xlsx", views.fair_export, name="fair_export"),
    path("fairs/new/", views.fair_create, name="fair_create"),
    path("fairs/<int:pk>/", views.fair_detail, name="fair_detail"),
    path("fairs/<int:pk>/edit/", views.fair_edit, name="fair_edit"),
    path("fairs/<int:pk>/employers/", views.fair_add_employer, name="fair_add_employer"),
    path("fairs/<int:pk>/sign-ins/", views.fair_sign_ins, name="fair_sign_ins"),
    path("fairs/<int:pk>/intentions/", views.fair_intention, name="fair_intention"),
    path("fairs/<int:pk>/close/", views.fair_close, name="fair_close"),
    path("fairs/<int:pk>/poster/", views.fair_poster, name="fair_poster"),
    path("fairs/<int:pk>/qr.svg", views.fair_qr, name="fair_qr"),
]
