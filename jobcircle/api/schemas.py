"""Request and response shapes. Outputs carry only masked PII (common.pii)."""

from datetime import date

from ninja import Schema


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: list[ErrorItem] | str


class PointIn(Schema):
    lat: float | None = None
    lng: float | None = None
    coord: str | None = None  # wgs84 | gcj02 | bd09 (also accepted as ``crs``)
    crs: str | None = None


# --- residents ---------------------------------------------------------------


class IntentionIn(Schema):
    occupation_codes: list[str] = []
    min_monthly_pay: int | None = 0
    max_distance_km: float | None = 3
    work_type: str | None = None
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
    name: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    community_code: str | None = None
    education: int | None = None
    occupation_codes: list[str] | None = None
    skills: list[str] | None = None
    key_groups: list[str] | None = None
    key_group_evidence: str | None = None  # 认定依据: required when key_groups changes them
    employment_status: str | None = None
    is_job_seeking: bool | None = None
    intention: IntentionIn | None = None


class ResidentIn(ResidentPatch):
    name: str
    id_number: str
    community_code: str


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
    name: str | None = None
    credit_code: str | None = None
    employer_type: str | None = None
    industry_code: str | None = None
    size: str | None = None
    address: str | None = None
    community_code: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    is_key_enterprise: bool | None = None


class EmployerIn(EmployerPatch):
    name: str
    credit_code: str
    address: str
    community_code: str
    contact_name: str
    contact_phone: str


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
    title: str | None = None
    occupation_code: str | None = None
    headcount: int | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    work_type: str | None = None
    education_min: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    skills: list[str] | None = None
    description: str | None = None
    requirements: str | None = None
    benefits: str | None = None
    work_address: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class JobIn(JobPatch):
    employer_id: int | None = None  # staff choose the employer; employers post for themselves
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


class StatusIn(Schema):
    status: str


class OverviewOut(Schema):
    area_code: str
    employers: int
    positions: int
    residents: int
    job_seekers: int
    employed: int
    page_visits: int
