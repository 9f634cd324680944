import uuid

from django.utils.cache import add_never_cache_headers

# Pages and API responses under these paths can carry personal data (SEC-20).
PERSONAL_DATA_PREFIXES = ("/api/", "/backoffice/", "/admin/", "/accounts/", "/m/", "/employer/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on everything that may show personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PERSONAL_DATA_PREFIXES):
            add_never_cache_headers(response)
        return response


def client_ip(request, *args):
    """REMOTE_ADDR, or the address a trusted proxy (JOBCIRCLE_TRUSTED_PROXIES) appended to X-Forwarded-For."""
    from django.conf import settings

    ip = request.META.get("REMOTE_ADDR")
    if ip in settings.JOBCIRCLE_TRUSTED_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        ip = forwarded[-1] if forwarded else ip
    return ip


class RequestContextMiddleware:
    """Give every request an id and its source IP for the audit log.

    The client address is REMOTE_ADDR, or — only when the request comes from a proxy
    listed in JOBCIRCLE_TRUSTED_PROXIES — the address that proxy appended to
    X-Forwarded-For. A client can never choose its own audited IP.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .audit import request_context

        ip = client_ip(request)
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = request_context.set({"ip": ip, "request_id": request_id})
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


STAFF_ONLY_PREFIXES = ("/api/docs", "/api/v1/docs", "/api/v1/openapi.json", "/admin/")


class PublicHostMiddleware:
    """On the public H5/employer host names, the API docs, schema and Django admin do not exist (SEC-30)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import Http404

        if request.get_host().split(":")[0] in settings.JOBCIRCLE_PUBLIC_HOSTS and request.path.startswith(
            STAFF_ONLY_PREFIXES
        ):
            raise Http404
        return self.get_response(request)
