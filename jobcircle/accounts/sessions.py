"""Session rules (SEC-06) on top of Django's database sessions.

- idle timeout: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST (each request extends it; the
  database row expires server-side, so an idle cookie stops working);
- absolute lifetime: JOBCIRCLE_SESSION_MAX_AGE (12 h) after signing in, whatever the activity; an
  expired session is signed out and sent to the login page, or under /api/ answered with a JSON 401
  (a request carrying an ``Authorization`` header goes on: the header decides alone, api.auth);
- logging out flushes the session, deleting its row; deactivating a user deletes all their sessions.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

LOGIN_AT = "jc_login_at"
SESSION_EXPIRED = "登录已超过有效期，请重新登录"
API_PREFIX = "/api/"


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = int(timezone.now().timestamp())


class AbsoluteSessionLifetimeMiddleware:
    """Sign out a session older than JOBCIRCLE_SESSION_MAX_AGE seconds since its login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            max_age = getattr(settings, "JOBCIRCLE_SESSION_MAX_AGE", 12 * 3600)
            if started is None:
                request.session[LOGIN_AT] = int(timezone.now().timestamp())
            elif timezone.now().timestamp() - started > max_age:
                logout(request)
                if not request.path.startswith(API_PREFIX):
                    return redirect(settings.LOGIN_URL)
                if "Authorization" not in request.headers:
                    return JsonResponse({"detail": SESSION_EXPIRED}, status=401)
        return self.get_response(request)


def delete_sessions_of(user_id) -> int:
    """Delete every live session row that belongs to the user; returns how many."""
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def end_sessions_of_deactivated_users(sender, instance, **kwargs):
    if instance.pk and not instance.is_active:
        was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
        if was_active:
            delete_sessions_of(instance.pk)
