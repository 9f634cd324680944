import uuid

from django.utils.cache import add_never_cache_headers

from .audit import request_context

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


API_PREFIX = "/api/"
API_ERROR_MESSAGES = {
    400: "请求无法解析",
    401: "请先登录或提供有效的访问令牌",
    403: "无权执行此操作",
    404: "未找到该接口或记录",
    405: "该接口不支持此请求方法",
    413: "提交的内容过大",
    429: "请求过于频繁，请稍后再试",
}


class ApiJsonErrorsMiddleware:
    """Every error under /api is JSON ``{"detail": "..."}`` (SEC-29, issue 22 item 13).

    The API's own handlers already answer JSON; this catches what happens outside them: an unknown
    path or a non-numeric id (Django's 404 page), a method the route does not take (405), an oversized
    body (413, see common.views.bad_request), a CSRF failure, a 500 page. Headers such as Allow stay.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import json

        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.streaming
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            detail = API_ERROR_MESSAGES.get(response.status_code, "服务器内部错误，请稍后重试")
            response.content = json.dumps({"detail": detail}, ensure_ascii=False).encode()
            response["Content-Type"] = "application/json"
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
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
