from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/enrol/", views.programme_enrol, name="programme_enrol"),
    path("programmes/<int:pk>/sessions/<int:number>/attendance/", views.session_attendance, name="attendance"),
    path("programmes/<int:pk>/roster/", views.programme_roster, name="programme_roster"),
    path("programmes/<int:pk>/move/", views.programme_move, name="programme_move"),
    path("internships/", views.internship_list, name="internship_list"),
    path("internships/bases/new/", views.base_create, name="base_create"),
    path("internships/positions/new/", views.position_create, name="position_create"),
]
