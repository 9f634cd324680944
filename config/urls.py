from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from jobcircle.api.api import api_urls

urlpatterns = [
    path("", include("jobcircle.portal.urls")),
    path("accounts/", include("jobcircle.accounts.urls")),
    path("backoffice/", include("jobcircle.insights.urls")),
    path("backoffice/residents/", include("jobcircle.people.urls")),
    path("backoffice/assistance/", include("jobcircle.assistance.urls")),
    path("backoffice/", include("jobcircle.employers.urls")),
    path("backoffice/recruiting/", include("jobcircle.recruiting.urls")),
    path("backoffice/accounts/", include("jobcircle.accounts.backoffice_urls")),
    path("backoffice/audit/", include("jobcircle.common.urls")),
    path("api/v1/", api_urls()),
    path("api/docs", login_not_required(RedirectView.as_view(url="/api/v1/docs", permanent=False))),
    path("admin/", admin.site.urls),
]

handler400 = "jobcircle.common.views.bad_request"  # an oversized body is a 413 (SEC-29)
