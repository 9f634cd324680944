"""The labour map (劳动力地图) and supply and demand by occupation: staff screens, thin over their services."""

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.maps import map_config
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.common.exports import NUMBER, Column
from jobcircle.common.pii import mask_name
from jobcircle.common.web import paginate, query_without_page, staff_required, xlsx_response

from . import figures as registry
from . import labour_map, occupations
from .labour_map import COMMUNITY, HEX, LAYERS, LEVELS, RESOLUTIONS

PEOPLE_PAGE = 200


def map_query(request, region):
    """(level, res) asked for; a missing or unknown value falls back to the region's natural view."""
    level = request.GET.get("level") if request.GET.get("level") in LEVELS else HEX
    default = 6 if region.level <= RegionLevel.COUNTY else 7
    res = request.GET.get("res", "")
    res = int(res) if res.isdigit() and int(res) in RESOLUTIONS else default
    return level, res


def cell_columns():
    def count(layer):
        return lambda cell: "少于5人" if cell["suppressed"] else cell["counts"][layer]

    return [
        Column("格网/社区代码", lambda cell: cell["id"], width=20),
        Column("名称", lambda cell: cell["name"], width=16),
        Column("人数", lambda cell: "少于5人" if cell["suppressed"] else cell["people"], NUMBER),
        *[Column(label, count(layer), NUMBER, 14) for layer, label in LAYERS.items()],
    ]


@staff_required
def labour_map_page(request):
    """劳动力地图 of an area: hexagons or communities, a layer per count; ``format=json`` for a redraw,
    ``export=xlsx`` for the table behind the view."""
    region = labour_map.map_region_or_404(request.scope, request.GET.get("area"))
    level, res = map_query(request, region)
    cells = labour_map.aggregate(region, level=level, res=res, own=request.scope.region)
    if request.GET.get("export") == "xlsx":
        name = f"劳动力地图_{region.code}_{level}{res if level == HEX else ''}.xlsx"
        return xlsx_response(name, "劳动力地图", cell_columns(), cells, user=request.user)
    payload = {"area": region.code, "level": level, "res": res, "layers": LAYERS, "cells": cells}
    if request.GET.get("format") == "json":
        return JsonResponse(payload)
    context = {
        "area": region, "payload": payload, "map_config": map_config(),
        "levels": ((HEX, "六边形格网"), (COMMUNITY, "社区/村")),
        "resolutions": RESOLUTIONS, "people_url": reverse("insights:labour_map_people"), "nav": "labour_map",
    }  # fmt: skip
    return render(request, "insights/labour_map.html", context)


@staff_required
def labour_map_people(request):
    """The named people behind one cell (masked names, the viewer's own area only; small cells refused: 404)."""
    region = labour_map.map_region_or_404(request.scope, request.GET.get("area"))
    level = request.GET.get("level") if request.GET.get("level") in LEVELS else HEX
    people = labour_map.cell_people(region, level=level, cell=request.GET.get("cell", ""), scope=request.scope)
    rows = people.select_related("community")[:PEOPLE_PAGE]
    return JsonResponse({
        "count": people.count(),
        "items": [
            {"name": mask_name(r.name), "community": r.community.name, "status": r.get_employment_status_display(),
             "seeking": r.is_job_seeking, "url": reverse("people:resident_detail", args=[r.pk])}
            for r in rows
        ],
    })  # fmt: skip


# --- supply and demand by occupation ----------------------------------------------------------------

OCCUPATION_COLUMNS = [
    Column("职业代码", lambda line: line.occupation, width=12),
    Column("职业", lambda line: line.name, width=30),
    Column("乡镇（街道）", lambda line: line.township_name, width=14),
    Column("求职人数（人）", lambda line: line.seekers, NUMBER),
    Column("岗位需求（人）", lambda line: line.places, NUMBER),
    Column("期间实现就业（人次）", lambda line: line.hires, NUMBER),
    Column("求人倍率", lambda line: float(line.ratio) if line.ratio is not None else None, NUMBER),
    Column("缺口（人）", lambda line: line.gap, NUMBER),
]


def _period(request):
    try:
        return registry.parse_period(request.GET.get("period"))
    except ValidationError:
        return registry.parse_period(None)


@staff_required
def occupation_page(request):
    """职业供求: per 中类 or 小类 (and township), with the shortest and most oversupplied lists and the trend."""
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    period = _period(request)
    level = request.GET.get("level") if request.GET.get("level") in occupations.LEVELS else occupations.MINOR
    by_township = request.GET.get("by") == "township"
    lines = occupations.supply_demand(region, period.start, period.end, level=level, by_township=by_township)
    if request.GET.get("export") == "xlsx":
        name = f"职业供求_{region.code}_{period.key}.xlsx"
        return xlsx_response(name, "职业供求", OCCUPATION_COLUMNS, lines, user=request.user)
    totals = lines if not by_township else occupations.supply_demand(region, period.start, period.end, level=level)
    context = {
        "area": region, "period": period, "level": level, "levels": occupations.LEVELS, "by_township": by_township,
        "lines": lines, "shortest": occupations.shortest(totals), "oversupplied": occupations.oversupplied(totals),
        "trend": occupations.monthly_trend(region, period.end), "query": query_without_page(request),
        "nav": "occupations",
    }  # fmt: skip
    return render(request, "insights/occupations.html", context)


@staff_required
def occupation_records(request, occupation, kind):
    """The seekers (masked) or open jobs behind one occupation line."""
    if kind not in ("seekers", "jobs"):
        raise Http404("没有这种名单")
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    period = _period(request)
    if kind == "seekers":
        records = occupations.seekers_of(region, occupation).in_scope(request.scope)
        rows = [(mask_name(r.name), r.area_code, reverse("people:resident_detail", args=[r.pk])) for r in records]
    else:
        records = occupations.jobs_of(region, period.as_of, occupation).in_scope(request.scope)
        rows = [(j.title, j.area_code, reverse("employers:job_detail", args=[j.pk])) for j in records]
    page = paginate(request, rows, per_page=50)
    context = {"area": region, "occupation": occupation, "kind": kind, "page": page, "nav": "occupations",
               "query": query_without_page(request)}  # fmt: skip
    return render(request, "insights/occupation_records.html", context)
