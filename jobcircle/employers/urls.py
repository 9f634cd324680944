from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/status/", views.employer_status, name="employer_status"),
    path("employers/<int:employer_pk>/jobs/new/", views.job_create, name="job_create"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/edit/", views.job_edit, name="job_edit"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/review/", views.review_queue, name="review_queue"),
    path("jobs/<int:pk>/review/", views.job_review, name="job_review"),
]
