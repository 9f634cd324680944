"""家庭户 and 零就业家庭 (issue 19): staff read and register households and their members.

Writes go through households.services (validated, naming the field; audited); households are read
through the caller's scope, so another area's household is 404.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common.pii import mask_name
from jobcircle.households import services, stats
from jobcircle.households.models import Household
from jobcircle.insights.figures import parse_period
from jobcircle.people.models import Resident

from .auth import access
from .schemas import AreaCode, Code, CommunityCode, ErrorOut, InputSchema, ModelText, ObjectId, PageQuery, Text

router = Router(tags=["家庭户 households"], auth=access(CASEWORK))


class HouseholdListQuery(PageQuery):
    area: AreaCode | None = None
    zero_employment: bool | None = Field(None, description="只看（true）或排除（false）今天的零就业家庭")


class HouseholdIn(InputSchema):
    number: ModelText(Household, "number")
    community_code: CommunityCode
    address: ModelText(Household, "address") | None = None
    has_business_income: bool | None = None


class HouseholdMemberIn(InputSchema):
    resident_id: ObjectId
    relation: Code = Field(
        description="与户主关系：head（户主）、spouse、child、parent、grandchild、grandparent、sibling、other"
    )
    joined_on: datetime.date | None = Field(None, description="入户日期，默认今天")


class HouseholdMemberOut(Schema):
    resident_id: int
    name: str
    relation: str
    relation_label: str
    joined_on: datetime.date
    left_on: datetime.date | None

    @staticmethod
    def resolve_name(obj):
        return mask_name(obj.resident.name)

    @staticmethod
    def resolve_relation_label(obj):
        return obj.get_relation_display()


class HouseholdOut(Schema):
    id: int
    number: str
    community_code: str
    address: str
    has_business_income: bool

    @staticmethod
    def resolve_community_code(obj):
        return obj.area_code


class HouseholdDetailOut(HouseholdOut):
    zero_employment: bool
    members: list[HouseholdMemberOut]

    @staticmethod
    def resolve_zero_employment(obj):
        return services.zero_employment_households(obj.community, timezone.localdate()).filter(pk=obj.pk).exists()

    @staticmethod
    def resolve_members(obj):
        return obj.memberships.select_related("resident").order_by("left_on", "joined_on", "id")


class HouseholdPage(Schema):
    count: int
    items: list[HouseholdOut]


class HouseholdClearanceQuery(InputSchema):
    area: AreaCode | None = None
    period: Text(32) | None = None


class HouseholdClearanceOut(Schema):
    area_code: str
    period: str
    found: int
    cleared: int
    open: int
    days_open: int
    longest_open: int


@router.get("", response=HouseholdPage, summary="家庭户列表（可只看零就业家庭）")
def household_list(request, query: Query[HouseholdListQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    households = Household.objects.in_scope(request.scope).in_area(region)
    if query.zero_employment is not None:
        zero = services.zero_employment_households(region, timezone.localdate()).values("pk")
        households = households.filter(pk__in=zero) if query.zero_employment else households.exclude(pk__in=zero)
    households = households.order_by("area_code", "number")
    return {"count": households.count(), "items": query.page(households)}


@router.get(
    "/clearance", response=HouseholdClearanceOut, summary="零就业家庭动态清零（新认定、清零、未清零、在册天数）"
)
def household_clearance(request, query: Query[HouseholdClearanceQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    period = parse_period(query.period)
    figures = stats.zero_employment_clearance(region, period.start, period.as_of)
    return {"area_code": region.code, "period": period.label, **figures.__dict__}


@router.post("", response={201: HouseholdDetailOut, 422: ErrorOut}, summary="登记家庭户")
def household_create(request, payload: HouseholdIn):
    household = services.register_household(by=request.user, scope=request.scope, data=payload.dict())
    return 201, household


@router.get("/{int:household_id}", response=HouseholdDetailOut, summary="家庭户详情（成员及历史，姓名已脱敏）")
def household_detail(request, household_id: ObjectId):
    return get_in_scope_or_404(Household.objects.select_related("community"), request.scope, pk=household_id)


@router.post(
    "/{int:household_id}/members", response={200: HouseholdDetailOut, 422: ErrorOut}, summary="家庭户加入成员或变更关系"
)
def household_add_member(request, household_id: ObjectId, payload: HouseholdMemberIn):
    household = get_in_scope_or_404(Household.objects.select_related("community"), request.scope, pk=household_id)
    resident = get_object_or_404(Resident.objects.in_scope(request.scope), pk=payload.resident_id)
    services.add_member(household, resident, payload.relation, by=request.user, scope=request.scope,
                        on=payload.joined_on)  # fmt: skip
    return 200, household
