from django.urls import path

from . import views

app_name = "entrepreneurship"

urlpatterns = [
    path("", views.loan_list, name="loan_list"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/action/", views.loan_action, name="loan_action"),
    path("loans/<int:pk>/disburse/", views.loan_disburse, name="loan_disburse"),
    path("overdue/", views.overdue, name="overdue"),
    path("statements/", views.statement_import, name="statement_import"),
    path("startups/", views.startup_list, name="startup_list"),
    path("bases/", views.base_list, name="base_list"),
]
