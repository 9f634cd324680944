from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<str:code>/", views.community_jobs, name="community_jobs"),
    path("healthz", views.healthz, name="healthz"),
]
