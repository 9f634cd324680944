from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("list/", views.warning_list, name="warning_list"),
    path("<int:pk>/", views.warning_detail, name="warning_detail"),
    path("<int:pk>/acknowledge/", views.warning_acknowledge, name="warning_acknowledge"),
    path("<int:pk>/work/", views.warning_work, name="warning_work"),
    path("<int:pk>/resolve/", views.warning_resolve, name="warning_resolve"),
]
