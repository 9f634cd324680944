"""Back-office screens of the 系统管理员 (accounts) and 安全管理员 (lockouts, second-factor reset), under
/backoffice/accounts/.

Kept apart from ``urls.py`` (sign-in, under /accounts/) so that every back-office screen lives
under /backoffice/, where the second-factor crawl (tests/accounts/test_sign_in.py) finds it.
"""

from django.urls import path

from . import views

app_name = "account_admin"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("second-factor/reset/", views.second_factor_reset, name="second_factor_reset"),
]
