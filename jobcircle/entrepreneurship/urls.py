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
    path("interest/", views.interest_subsidies, name="interest_subsidies"),
    path("registrations/", views.registrations_import, name="registrations_import"),
    path("bases/", views.base_list, name="base_list"),
    path("bases/<int:pk>/", views.base_detail, name="base_detail"),
    path("bases/<int:pk>/move-in/", views.base_move_in, name="base_move_in"),
    path("bases/<int:pk>/award/", views.base_award, name="base_award"),
    path("tenancies/<int:pk>/move-out/", views.tenancy_move_out, name="tenancy_move_out"),
]
