from django.urls import path

from . import views as overview
from .cases import views as cases
from .imports import views as imports
from .monitoring import views as monitoring
from .welfare import views as welfare
from .workshops import views as workshops

app_name = "assistance"

urlpatterns = [
    path("", overview.index, name="index"),
    path("monitoring/", monitoring.task_list, name="task_list"),
    path("monitoring/generate/", monitoring.generate_tasks, name="generate_tasks"),
    path("monitoring/remind/", monitoring.remind_overdue, name="remind_overdue"),
    path("monitoring/policy/", monitoring.policy, name="policy"),
    path("monitoring/<int:pk>/", monitoring.record_task, name="record_task"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/service/", cases.case_service, name="case_service"),
    path("cases/<int:pk>/transition/", cases.case_transition, name="case_transition"),
    path("welfare-posts/", welfare.post_list, name="post_list"),
    path("welfare-posts/new/", welfare.post_create, name="post_create"),
    path("welfare-posts/disburse/", welfare.disburse, name="disburse"),
    path("welfare-posts/<int:pk>/", welfare.post_detail, name="post_detail"),
    path("welfare-posts/<int:pk>/place/", welfare.placement_add, name="placement_add"),
    path("welfare-placements/", welfare.placement_list, name="placement_list"),
    path("welfare-placements/<int:pk>/exit/", welfare.placement_exit, name="placement_exit"),
    path("workshops/", workshops.workshop_list, name="workshop_list"),
    path("workshops/new/", workshops.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="workshop_detail"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/errors/", imports.import_errors, name="import_errors"),
    path("templates/<slug:kind>/", imports.template_download, name="template_download"),
    path("ledgers/residents/", imports.resident_ledger, name="resident_ledger"),
]
