"""The administrators' back-office screens, one per duty in the permission matrix.

Used by ``landing`` (where an administrator arrives) and by the back-office menu (what they see);
area staff have their own menu, and no administrator sees it (they have no area scope).
"""

from typing import NamedTuple

from .permissions import MANAGE_SCHEDULE, MANAGE_SECURITY, MANAGE_USERS, READ_AUDIT_LOG, has_permission


class Screen(NamedTuple):
    permission: str
    url_name: str
    label: str
    nav: str  # the ``nav`` value the screen's views put in their context


ADMIN_SCREENS = (
    Screen(MANAGE_USERS, "account_admin:user_list", "账号管理", "users"),
    Screen(READ_AUDIT_LOG, "audit:event_list", "审计日志", "audit"),
    Screen(MANAGE_SECURITY, "account_admin:lockout_list", "登录锁定", "lockouts"),
    Screen(MANAGE_SCHEDULE, "scheduling:entry_list", "定时任务", "schedule"),
)


def admin_screens(user) -> list[Screen]:
    """The administrator screens the user's role grants (none for staff, residents, employers)."""
    return [screen for screen in ADMIN_SCREENS if has_permission(user, screen.permission)]
