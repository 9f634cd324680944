"""“三公里”充分就业社区 assessment (issue 19): every community of an area assessed live against its standard.

Read through the caller's scope: another area is 404. Values are strings of Decimals (two places).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from jobcircle.accounts.permissions import VIEW_DASHBOARD
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.communities import services

from .auth import access
from .schemas import AreaCode, InputSchema

router = Router(tags=["充分就业社区 communities"], auth=access(VIEW_DASHBOARD))

MAX_COMMUNITIES = 500  # a county has a few hundred; larger areas are asked township by township


class CommunityAssessmentQuery(InputSchema):
    area: AreaCode | None = Field(None, description="区划代码（乡镇或区县；默认本人辖区）")
    year: int | None = Field(None, ge=2000, le=2100, description="评价年度，默认今年")


class CommunityCriterionOut(Schema):
    measure: str
    label: str
    threshold: str
    value: str | None
    passed: bool
    note: str


class CommunityAssessmentOut(Schema):
    community_code: str
    community_name: str
    standard: str | None
    passed: bool
    state: str
    criteria: list[CommunityCriterionOut]


class CommunityAssessmentListOut(Schema):
    area: str
    year: int
    communities: int
    passing: int
    rate: str = Field(description="达标率（%）")
    items: list[CommunityAssessmentOut]


@router.get(
    "/communities/assessment", response=CommunityAssessmentListOut, summary="充分就业社区实时评价（各社区逐项达标情况）"
)
def insights_community_assessment(request, query: Query[CommunityAssessmentQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    year = query.year or timezone.localdate().year
    if year > timezone.localdate().year:
        raise ValidationError({"year": ["评价年度：不能晚于今年"]})
    communities = services.communities_of(region)
    if len(communities) > MAX_COMMUNITIES:
        raise ValidationError({"area": [f"区划：社区/村超过{MAX_COMMUNITIES}个，请按乡镇查询"]})
    assessments = [services.assess(community, year) for community in communities]
    passing = sum(a.passed for a in assessments)
    return {
        "area": region.code, "year": year, "communities": len(assessments), "passing": passing,
        "rate": str(services.percent(passing, len(assessments)) or "0.00"),
        "items": [
            {"community_code": a.community.code, "community_name": a.community.name,
             "standard": str(a.standard) if a.standard else None, "passed": a.passed, "state": a.state,
             "criteria": [r.as_dict() for r in a.results]}
            for a in assessments
        ],
    }  # fmt: skip
