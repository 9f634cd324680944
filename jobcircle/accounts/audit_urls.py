"""The 审计管理员's screen: the audit log, under /backoffice/audit/."""

from django.urls import path

from . import audit_views as views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("verify/", views.verify, name="verify"),
]
