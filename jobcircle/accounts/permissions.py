"""The permission matrix: which role may do what. The one place permissions are decided.

Separation of duties (SEC-08): no role both manages users and reads the audit log;
the three administrator roles (系统管理员, 审计管理员, 安全管理员) are separate, and
the superuser flag is not used by any production role.
"""

from .enums import Role

MANAGE_USERS = "manage_users"  # create staff accounts, assign roles and areas
READ_AUDIT_LOG = "read_audit_log"  # read and export the audit log
MANAGE_SECURITY = "manage_security"  # unlock accounts, reset second factors, security settings
REVEAL_PII = "reveal_pii"  # see a plaintext ID number or phone, with a typed reason (audited)
CASEWORK = "casework"  # register and update residents, employers, jobs in one's area
VIEW_DASHBOARD = "view_dashboard"
# Self-service: a resident uses their own record (profile, nearby jobs, recommendations, inbox,
# applications, fair sign-in); an employer its own unit (record, jobs, the applications to them).
RESIDENT_SELF_SERVICE = "resident_self_service"
EMPLOYER_SELF_SERVICE = "employer_self_service"

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset({RESIDENT_SELF_SERVICE}),
    Role.EMPLOYER: frozenset({EMPLOYER_SELF_SERVICE}),
    Role.COMMUNITY_STAFF: frozenset({CASEWORK, VIEW_DASHBOARD, REVEAL_PII}),
    Role.TOWNSHIP_STAFF: frozenset({CASEWORK, VIEW_DASHBOARD, REVEAL_PII}),
    Role.COUNTY_ADMIN: frozenset({CASEWORK, VIEW_DASHBOARD, REVEAL_PII}),
    Role.SYSTEM_ADMIN: frozenset({MANAGE_USERS}),
    Role.AUDIT_ADMIN: frozenset({READ_AUDIT_LOG}),
    Role.SECURITY_ADMIN: frozenset({MANAGE_SECURITY}),
}

# Pairs no single role may hold together.
INCOMPATIBLE = [(MANAGE_USERS, READ_AUDIT_LOG), (MANAGE_USERS, MANAGE_SECURITY), (READ_AUDIT_LOG, MANAGE_SECURITY)]


def has_permission(user, permission: str) -> bool:
    """Whether an active user's role grants ``permission`` (roles only; never the superuser flag)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return permission in PERMISSIONS.get(user.role, frozenset())
