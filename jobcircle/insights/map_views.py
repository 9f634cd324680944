"""The labour map (劳动力地图) and supply and demand by occupation: staff screens, thin over their services."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.maps import map_config
from jobcircle.common.exports import NUMBER, Column
from jobcircle.common.pii import mask_name
from jobcircle.common.web import staff_required, xlsx_response

from . import labour_map
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
    cells = labour_map.aggregate(region, level=level, res=res, own_prefix=request.scope.area_prefix)
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
