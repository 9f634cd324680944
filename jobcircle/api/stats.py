from ninja import Query, Router

from jobcircle.accounts.permissions import VIEW_DASHBOARD
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.insights.services import overview

from .auth import access
from .schemas import AreaCode, InputSchema, OverviewOut

router = Router(tags=["统计 stats"], auth=access(VIEW_DASHBOARD))


class AreaQuery(InputSchema):
    area: AreaCode | None = None


@router.get("/overview", response=OverviewOut, summary="平台概况")
def stats_overview(request, query: Query[AreaQuery]):
    prefix = region_in_scope_or_404(request.scope, query.area).scope_prefix
    return {"area_code": prefix.ljust(12, "0"), **overview(prefix)}
