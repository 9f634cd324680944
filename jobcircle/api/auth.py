import datetime

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from jobcircle.accounts.models import ApiToken, hash_token
from jobcircle.areas.scoping import scope_for_user

# ``last_used_at`` is kept to the minute: writing it on every call made every API read a write
# (a row lock held to the end of the request's transaction and a WAL flush at commit).
LAST_USED_PRECISION = datetime.timedelta(seconds=60)


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``manage.py issue_token``; only the hash is stored."""

    def authenticate(self, request, token):
        try:  # key_hash is unique: get(), not first(), which would sort by id for nothing
            row = ApiToken.objects.select_related("user", "user__area").get(key_hash=hash_token(token))
        except ApiToken.DoesNotExist:
            return None
        if not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.scope = scope_for_user(row.user)
        return row.user


api_auth = [BearerToken(), django_auth]
