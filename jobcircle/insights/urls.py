from django.urls import path

from . import map_views, plan_views, views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figure_list, name="figure_list"),
    path("figures/<slug:code>/records/", views.figure_records, name="figure_records"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/report.docx", views.report_download, {"kind": "docx"}, name="report_docx"),
    path("reports/<int:pk>/appendix.xlsx", views.report_download, {"kind": "xlsx"}, name="report_xlsx"),
    path("targets/", plan_views.target_list, name="target_list"),
    path("targets/set/", plan_views.target_set, name="target_set"),
    path("targets/<int:pk>/split/", plan_views.target_split, name="target_split"),
    path("key-tasks/", plan_views.key_task_list, name="key_task_list"),
    path("key-tasks/<int:pk>/", plan_views.key_task_detail, name="key_task_detail"),
    path("urban-employed-base/", plan_views.urban_employed_base, name="urban_employed_base"),
    path("labour-map/", map_views.labour_map_page, name="labour_map"),
    path("labour-map/people/", map_views.labour_map_people, name="labour_map_people"),
    path("occupations/", map_views.occupation_page, name="occupations"),
    path("occupations/<str:occupation>/<str:kind>/", map_views.occupation_records, name="occupation_records"),
]
