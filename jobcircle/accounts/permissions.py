"""The permission matrix: which role may do what. The one place permissions are decided.

Separation of duties (SEC-08): no role both manages users and reads the audit log;
the three administrator roles (系统管理员, 审计管理员, 安全管理员) are separate, and
the superuser flag is not used by any production role.
"""

from jobcircle.common.errors import FieldPermissionDenied

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
# Subsidies (issue 13): area staff review applications at their level; the county runs the catalogue,
# 免申即享 screening and payout batches.
REVIEW_SUBSIDIES = "review_subsidies"
MANAGE_SUBSIDIES = "manage_subsidies"
# The schedule of recurring jobs (issue 18): times, on/off, run now — deployment work, the system administrator's.
MANAGE_SCHEDULE = "manage_schedule"
# 创业担保贷款 (issue 15): community/township staff do the first review (CASEWORK); the county reviews,
# records the guarantor's and the bank's answers, imports statements and runs 贴息 and base awards.
MANAGE_LOANS = "manage_loans"

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset({RESIDENT_SELF_SERVICE}),
    Role.EMPLOYER: frozenset({EMPLOYER_SELF_SERVICE}),
    Role.COMMUNITY_STAFF: frozenset({CASEWORK, VIEW_DASHBOARD, REVEAL_PII, REVIEW_SUBSIDIES}),
    Role.TOWNSHIP_STAFF: frozenset({CASEWORK, VIEW_DASHBOARD, REVEAL_PII, REVIEW_SUBSIDIES}),
    Role.COUNTY_ADMIN: frozenset(
        {CASEWORK, VIEW_DASHBOARD, REVEAL_PII, REVIEW_SUBSIDIES, MANAGE_SUBSIDIES, MANAGE_LOANS}
    ),
    Role.SYSTEM_ADMIN: frozenset({MANAGE_USERS, MANAGE_SCHEDULE}),
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


# --- Field-level write rules (SEC-10; issue 22 item 2) -------------------------------------------
# Which input fields of a record each role may write. The services (people.services,
# employers.services) check every write against this table, so the API, the staff forms and the
# portal obey the same rule. Keys are the services' input names; a role not listed writes nothing.
#
# - staff (community, township, county) write every field of a record in their area;
# - a resident writes only what the H5 profile (我的资料) edits: education, employment status,
#   skills and the job intention; identity (name, document, birth date, sex), phone, community,
#   home location and key groups (重点群体) with their evidence (认定依据) are for staff;
# - an employer writes its contact, address, size, industry and workplace location; its name,
#   credit code, type, community and the 重点企业 (白名单) flag are verified by staff;
# - jobs have no staff-only fields: an employer edits its own postings as staff do.
RESIDENT_INPUT = frozenset({
    "name", "id_type", "id_number", "phone", "community_code", "lat", "lng", "coord", "birth_date", "gender",
    "education", "occupation_codes", "skills", "key_groups", "key_group_evidence", "employment_status",
    "is_job_seeking", "intention",
})  # fmt: skip
EMPLOYER_INPUT = frozenset({
    "name", "credit_code", "employer_type", "industry_code", "size", "address", "community_code", "contact_name",
    "contact_phone", "is_key_enterprise", "lat", "lng", "coord",
})  # fmt: skip
JOB_INPUT = frozenset({
    "title", "occupation_code", "headcount", "pay_min", "pay_max", "work_type", "education_min", "age_min",
    "age_max", "skills", "description", "requirements", "benefits", "work_address", "valid_from", "valid_until",
    "lat", "lng", "coord",
})  # fmt: skip

RESIDENT, EMPLOYER, JOB = "resident", "employer", "job"
INPUT_FIELDS = {RESIDENT: RESIDENT_INPUT, EMPLOYER: EMPLOYER_INPUT, JOB: JOB_INPUT}


def _staff_write(fields):
    return {Role.COMMUNITY_STAFF: fields, Role.TOWNSHIP_STAFF: fields, Role.COUNTY_ADMIN: fields}


WRITABLE_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    RESIDENT: {
        **_staff_write(RESIDENT_INPUT),
        Role.RESIDENT: frozenset({"education", "employment_status", "skills", "intention"}),
    },
    EMPLOYER: {
        **_staff_write(EMPLOYER_INPUT),
        Role.EMPLOYER: frozenset(
            {"address", "contact_name", "contact_phone", "size", "industry_code", "lat", "lng", "coord"}
        ),
    },
    JOB: {**_staff_write(JOB_INPUT), Role.EMPLOYER: JOB_INPUT},
}

_INPUT_LABELS = {
    "name": "姓名/名称", "id_type": "证件类型", "id_number": "证件号码", "phone": "手机号",
    "community_code": "所属社区/村", "lat": "纬度", "lng": "经度", "coord": "坐标系", "birth_date": "出生日期",
    "gender": "性别", "education": "文化程度", "occupation_codes": "职业", "skills": "技能", "key_groups": "重点群体",
    "key_group_evidence": "重点群体认定依据",
    "employment_status": "就业状态", "is_job_seeking": "正在求职", "intention": "求职意向",
    "credit_code": "统一社会信用代码", "employer_type": "单位类型", "industry_code": "行业代码", "size": "企业规模",
    "address": "单位地址", "contact_name": "联系人", "contact_phone": "联系电话",
    "is_key_enterprise": "重点企业（白名单）",
}  # fmt: skip


def forbidden_fields(user, record: str, data: dict) -> list[str]:
    """The input fields of ``data`` that ``user``'s role may not write on a ``record`` (sorted).

    - a field counts as written when it is present with a value other than None (the services skip None);
    - names that are not input fields of the record are ignored here (the services ignore them too);
    - an anonymous, inactive or missing user may write nothing.
    """
    active = user is not None and user.is_authenticated and user.is_active
    allowed = WRITABLE_FIELDS[record].get(user.role, frozenset()) if active else frozenset()
    return sorted(k for k, v in data.items() if v is not None and k in INPUT_FIELDS[record] and k not in allowed)


def check_writable_fields(user, record: str, data: dict) -> None:
    """Refuse the whole write (403, nothing written) if it names a field the role may not write."""
    fields = forbidden_fields(user, record, data)
    if fields:
        raise FieldPermissionDenied(
            {f: f"{_INPUT_LABELS.get(f, f)}：您无权修改此项，如需更正请联系就业服务工作人员" for f in fields}
        )
