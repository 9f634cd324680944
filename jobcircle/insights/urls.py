from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figure_list, name="figure_list"),
    path("figures/<slug:code>/records/", views.figure_records, name="figure_records"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/report.docx", views.report_download, {"kind": "docx"}, name="report_docx"),
    path("reports/<int:pk>/appendix.xlsx", views.report_download, {"kind": "xlsx"}, name="report_xlsx"),
]
