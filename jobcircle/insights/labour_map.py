"""劳动力地图: the labour force where people live, on H3 hexagons or by community (社区/村).

Each cell counts residents by home location (``Resident.h3_r7``; coarser cells are its parents):

- working_age: 16 to under 60 on the day (households.services.working_age_births, the one rule);
- employed: current status 已就业 or 灵活就业; by place of work from the monthly monitoring of the latest
  monitored month up to the day (本县 / 省内县外 / 省外);
- seekers: currently seeking work; key_groups: with at least one 重点群体 tag;
- away / away_last_year: 外出务工 (省内县外 + 省外) in that month and in the same month a year earlier;
- jobs / places: open jobs located in the cell and their places left (岗位需求); places_within_reach:
  the same for the cell and its neighbours at resolution 7 (about 3 km), the cell alone when coarser.

Aggregation is grouped in the database (one query per source, whatever the number of people). A cell
whose people are not all inside the viewer's own area and number fewer than 5 is shown without counts
and without names (``suppressed``): small cells could identify people.
"""

import datetime
from dataclasses import dataclass

import h3
from django.db.models import Avg, BigIntegerField, Count, ExpressionWrapper, F, Max, Q, Value
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from jobcircle.areas.codes import pad_code
from jobcircle.areas.models import Region
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.assistance.enums import WorkLocation
from jobcircle.assistance.models import MonitoringRecord
from jobcircle.assistance.periods import add_months, month_start
from jobcircle.assistance.services import WORKING
from jobcircle.employers.models import Job
from jobcircle.households.services import working_age_births
from jobcircle.people.models import Resident
from jobcircle.recruiting.enums import ApplicationStatus
from jobcircle.recruiting.models import Application

HEX, COMMUNITY = "hex", "community"
LEVELS = (HEX, COMMUNITY)
RESOLUTIONS = (5, 6, 7)
FINE = 7  # the stored resolution every coarser cell is rolled up from
MIN_CELL = 5  # fewer people than this are not shown to a viewer from outside the cell's area

LAYERS = {
    "working_age": "劳动年龄人口（人）",
    "employed": "已就业（人，含灵活就业）",
    "employed_local": "本县就业（人，监测）",
    "employed_in_province": "省内县外就业（人，监测）",
    "employed_out_of_province": "省外就业（人，监测）",
    "seekers": "求职者（人）",
    "key_groups": "重点群体（人）",
    "away": "外出务工（人，监测）",
    "away_last_year": "去年同月外出务工（人）",
    "jobs": "在招岗位（个）",
    "places": "岗位需求（人）",
    "places_within_reach": "约3公里内岗位需求（人）",
}
LOCATION_LAYER = {
    WorkLocation.LOCAL: "employed_local",
    WorkLocation.IN_PROVINCE: "employed_in_province",
    WorkLocation.OUT_OF_PROVINCE: "employed_out_of_province",
}


def resolution_for_zoom(zoom: int) -> int:
    """The hexagon resolution a map zoom shows: 5 for a county or wider, 6 for a township, 7 closer."""
    return 5 if zoom <= 9 else 6 if zoom <= 11 else 7


def map_region_or_404(scope, area_code: str | None) -> Region:
    """The region a labour map shows: any inside the viewer's scope, or any of the viewer's own county
    (counts only, small cells suppressed); another county, or no staff scope, is 404."""
    if scope.region is None:
        raise Http404("未找到该区划")
    if not area_code or scope.covers(_padded(area_code)):
        return region_in_scope_or_404(scope, area_code)
    county = scope.region.scope_prefix[:6]
    region = Region.objects.filter(code=_padded(area_code)).first()
    if region is None or not region.scope_prefix.startswith(county) or len(region.scope_prefix) < 6:
        raise Http404("未找到该区划")
    return region


def _padded(code):
    try:
        return pad_code(code)
    except ValueError:
        raise Http404("未找到该区划") from None


@dataclass(frozen=True)
class MapMonth:
    month: datetime.date | None  # the latest monitored month up to the day (None: no monitoring yet)
    last_year: datetime.date | None


def monitored_month(region, on: datetime.date) -> MapMonth:
    latest = MonitoringRecord.objects.in_area(region).filter(month__lte=month_start(on)).aggregate(m=Max("month"))["m"]
    return MapMonth(latest, add_months(latest, -12) if latest else None)


def _group(level, path=""):
    """The grouping expression of a level (``path``: the way to the resident or job, e.g. ``resident__``).

    An expression, not the bare column: SQLite would otherwise walk the column's index to group and fetch
    every row by id (seven times slower on the city); a full scan and one sort is what a map needs.
    """
    if level == HEX:
        return ExpressionWrapper(F(f"{path}h3_r7") + Value(0), output_field=BigIntegerField())
    return Substr(f"{path}area_code", 1)


def _blank():
    return {**dict.fromkeys(LAYERS, 0), "people": 0, "own": 0}


def _fine_rows(region, level, on, own):
    """{group: counts} at resolution 7 (or per community): one grouped query per source, whatever the size."""
    born_after, born_by = working_age_births(on)
    people = (
        Resident.objects.in_area(region)
        .order_by()
        .annotate(group=_group(level))
        .values("group")
        .annotate(
            people=Count("id"),
            working_age=Count("id", filter=Q(birth_date__gt=born_after, birth_date__lte=born_by)),
            employed=Count("id", filter=Q(employment_status__in=WORKING)),
            seekers=Count("id", filter=Q(is_job_seeking=True)),
            **({"lat": Avg("lat"), "lng": Avg("lng")} if level == COMMUNITY else {}),
        )
    )
    rows = {}
    for row in people:
        rows[row.pop("group")] = {**_blank(), **row, "own": row["people"]}
    if own is not None and not region.scope_prefix.startswith(own.scope_prefix):  # a view wider than one's area
        for counts in rows.values():
            counts["own"] = 0
        mine = Resident.objects.in_area(region).in_area(own).order_by().annotate(group=_group(level))
        for row in mine.values("group").annotate(n=Count("id")):
            rows[row["group"]]["own"] = row["n"]
    tagged = (
        Resident.key_groups.through.objects.filter(resident_id__in=Resident.objects.in_area(region).values("id"))
        .order_by()
        .annotate(group=_group(level, "resident__"))
        .values("group")
        .annotate(n=Count("resident_id", distinct=True))
    )
    for row in tagged:
        if row["group"] in rows:
            rows[row["group"]]["key_groups"] = row["n"]
    month = monitored_month(region, on)
    for when, layer in ((month.month, None), (month.last_year, "away_last_year")):
        if when is None:
            continue
        records = (
            MonitoringRecord.objects.in_area(region)
            .filter(month=when, employment_status__in=WORKING)
            .order_by()
            .annotate(group=_group(level, "resident__"))
            .values("group", "work_location")
            .annotate(n=Count("id"))
        )
        for row in records:
            counts = rows.get(row["group"])
            if counts is None:
                continue
            location = row["work_location"]
            away = location in (WorkLocation.IN_PROVINCE, WorkLocation.OUT_OF_PROVINCE)
            if layer is None:
                if location in LOCATION_LAYER:
                    counts[LOCATION_LAYER[location]] += row["n"]
                counts["away"] += row["n"] if away else 0
            elif away:
                counts[layer] += row["n"]
    jobs = Job.objects.open(on).in_area(region).order_by()
    hired = dict(
        Application.objects.filter(job__in=jobs, status=ApplicationStatus.HIRED)
        .order_by()
        .values_list("job_id")
        .annotate(n=Count("id"))
    )
    for pk, group, headcount in jobs.annotate(group=_group(level)).values_list("pk", "group", "headcount"):
        counts = rows.setdefault(group, _blank())
        counts["jobs"] += 1
        counts["places"] += max(headcount - hired.get(pk, 0), 0)  # places left, as insights.services.places_left
    return rows


SUMMED = (*LAYERS, "people", "own")


def aggregate(region, *, level=HEX, res=6, on=None, own=None) -> list[dict]:
    """The cells of ``region``: ``{id, name, lat, lng, boundary, people, counts, suppressed}``, sorted by id.

    - ``level`` hex: H3 cells of resolution ``res`` (5–7) with their boundary; community: one point per
      community (the mean home location of its residents) and its name;
    - ``own``: the viewer's own area (a region value; None: the whole region is theirs); a cell with people
      outside it and fewer than 5 people in all is ``suppressed`` (its counts are None).
    """
    on = on or timezone.localdate()
    fine = _fine_rows(region, level, on, own)
    if level == HEX:
        cells = _roll_up(fine, res)
        names = {}
    else:
        cells = fine
        names = dict(Region.objects.filter(code__in=list(fine)).values_list("code", "name"))
    reach = _within_reach(cells) if level == HEX and res == FINE else None
    out = []
    for cell_id in sorted(cells):
        counts = cells[cell_id]
        if level == HEX:
            lat, lng = h3.cell_to_latlng(cell_id)
            boundary = [[round(a, 5), round(b, 5)] for a, b in h3.cell_to_boundary(cell_id)]
        else:
            lat, lng, boundary = counts.get("lat"), counts.get("lng"), None
            if lat is None:  # jobs but no residents: no home location to draw
                continue
        counts["places_within_reach"] = reach[cell_id] if reach is not None else counts["places"]
        suppressed = counts["people"] < MIN_CELL and counts["own"] < counts["people"]
        out.append({
            "id": cell_id, "name": names.get(cell_id, ""), "lat": round(lat, 5), "lng": round(lng, 5),
            "boundary": boundary, "people": None if suppressed else counts["people"], "suppressed": suppressed,
            "counts": None if suppressed else {layer: counts[layer] for layer in LAYERS},
        })  # fmt: skip
    return out


def _roll_up(fine: dict, res: int) -> dict:
    """Resolution-7 groups (integer ids) summed into their parents at ``res`` (string ids)."""
    cells: dict[str, dict] = {}
    for r7, counts in fine.items():
        if r7 is None:
            continue
        cell = h3.int_to_str(r7)
        parent = cell if res == FINE else h3.cell_to_parent(cell, res)
        into = cells.setdefault(parent, dict.fromkeys(SUMMED, 0))
        for name in SUMMED:
            into[name] += counts.get(name, 0)
    return cells


def _within_reach(cells: dict) -> dict:
    """Places of the cell and its six neighbours (resolution 7: centres about 2.4 km apart)."""
    return {cell: sum(cells[n]["places"] for n in h3.grid_disk(cell, 1) if n in cells) for cell in cells}


def cell_residents(region, *, level, cell: str, scope):
    """The residents behind one cell, inside ``region`` and the viewer's scope (a bad cell id is 404).

    - hex: the cell's resolution-7 children (or itself); community: the community's code.
    """
    people = Resident.objects.in_area(region).in_scope(scope)
    if level == COMMUNITY:
        return people.filter(area_code=_padded(cell))
    try:
        valid = h3.is_valid_cell(cell) and h3.get_resolution(cell) in RESOLUTIONS
    except (ValueError, TypeError, h3.H3BaseException):
        valid = False
    if not valid:
        raise Http404("未找到该格网")
    res = h3.get_resolution(cell)
    children = [cell] if res == FINE else list(h3.cell_to_children(cell, FINE))
    return people.filter(h3_r7__in=[h3.str_to_int(c) for c in children])


def is_small_for(cell_people_total: int, cell_people_in_scope: int) -> bool:
    """The small-cell rule for a list: fewer than 5 people, not all of them in the viewer's area."""
    return cell_people_total < MIN_CELL and cell_people_in_scope < cell_people_total


def cell_people(region, *, level, cell: str, scope):
    """The named people behind a cell for a viewer: their scoped residents, or 404 under the small-cell rule."""
    everyone = cell_residents(region, level=level, cell=cell, scope=_AllOf(region))
    in_scope = cell_residents(region, level=level, cell=cell, scope=scope)
    total, own = everyone.count(), in_scope.count()
    if not own or is_small_for(total, own):
        raise Http404("该格网人数少于5人，不予显示")
    return in_scope.order_by("area_code", "id")


@dataclass(frozen=True)
class _AllOf:
    """A scope-shaped value covering a whole region (for counting a cell's people whoever looks)."""

    region: Region
    role: str = ""
    owner_id: int | None = None

    def covers(self, area_code):
        return area_code.startswith(self.region.scope_prefix)
