"""劳动力地图 and 职业供求 (issue 19): the same services as the back-office screens, as JSON."""

from typing import Literal

from ninja import Field, Query, Router, Schema

from jobcircle.accounts.permissions import VIEW_DASHBOARD
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.insights import labour_map, occupations
from jobcircle.insights.figures import parse_period

from .auth import access
from .schemas import AreaCode, InputSchema, Text

router = Router(tags=["劳动力地图与职业供求 insights"], auth=access(VIEW_DASHBOARD))


class LabourMapQuery(InputSchema):
    area: AreaCode | None = Field(
        None, description="区划代码；可为本县内辖区以外的区划（只给人数，少于5人的格网不显示）"
    )
    level: Literal["hex", "community"] = Field("hex", description="hex：H3六边形格网；community：按社区/村")
    res: int | None = Field(None, ge=5, le=7, description="格网精度（5–7级）；默认区县6级、乡镇及以下7级")


class LabourMapCounts(Schema):
    working_age: int
    employed: int
    employed_local: int
    employed_in_province: int
    employed_out_of_province: int
    seekers: int
    key_groups: int
    away: int
    away_last_year: int
    jobs: int
    places: int
    places_within_reach: int


class LabourMapCell(Schema):
    id: str
    name: str
    lat: float
    lng: float
    boundary: list[list[float]] | None
    people: int | None
    suppressed: bool
    counts: LabourMapCounts | None


class LabourMapOut(Schema):
    area: str
    level: str
    res: int | None
    layers: dict[str, str]
    cells: list[LabourMapCell]


class OccupationSupplyQuery(InputSchema):
    area: AreaCode | None = None
    period: Text(32) | None = None
    level: Literal["middle", "minor"] = Field("minor", description="middle：职业中类；minor：职业小类")
    by_township: bool = Field(False, description="按乡镇（街道）分行")


class OccupationSupplyLine(Schema):
    occupation: str
    name: str
    township: str
    township_name: str
    seekers: int
    places: int
    hires: int
    ratio: float | None
    gap: int


class OccupationSupplyOut(Schema):
    area: str
    period: str
    lines: list[OccupationSupplyLine]
    shortest: list[OccupationSupplyLine]
    oversupplied: list[OccupationSupplyLine]


@router.get("/labour-map", response=LabourMapOut, summary="劳动力地图（格网或社区的人数）")
def insights_labour_map(request, query: Query[LabourMapQuery]):
    region = labour_map.map_region_or_404(request.scope, query.area)
    res = query.res or (6 if region.level <= RegionLevel.COUNTY else 7)
    cells = labour_map.aggregate(region, level=query.level, res=res, own=request.scope.region)
    return {"area": region.code, "level": query.level, "res": res if query.level == "hex" else None,
            "layers": labour_map.LAYERS, "cells": cells}  # fmt: skip


@router.get("/occupations", response=OccupationSupplyOut, summary="职业供求（求职人数、岗位需求、求人倍率）")
def insights_occupations(request, query: Query[OccupationSupplyQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    period = parse_period(query.period)
    lines = occupations.supply_demand(
        region, period.start, period.end, level=query.level, by_township=query.by_township
    )
    totals = lines if not query.by_township else occupations.supply_demand(region, period.start, period.end,
                                                                            level=query.level)  # fmt: skip
    return {
        "area": region.code, "period": period.label, "lines": [line.as_dict() for line in lines],
        "shortest": [line.as_dict() for line in occupations.shortest(totals)],
        "oversupplied": [line.as_dict() for line in occupations.oversupplied(totals)],
    }  # fmt: skip
