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
    path("liaison/", views.liaison_list, name="liaison_list"),
    path("liaison/new/", views.liaison_assign, name="liaison_assign"),
    path("liaison/<int:pk>/", views.liaison_detail, name="liaison_detail"),
    path("liaison/<int:pk>/visits/", views.liaison_visit, name="liaison_visit"),
    path("liaison/<int:pk>/recommendations/", views.liaison_recommend, name="liaison_recommend"),
    path("liaison/<int:pk>/end/", views.liaison_end, name="liaison_end"),
]
