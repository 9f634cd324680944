"""The JSON API under /api/v1, assembled from each capability's router."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError

from jobcircle.accounts.services import RateLimited
from jobcircle.common.errors import FieldPermissionDenied, error_items

from . import (
    admin,
    employers,
    entrepreneurship,
    gigs,
    jobs,
    matching,
    recruiting,
    registrations,
    residents,
    stats,
    subsidies,
)
from . import training as training_api
from .auth import UNDECLARED, NotAuthenticated
from .communities import router as communities_router
from .errors import document_error_responses, schema_error_items
from .households import router as households_router
from .insights_map import router as insights_map_router
from .risk import router as risk_router


class JobCircleAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return document_error_responses(super().get_openapi_schema(*args, **kwargs))


api = JobCircleAPI(
    title="三公里就业圈 JobCircle API",
    version="1",
    description="居民、用工单位、岗位、附近岗位与统计。认证：员工会话或 `Authorization: Bearer <token>`。",
    auth=UNDECLARED,  # every route names who may use it (auth.access); one that does not is closed
    urls_namespace="api",
)
api.add_router("/residents", residents.router)
api.add_router("/residents", registrations.router)  # /residents/{id}/registrations…
api.add_router("/employers", employers.router)
api.add_router("/jobs", jobs.router)
api.add_router("/stats", stats.router)
api.add_router("/admin", admin.router)
api.add_router("/recruiting", recruiting.router)
api.add_router("/subsidies", subsidies.router)
api.add_router("/gigs", gigs.router)  # 零工市场
api.add_router("/sharing", gigs.sharing_router)  # 共享员工
api.add_router("/households", households_router)
api.add_router("/insights", insights_map_router)
api.add_router("/training", training_api.training_router)
api.add_router("/internships", training_api.internship_router)
api.add_router("/entrepreneurship", entrepreneurship.router)
api.add_router("/insights", communities_router)
api.add_router("/insights", risk_router)
api.add_router("", matching.router)  # /residents/{id}/recommendations, /jobs/{id}/candidates, /matching/…


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"detail": error_items(exc)}, status=422)


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc):
    return api.create_response(request, {"detail": schema_error_items(exc.errors)}, status=422)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该记录"}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    if isinstance(exc, FieldPermissionDenied):  # names each field the role may not write
        return api.create_response(request, {"detail": exc.items()}, status=403)
    return api.create_response(request, {"detail": "无权执行此操作"}, status=403)


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=429)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return api.create_response(request, {"detail": "提交的内容过大"}, status=413)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    detail = exc.detail if isinstance(exc, NotAuthenticated) else NotAuthenticated().detail
    return api.create_response(request, {"detail": detail}, status=401)


def api_urls():
    """URL patterns with LoginRequiredMiddleware turned off: the API authenticates itself."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace
