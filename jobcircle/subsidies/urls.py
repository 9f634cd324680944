from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("", views.policy_list, name="policy_list"),
    path("policies/<slug:code>/screening/", views.screening, name="screening"),
    path("policies/<slug:code>/screening/start/", views.screening_start, name="screening_start"),
    path("screenings/<int:pk>/confirm/", views.screening_confirm, name="screening_confirm"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/<slug:code>/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("batches/<int:pk>/results/", views.batch_results, name="batch_results"),
    path("lines/<int:pk>/result/", views.line_result, name="line_result"),
]
