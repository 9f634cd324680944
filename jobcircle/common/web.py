"""Small helpers shared by the server-rendered screens (staff, H5, employer portal)."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import content_disposition_header

from .exports import build_workbook, watermark_for, workbook_bytes


def staff_required(view):
    """Back-office screens: area staff only; residents and employers get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.scope.is_staff:
            raise PermissionDenied("仅限工作人员访问")
        return view(request, *args, **kwargs)

    return wrapper


def permission_required(permission):
    """Back-office screens of one duty in the permission matrix (accounts.permissions), such as the
    administrators' screens, which have no area scope. The caller's permissions come with their scope
    (``request.scope``, resolved once per request by accounts.access).

    - anonymous visitors never reach the view (LoginRequiredMiddleware sends them to sign in);
    - a signed-in user whose role lacks ``permission`` gets 403 (the generic Chinese page);
    - roles only: the superuser flag grants nothing here (SEC-08).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.scope.can(permission):
                raise PermissionDenied("无权访问该页面")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def role_required(role):
    """Portal screens of one role (resident, employer) that owns a record.

    - anonymous visitors go to that role's sign-in (phone code for residents, account login for employers);
    - any other signed-in role gets 403.
    """
    sign_in = "portal:m_login" if role == "resident" else "accounts:login"

    def decorator(view):
        @login_not_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), resolve_url(sign_in))
            owner_id = request.scope.resident_id if role == "resident" else request.scope.employer_id
            if request.scope.role != role or not owner_id:
                raise PermissionDenied("无权访问该页面")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def resident_or_visitor(view):
    """Pages anyone may browse without registering (附近岗位, 岗位详情, 招聘会): anonymous visitors and
    residents; any other signed-in role gets 403, as on the resident's own pages."""

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not (request.scope.role == "resident" and request.scope.resident_id):
            raise PermissionDenied("无权访问该页面")
        return view(request, *args, **kwargs)

    return wrapper


def add_service_errors(form, exc: ValidationError, field_map=None):
    """Show a service's ValidationError beside the form's fields.

    Keys are the service's field names (``intention.min_monthly_pay`` → ``min_monthly_pay``);
    ``field_map`` renames the rest; a key that is not a form field becomes a form-level error.
    """
    field_map = field_map or {}
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
    for key, messages in items:
        name = field_map.get(key, key.rsplit(".", 1)[-1])
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def paginate(request, queryset, per_page=20):
    """One page of a list; a bad or too-large page number shows the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def xlsx_response(filename, title, columns, rows, *, user):
    """Download of one sheet through the shared writer, watermarked with who and when (SEC-22)."""
    workbook = build_workbook([(title, columns, rows)], watermark=watermark_for(user))
    response = HttpResponse(
        workbook_bytes(workbook), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def query_without_page(request):
    """The current filters as a query string without ``page`` (for pagination and export links)."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()
