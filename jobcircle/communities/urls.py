from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("certifications/", views.certification_queue, name="certification_queue"),
    path("certifications/<int:pk>/review/", views.certification_review, name="certification_review"),
    path("<str:code>/", views.community_detail, name="community_detail"),
    path("<str:code>/submit/", views.certification_submit, name="certification_submit"),
]
