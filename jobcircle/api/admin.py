"""Administrator endpoints: user management (系统管理员), audit log (审计管理员), unlock (安全管理员)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from jobcircle.accounts import security
from jobcircle.accounts.models import User
from jobcircle.accounts.permissions import MANAGE_SECURITY, MANAGE_USERS, READ_AUDIT_LOG
from jobcircle.common import audit

from .auth import access
from .schemas import AreaCode, Code, ErrorOut, InputSchema, ObjectId, PageQuery, Text

router = Router(tags=["管理 administration"])


class StaffUserIn(InputSchema):
    username: Text(150)
    role: Code
    area_code: AreaCode | None = None
    phone: Text(20)
    password: Text(128)


class UserOut(Schema):
    id: int
    username: str
    role: str
    area_code: str | None
    phone: str
    is_active: bool

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code if obj.area_id else None

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_masked


@router.post(
    "/users",
    response={201: UserOut, 422: ErrorOut},
    auth=access(MANAGE_USERS),
    summary="创建工作人员账号（系统管理员）",
)
def create_user(request, payload: StaffUserIn):
    user = security.create_staff_user(
        by=request.user, username=payload.username, role=payload.role, area_code=payload.area_code or "",
        phone=payload.phone, password=payload.password,
    )  # fmt: skip
    return 201, user


@router.post(
    "/users/{int:user_id}/deactivate",
    response={200: UserOut, 422: ErrorOut},
    auth=access(MANAGE_USERS),
    summary="停用账号并结束其全部会话（系统管理员；不能停用自己）",
)
def deactivate_user(request, user_id: int):
    return security.deactivate_user(get_object_or_404(User, pk=user_id), by=request.user)


class UnlockIn(InputSchema):
    username: Text(150)


@router.post("/security/unlock", auth=access(MANAGE_SECURITY), summary="解除登录锁定（安全管理员）")
def unlock(request, payload: UnlockIn):
    return {"attempts_cleared": security.unlock_login(payload.username, by=request.user)}


class AuditFilters(PageQuery):
    action: Text(100) | None = None
    actor_id: ObjectId | None = None
    actor: Text(150) | None = None  # a username (or a user id), as on the 审计日志 screen
    since: datetime.date | None = None
    until: datetime.date | None = None
    result: Code | None = None
    limit: int = Field(100, ge=1, le=500, description="每页条数（1–500）")


class AuditEventOut(Schema):
    id: int
    created_at: datetime.datetime
    actor_id: int | None
    actor_role: str
    source_ip: str | None
    request_id: str
    action: str
    object_type: str
    object_id: str
    area_code: str
    result: str
    changed_fields: list
    data: dict


class AuditPage(Schema):
    count: int
    items: list[AuditEventOut]


@router.get("/audit/events", response=AuditPage, auth=access(READ_AUDIT_LOG), summary="审计日志（审计管理员）")
def audit_events(request, filters: Query[AuditFilters]):
    events = audit.search(action=filters.action, actor=filters.actor_id or filters.actor or None, since=filters.since,
                          until=filters.until, result=filters.result)  # fmt: skip
    page = filters.page(events)
    audit.log_read(by=request.user, filters=filters.dict(), rows=len(page))
    return {"count": events.count(), "items": page}
