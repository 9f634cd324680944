"""Audit sign-in events (SEC-12)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jobcircle.common.audit import log_action


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    log_action("accounts.login.succeeded", by=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The username is not personal data of a resident; the password never reaches here.
    log_action("accounts.login.failed", data={"username": str(credentials.get("username", ""))[:150]}, result="failure")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        log_action("accounts.logout", by=user)


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    log_action("accounts.login.locked_out", data={"username": str(username or "")[:150]}, result="failure")
