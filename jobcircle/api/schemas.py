"""Request and response shapes. Outputs carry only masked PII (common.pii).

Inputs (SEC-29) are ``InputSchema`` subclasses: every string in them follows the one text rule of
``common.validators`` (no control characters; tab and line breaks only in ``Text(..., multiline=True)``),
lengths come from the model fields (``ModelText``), numbers and lists carry their ranges, and every
list's paging goes through ``PageQuery``. The constraints appear in the OpenAPI schema.
"""

from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, field_validator
from pydantic_core import PydanticCustomError

from jobcircle.common.validators import model_max_length, text_problem
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Resident

BIGINT_MAX = 2**63 - 1  # BigAutoField; a larger id is a 422, never a database overflow
INT_MAX = 2**31 - 1  # PositiveIntegerField
MAX_OFFSET = 1_000_000  # deeper than any county's list; also keeps OFFSET inside bigint
MAX_LIST_ITEMS = 50


def _text_rule(multiline: bool):
    def check(value: str) -> str:
        problem = text_problem(value, multiline=multiline)
        if problem:
            raise PydanticCustomError("text_invalid", problem)
        return value

    return AfterValidator(check)


def Text(max_length: int, *, multiline: bool = False, **constraints: Any):  # noqa: N802 - a type
    """A string field under the one text rule, at most ``max_length`` characters."""
    return Annotated[str, Field(max_length=max_length, **constraints), _text_rule(multiline)]


def ModelText(model, field: str, *, multiline: bool = False):  # noqa: N802 - a type
    """A string field as long as the model field allows; not empty unless the model field may be blank."""
    min_length = None if model._meta.get_field(field).blank else 1
    return Text(model_max_length(model, field), multiline=multiline, min_length=min_length)


ObjectId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
AreaCode = Annotated[str, Field(pattern=r"^[0-9]{2,12}$", description="区划代码（2–12位数字，可省略末尾的0）")]
CommunityCode = Annotated[str, Field(pattern=r"^[0-9]{12}$", description="12位社区/村代码")]
Code = Text(32)  # choice values and catalogue codes (职业、行业、重点群体); the service checks the value


class InputSchema(Schema):
    """Base of every request body and query: any string (even one not declared as ``Text``, or in a list)
    refuses NUL and the other control characters; ``Text`` fields add single-line and length rules."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value):
        for item in value if isinstance(value, (list, tuple)) else [value]:
            problem = isinstance(item, str) and text_problem(item, multiline=True)
            if problem:
                raise PydanticCustomError("text_invalid", problem)
        return value


class LimitQuery(InputSchema):
    limit: int = Field(20, ge=1, le=100, description="每页条数（1–100）")


class PageQuery(LimitQuery):
    """Paging of every API list: out of range is a 422 naming 每页条数 or 起始位置."""

    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"起始位置（0–{MAX_OFFSET}）")

    def page(self, queryset) -> list:
        return list(queryset[self.offset : self.offset + self.limit])


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: list[ErrorItem] | str


class PointIn(InputSchema):
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    coord: Text(8) | None = None  # wgs84 | gcj02 | bd09 (also accepted as ``crs``)
    crs: Text(8) | None = None


# --- residents ---------------------------------------------------------------


class IntentionIn(InputSchema):
    occupation_codes: list[Code] = Field([], max_length=MAX_LIST_ITEMS)
    min_monthly_pay: int | None = Field(0, ge=0, le=INT_MAX)
    max_distance_km: float | None = Field(3, ge=0, le=999)
    work_type: Code | None = None
    available_from: date | None = None


class IntentionOut(Schema):
    occupation_codes: list[str]
    min_monthly_pay: int
    max_distance_km: float
    work_type: str
    available_from: date | None

    @staticmethod
    def resolve_occupation_codes(obj):
        return [o.code for o in obj.occupations.all()]


class ResidentPatch(PointIn):
    name: ModelText(Resident, "name") | None = None
    id_type: Code | None = None
    id_number: Text(40) | None = None
    phone: Text(20) | None = None
    birth_date: date | None = None
    gender: Code | None = None
    community_code: CommunityCode | None = None
    education: int | None = Field(None, ge=0, le=99)
    occupation_codes: list[Code] | None = Field(None, max_length=MAX_LIST_ITEMS)
    skills: list[Text(30)] | None = Field(None, max_length=30)
    key_groups: list[Code] | None = Field(None, max_length=MAX_LIST_ITEMS)
    key_group_evidence: Text(200) | None = None  # 认定依据: required when key_groups changes them
    employment_status: Code | None = None
    is_job_seeking: bool | None = None
    intention: IntentionIn | None = None


class ResidentIn(ResidentPatch):
    name: ModelText(Resident, "name")
    id_number: Text(40)
    community_code: CommunityCode


class StatusChangeOut(Schema):
    status: str
    changed_on: date
    note: str


class ResidentOut(Schema):
    id: int
    name: str
    id_type: str
    id_number: str
    phone: str
    birth_date: date
    gender: str
    community_code: str
    community_name: str
    lat: float
    lng: float
    education: int
    occupation_codes: list[str]
    skills: list[str]
    key_groups: list[str]
    employment_status: str
    is_job_seeking: bool
    warnings: list[str] = []

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_masked

    @staticmethod
    def resolve_community_code(obj):
        return obj.area_code

    @staticmethod
    def resolve_community_name(obj):
        return obj.community.name

    @staticmethod
    def resolve_occupation_codes(obj):
        return [o.code for o in obj.occupations.all()]

    @staticmethod
    def resolve_key_groups(obj):
        return [g.code for g in obj.key_groups.all()]

    @staticmethod
    def resolve_warnings(obj):
        return getattr(obj, "registration_warnings", [])


class ResidentDetailOut(ResidentOut):
    intention: IntentionOut | None = None
    status_history: list[StatusChangeOut]

    @staticmethod
    def resolve_intention(obj):
        return getattr(obj, "intention", None)

    @staticmethod
    def resolve_status_history(obj):
        return list(obj.status_history.all())


class ResidentPage(Schema):
    count: int
    items: list[ResidentOut]


# --- employers ---------------------------------------------------------------


class EmployerPatch(PointIn):
    name: ModelText(Employer, "name") | None = None
    credit_code: Text(30) | None = None
    employer_type: Code | None = None
    industry_code: Code | None = None
    size: Code | None = None
    address: ModelText(Employer, "address") | None = None
    community_code: CommunityCode | None = None
    contact_name: ModelText(Employer, "contact_name") | None = None
    contact_phone: Text(20) | None = None
    is_key_enterprise: bool | None = None


class EmployerIn(EmployerPatch):
    name: ModelText(Employer, "name")
    credit_code: Text(30)
    address: ModelText(Employer, "address")
    community_code: CommunityCode
    contact_name: ModelText(Employer, "contact_name")
    contact_phone: Text(20)


class EmployerOut(Schema):
    id: int
    name: str
    credit_code: str
    employer_type: str
    industry_code: str | None
    size: str
    address: str
    community_code: str
    lat: float
    lng: float
    contact_name: str
    contact_phone: str
    is_key_enterprise: bool
    status: str  # active（正常）、suspended（停用）、deregistered（注销）
    warnings: list[str] = []  # credit-code findings for staff to check (e.g. an unknown division code)

    @staticmethod
    def resolve_warnings(obj):
        return getattr(obj, "registration_warnings", [])

    @staticmethod
    def resolve_industry_code(obj):
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_community_code(obj):
        return obj.area_code

    @staticmethod
    def resolve_contact_phone(obj):
        return obj.contact_phone_masked


class EmployerPage(Schema):
    count: int
    items: list[EmployerOut]


# --- jobs ---------------------------------------------------------------------


class JobPatch(PointIn):
    title: ModelText(Job, "title") | None = None
    occupation_code: Code | None = None
    headcount: int | None = Field(None, ge=1, le=INT_MAX)
    pay_min: int | None = Field(None, ge=0, le=INT_MAX)
    pay_max: int | None = Field(None, ge=0, le=INT_MAX)
    work_type: Code | None = None
    education_min: int | None = Field(None, ge=0, le=99)
    age_min: int | None = Field(None, ge=16, le=120)
    age_max: int | None = Field(None, ge=16, le=120)
    skills: list[Text(30)] | None = Field(None, max_length=30)
    description: ModelText(Job, "description", multiline=True) | None = None
    requirements: ModelText(Job, "requirements", multiline=True) | None = None
    benefits: ModelText(Job, "benefits", multiline=True) | None = None
    work_address: ModelText(Job, "work_address") | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class JobIn(JobPatch):
    employer_id: ObjectId | None = None  # staff choose the employer; employers post for themselves
    publish: bool = True


class ReviewHitOut(Schema):
    rule: str
    severity: str
    field: str
    phrase: str
    message: str


class JobOut(Schema):
    id: int
    employer_id: int
    employer_name: str
    title: str
    occupation_code: str
    occupation_name: str
    headcount: int
    pay_min: int
    pay_max: int
    work_type: str
    education_min: int
    age_min: int | None
    age_max: int | None
    skills: list[str]
    description: str
    requirements: str
    benefits: str
    work_address: str
    lat: float
    lng: float
    valid_from: date
    valid_until: date
    status: str
    is_open: bool
    review_result: str
    review_hits: list[ReviewHitOut]

    @staticmethod
    def resolve_employer_name(obj):
        return obj.employer.name

    @staticmethod
    def resolve_occupation_code(obj):
        return obj.occupation.code

    @staticmethod
    def resolve_occupation_name(obj):
        return obj.occupation.name


class JobPage(Schema):
    count: int
    items: list[JobOut]


class NearbyJobOut(Schema):
    id: int
    title: str
    employer_name: str
    occupation_name: str
    headcount: int
    pay_min: int
    pay_max: int
    work_type: str
    work_address: str
    lat: float
    lng: float
    distance_m: float

    @staticmethod
    def resolve_employer_name(obj):
        return obj.employer.name

    @staticmethod
    def resolve_occupation_name(obj):
        return obj.occupation.name

    @staticmethod
    def resolve_distance_m(obj):
        return round(obj.distance_m, 1)


class NearbyPage(Schema):
    count: int
    radius_km: float
    items: list[NearbyJobOut]


class StatusIn(InputSchema):
    status: Code
    reason: Text(200) = Field("", description="原因：退回修改（待审核 → 草稿）时必填，至少4个字")


class OverviewOut(Schema):
    area_code: str
    employers: int
    positions: int
    residents: int
    job_seekers: int
    employed: int
    page_visits: int
