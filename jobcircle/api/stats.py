from typing import Literal

from ninja import Query, Router, Schema

from jobcircle.accounts.permissions import VIEW_DASHBOARD
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.insights import figures
from jobcircle.insights.services import overview

from .auth import access
from .schemas import AreaCode, InputSchema, OverviewOut, PageQuery, Text

router = Router(tags=["统计 stats"], auth=access(VIEW_DASHBOARD))


class AreaQuery(InputSchema):
    area: AreaCode | None = None


class FigureQuery(AreaQuery):
    period: Text(32) | None = None


class FigureRecordsQuery(FigureQuery, PageQuery):
    pass


# The registered codes (a later app's entries are registered when insights.figures is imported).
FigureCode = Literal[tuple(figures.REGISTRY)]


class FigureOut(Schema):
    code: str
    label: str
    value: int | float | None
    unit: str
    definition: str


class FigureRecordOut(Schema):
    id: int
    kind: str
    name: str
    area_code: str


class FigureRecordsOut(Schema):
    count: int
    items: list[FigureRecordOut]


@router.get("/overview", response=OverviewOut, summary="平台概况")
def stats_overview(request, query: Query[AreaQuery]):
    prefix = region_in_scope_or_404(request.scope, query.area).scope_prefix
    return {"area_code": prefix.ljust(12, "0"), **overview(prefix)}


@router.get("/figures", response=list[FigureOut], summary="全部登记指标（指标登记簿）")
def stats_figures(request, query: Query[FigureQuery]):
    prefix = region_in_scope_or_404(request.scope, query.area).scope_prefix
    rows = figures.figure_rows(prefix, figures.parse_period(query.period))
    return [{**row, "value": figures.money_or_number(row["value"])} for row in rows]


@router.get("/figures/{code}/records", response=FigureRecordsOut, summary="指标背后的记录（已脱敏）")
def stats_figure_records(request, code: FigureCode, query: Query[FigureRecordsQuery]):
    prefix = region_in_scope_or_404(request.scope, query.area).scope_prefix
    records = figures.records_of(code, prefix, figures.parse_period(query.period))
    return {"count": records.count(), "items": [figures.describe_record(r) for r in query.page(records)]}
