from captcha import views as captcha_views
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
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
    path("backoffice/subsidies/", include("jobcircle.subsidies.urls")),
    path("backoffice/gigs/", include("jobcircle.gigs.urls")),
    path("backoffice/households/", include("jobcircle.households.urls")),
    path("backoffice/communities/", include("jobcircle.communities.urls")),
    path("backoffice/warnings/", include("jobcircle.risk.urls")),
    path("backoffice/training/", include("jobcircle.training.urls")),
    path("backoffice/entrepreneurship/", include("jobcircle.entrepreneurship.urls")),
    path("backoffice/accounts/", include("jobcircle.accounts.backoffice_urls")),
    path("backoffice/stations/", include("jobcircle.areas.urls")),
    path("backoffice/audit/", include("jobcircle.accounts.audit_urls")),
    path("backoffice/schedule/", include("jobcircle.scheduling.urls")),
    path("api/v1/", api_urls()),
    path("api/docs", login_not_required(RedirectView.as_view(url="/api/v1/docs", permanent=False))),
    path("admin/", admin.site.urls),
    # The image captcha of the resident sign-in (django-simple-captcha), drawn here; under /m/ so never cached.
    re_path(r"^m/captcha/(?P<key>\w+)/$", login_not_required(captcha_views.captcha_image), {"scale": 1},
            name="captcha-image"),
    re_path(r"^m/captcha/(?P<key>\w+)@2/$", login_not_required(captcha_views.captcha_image), {"scale": 2},
            name="captcha-image-2x"),
]  # fmt: skip

handler400 = "jobcircle.common.views.bad_request"  # an oversized body is a 413 (SEC-29)
