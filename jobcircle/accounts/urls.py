from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("verify/", views.verify, name="verify"),
    path("totp/", views.totp_setup, name="totp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:landing"),
            extra_context={"max_age_days": settings.JOBCIRCLE_STAFF_PASSWORD_MAX_AGE_DAYS},
        ),
        name="password_change",
    ),
    path("landing/", views.landing, name="landing"),
]
