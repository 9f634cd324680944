from ninja import Router

from jobcircle.accounts.permissions import VIEW_DASHBOARD
from jobcircle.areas.scoping import area_prefix_in_scope_or_404
from jobcircle.insights.services import overview

from .auth import access
from .schemas import OverviewOut

router = Router(tags=["统计 stats"], auth=access(VIEW_DASHBOARD))


@router.get("/overview", response=OverviewOut, summary="平台概况")
def stats_overview(request, area: str | None = None):
    prefix = area_prefix_in_scope_or_404(request.scope, area)
    return {"area_code": prefix.ljust(12, "0"), **overview(prefix)}
