"""The registry of reported figures (指标登记簿): every figure the bureau reports, named once.

Each entry says what the figure is (code, Chinese label, a one-sentence definition, unit, stock or
flow), which service function computes it for an area and a period, whether the areas below add up to
it, and which records stand behind it. The dashboard, the API and the insights exports read figures
here; later apps (subsidies, training, registrations, targets) ``register`` their own entries.

The values themselves come from the service functions that already compute them (insights.services,
recruiting.services, assistance.stats): this module only names and routes, it never re-counts.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

# The service functions and models the figures come from: every import is here, at the top, so a move
# is fixed in one place.
from jobcircle.areas.codes import Area, pad_code
from jobcircle.areas.models import Region
from jobcircle.assistance.cases.services import DONE_1131, with_1131_counts
from jobcircle.assistance.cases.stats import assistance_coverage, case_figures
from jobcircle.assistance.enums import AWAY_LOCATIONS, CaseState, PostAreaType, TaskState, WorkLocation, WorkshopStatus
from jobcircle.assistance.models import (
    AssistanceCase,
    CaseService,
    MonitoringRecord,
    WelfarePost,
    Workshop,
    WorkshopCheck,
)
from jobcircle.assistance.monitoring.stats import (
    monitoring_progress,
    month_tasks,
    out_migration,
    transfer_records,
    work_scale,
    work_scale_records,
)
from jobcircle.assistance.periods import add_months, month_end, month_start
from jobcircle.assistance.services import WORKING
from jobcircle.assistance.welfare import stats as welfare
from jobcircle.assistance.workshops.stats import workshop_figures
from jobcircle.common.pii import mask_name
from jobcircle.employers.models import Employer, Job
from jobcircle.people import stats as registrations
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import Placement, Resident
from jobcircle.recruiting.enums import ApplicationStatus
from jobcircle.recruiting.models import Application, FairAttendance, FairEmployer, JobFair
from jobcircle.recruiting.services import fair_statistics, reached_intention

from . import services as insights

STOCK, FLOW = "stock", "flow"
KINDS = {STOCK: "存量（时点数）", FLOW: "流量（期间累计）"}


# --- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A report period: a month, quarter, half-year, year or custom dates (both ends inclusive)."""

    start: datetime.date
    end: datetime.date
    label: str

    @property
    def month(self) -> datetime.date:
        """The month a month-based stock is read in: the period's last month."""
        return self.end.replace(day=1)

    @property
    def as_of(self) -> datetime.date:
        """The day a stock is read on: the period's end, or today while the period runs."""
        return min(self.end, timezone.localdate())

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m-%d}~{self.end:%Y-%m-%d}"


PERIOD_HELP = "期间：2026-03（月）、2026-Q1（季度）、2026-H1（半年）、2026（年）或 2026-01-01~2026-03-31"
_PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
    r"|^(?P<start>\d{4}-\d{2}-\d{2})~(?P<end>\d{4}-\d{2}-\d{2})$",
    re.IGNORECASE,
)


def _months(year: int, first: int, count: int) -> tuple[datetime.date, datetime.date]:

    start = datetime.date(year, first, 1)
    return start, month_end(add_months(start, count - 1))


def parse_period(value: str | None, *, today=None) -> Period:
    """The period a text names; empty means the current month. A bad text is a ValidationError on ``period``."""
    today = today or timezone.localdate()
    text = (value or f"{today:%Y-%m}").strip()
    match = _PERIOD_RE.match(text)
    try:
        if match is None:
            raise ValueError
        if match["start"]:
            start, end = (datetime.date.fromisoformat(match[name]) for name in ("start", "end"))
            if end < start:
                raise ValueError
            return Period(start, end, f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}")
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            return Period(*_months(year, month, 1), f"{year}年{month}月")
        if match["quarter"]:
            quarter = int(match["quarter"])
            return Period(*_months(year, 3 * quarter - 2, 3), f"{year}年第{'一二三四'[quarter - 1]}季度")
        if match["half"]:
            half = int(match["half"])
            return Period(*_months(year, 6 * half - 5, 6), f"{year}年{'上下'[half - 1]}半年")
        return Period(*_months(year, 1, 12), f"{year}年")
    except ValueError:
        raise ValidationError({"period": [f"统计期间格式不正确。{PERIOD_HELP}"]}) from None


# --- the registry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One reported figure. ``source(area_prefix, period)`` is a service call whose result several
    figures may share (computed once per evaluation); ``pick`` takes this figure's value out of it."""

    code: str
    label: str
    definition: str
    unit: str
    kind: str  # STOCK or FLOW
    domain: str  # the report paragraph it belongs to
    source: Callable
    pick: Callable
    records: Callable[[str, Period], QuerySet] | None = None
    additive: bool = True  # the areas one level down add up to it
    counts_records: bool = True  # the value is the number of its records
    money: bool = field(default=False)
    current_only: bool = False  # read as of now whatever the period: no comparison across periods

    def value(self, area_prefix: str, period: Period, cache: dict | None = None):
        cache = {} if cache is None else cache
        key = (self.source, area_prefix, period)
        if key not in cache:
            cache[key] = self.source(area_prefix, period)
        return self.pick(cache[key])


REGISTRY: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    """Add a figure; a code is registered once (a second entry for it is a programming error)."""
    if figure.code in REGISTRY:
        raise ValueError(f"figure {figure.code} is already registered")
    if figure.kind not in KINDS:
        raise ValueError(f"figure {figure.code}: kind must be stock or flow")
    REGISTRY[figure.code] = figure
    return figure


def get_figure(code: str) -> Figure | None:
    return REGISTRY.get(code)


def evaluate(area_prefix: str, period: Period, codes=None) -> dict[str, object]:
    """Every registered figure (or the ``codes`` named) for an area and period, each source called once."""
    cache: dict = {}
    chosen = codes if codes is not None else list(REGISTRY)
    return {code: REGISTRY[code].value(area_prefix, period, cache) for code in chosen}


def figure_rows(area_prefix: str, period: Period, codes=None) -> list[dict]:
    """``{code, label, value, unit, definition}`` for each figure: what the API and exports show."""
    values = evaluate(area_prefix, period, codes)
    return [
        {"code": code, "label": REGISTRY[code].label, "value": value, "unit": REGISTRY[code].unit,
         "definition": REGISTRY[code].definition}
        for code, value in values.items()
    ]  # fmt: skip


def records_of(code: str, area_prefix: str, period: Period) -> QuerySet:
    """The records behind a figure for an area and period (empty when the figure has none to list)."""
    figure = REGISTRY[code]
    if figure.records is None:
        return Resident.objects.none()
    records = figure.records(area_prefix, period)
    if any(f.name == "resident" and f.many_to_one for f in records.model._meta.fields):
        records = records.select_related("resident")  # describe_record masks the resident's name
    return records


# --- record listings (the same filters as the services they mirror; the consistency test holds them equal)


def _residents(ids):

    return Resident.objects.filter(id__in=ids).order_by("area_code", "id")


def _region(prefix):
    """The Region row of an area prefix, for the casework statistics that walk its sub-regions."""
    return Region.objects.get(code=pad_code(prefix))


def _fairs(prefix, period):

    return JobFair.objects.in_area(Area(prefix)).in_period(period.start, period.end)


def _welfare_on_duty(prefix, period, **lookup):
    """People on a public-welfare post on the report date (welfare.stats.on_duty), placements limited by ``lookup``."""
    placements = welfare.on_duty(Area(prefix), welfare.report_date(period.end)).filter(**lookup)
    return _residents(placements.values("resident_id"))


def _welfare_on_duty_in(**lookup):
    """The same, limited to a key group or a post type."""
    return lambda prefix, period: _welfare_on_duty(prefix, period, **lookup)


def _welfare_placed(prefix, period):
    return _residents(welfare.placed_in(Area(prefix), period.start, period.end).values("resident_id"))


def _workshops(prefix, period):
    """Workshops certified by the month's end with their latest check status up to the month."""
    latest = WorkshopCheck.objects.filter(workshop=OuterRef("pk"), month__lte=period.month).order_by("-month")
    return (
        Workshop.objects.in_area(Area(prefix))
        .filter(certified_on__lte=month_end(period.month))
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
        .exclude(latest_status=WorkshopStatus.CLEARED)
        .order_by("area_code", "id")
    )


def _normal_workshops(prefix, period):
    return _workshops(prefix, period).filter(Q(latest_status__isnull=True) | Q(latest_status=WorkshopStatus.NORMAL))


def _willing_ids(prefix, period):

    return (
        MonitoringRecord.objects.in_area(Area(prefix))
        .filter(month=period.month, employment_status=EmploymentStatus.UNEMPLOYED, wants_work=True)
        .values("resident_id")
    )


def _assisted_ids(prefix, period):

    end = month_end(period.month)
    return CaseService.objects.filter(
        case__resident_id__in=_willing_ids(prefix, period), case__opened_on__lte=end, provided_on__lte=end
    ).values("case__resident_id")


def _tasks(prefix, period):
    """The month's tasks where the people lived that month (monitoring.stats.month_tasks)."""
    return month_tasks(Area(prefix), period.month).order_by("area_code", "id")


def _overdue_tasks(prefix, period):
    return _tasks(prefix, period).filter(state=TaskState.PENDING, due_on__lt=period.as_of)


def _cases(prefix):

    return AssistanceCase.objects.in_area(Area(prefix)).order_by("area_code", "id")


def _open_cases_1131(prefix):
    return with_1131_counts(_cases(prefix).open()).filter(**DONE_1131)


def _away_ids(prefix, period):

    return (
        MonitoringRecord.objects.in_area(Area(prefix))
        .filter(month=period.month, employment_status__in=WORKING, work_location__in=AWAY_LOCATIONS)
        .values("resident_id")
    )


def _employers(prefix, period):

    return Employer.objects.active().in_area(Area(prefix)).order_by("area_code", "id")


def _open_jobs(prefix, period):

    return Job.objects.open(period.as_of).in_area(Area(prefix)).order_by("area_code", "id")


def _published_jobs(prefix, period):

    return Job.objects.in_area(Area(prefix)).published_between(period.start, period.end).order_by("area_code", "id")


def _all_residents(prefix, period):

    return Resident.objects.in_area(Area(prefix)).order_by("area_code", "id")


def _placed_ids(prefix, period):

    return Placement.objects.in_area(Area(prefix)).values("resident_id")


def _fair_employers(prefix, period):

    ids = FairEmployer.objects.filter(fair__in=_fairs(prefix, period)).values("employer_id")
    return Employer.objects.filter(id__in=ids).order_by("area_code", "id")


def _fair_jobs(prefix, period):

    return Job.objects.filter(fair_entries__fair__in=_fairs(prefix, period)).order_by("area_code", "id")


def _fair_attendance(prefix, period):

    return FairAttendance.objects.filter(fair__in=_fairs(prefix, period)).order_by("id")


def _fair_applications(prefix, period):

    return Application.objects.filter(fair__in=_fairs(prefix, period)).order_by("id")


def _fair_entries(prefix, period):

    return FairEmployer.objects.filter(fair__in=_fairs(prefix, period)).order_by("id")


def _fair_intentions(prefix, period):

    return reached_intention(_fair_applications(prefix, period))


def _welfare_posts(prefix, period):

    return WelfarePost.objects.in_area(Area(prefix)).filter(term_start__range=(period.start, period.end)).order_by("id")


def _welfare_payments(prefix, period):

    return welfare.paid_for(Area(prefix), period.start, period.end).order_by("id")


def _workshop_checks(prefix, period):
    """The checks whose 本月补贴 the workshop subsidy adds up (months of the period)."""
    return (
        WorkshopCheck.objects.in_area(Area(prefix))
        .filter(month__gte=month_start(period.start), month__lte=period.month)
        .order_by("id")
    )


def _work_scale_people(records):
    return lambda prefix, period: _residents(records(Area(prefix), period.month).values("resident_id"))


def _work_scale_at(location):
    return lambda prefix, period: _residents(
        work_scale_records(Area(prefix), period.month).filter(work_location=location).values("resident_id")
    )


# --- the figures the system computes today ------------------------------------------------------


def _overview(prefix, period):
    return insights.overview(prefix, period.as_of)


def _published(prefix, period):
    return insights.published_jobs(prefix, period.start, period.end)


def _fairs_stats(prefix, period):
    return fair_statistics(Area(prefix), period.start, period.end)


def _welfare(prefix, period):
    return welfare.welfare_post_figures(Area(prefix), period.start, period.end)


def _workshops_stats(prefix, period):
    return workshop_figures(Area(prefix), period.month, since=month_start(period.start))


def _work_scale(prefix, period):
    return work_scale(Area(prefix), period.month)


def _coverage(prefix, period):
    return assistance_coverage(_region(prefix), period.month)


def _case_stats(prefix, period):
    return case_figures(_region(prefix))


def _monitoring(prefix, period):
    return monitoring_progress(_region(prefix), period.month, on=period.as_of)


def _migration(prefix, period):
    return out_migration(_region(prefix), period.month)


def _key(name):
    return lambda result: result[name]


def _attr(name):
    return lambda result: getattr(result, name)


OVERVIEW = "平台概况"
FAIRS = "招聘会"
WELFARE = "公益性岗位"
WORKSHOPS = "帮扶车间"
CASEWORK = "就业帮扶"
WORK_SCALE = "务工规模"

for _entry in (
    # dashboard overview (insights.services.overview): the platform today
    Figure("employers", "注册用工单位（家，当前，状态正常）",
           "平台上登记且状态为正常的用工单位数（停用、注销的不计），统计时点为当前。", "家", STOCK, OVERVIEW,
           _overview, _key("employers"), _employers),
    Figure("positions", "岗位需求（人，期末在招岗位的剩余招聘人数）",
           "期末（进行中的期间为今天）招聘中且在有效期内的岗位的招聘人数减去已录用人数之和。", "人", STOCK, OVERVIEW,
           _overview, _key("positions"), _open_jobs, counts_records=False),
    Figure("jobs_published", "发布岗位（个，期间内首次发布）",
           "期间内首次发布（首次转为招聘中）的岗位个数，不论其当前状态，草稿不计。", "个", FLOW, OVERVIEW,
           _published, _key("jobs"), _published_jobs),
    Figure("places_published", "发布岗位（人，期间内首次发布岗位的招聘人数）",
           "期间内首次发布（首次转为招聘中）的岗位的招聘人数之和。", "人", FLOW, OVERVIEW,
           _published, _key("places"), _published_jobs, counts_records=False),
    Figure("residents", "登记居民（人，当前）", "平台上登记的居民人数，统计时点为当前。", "人", STOCK, OVERVIEW,
           _overview, _key("residents"), _all_residents),
    Figure("job_seekers", "求职人数（人，当前正在求职）",
           "当前正在求职的登记居民人数；录用或登记为已就业、灵活就业即结束求职，本人表示仍在求职的除外。", "人", STOCK,
           OVERVIEW, _overview, _key("job_seekers"),
           lambda p, period: _all_residents(p, period).job_seekers()),
    Figure("employed", "平台实现就业（人，累计，按人去重）",
           "通过平台有过入职记录的居民人数，一人多次入职计一人。", "人", STOCK, OVERVIEW,
           _overview, _key("employed"), lambda p, period: _residents(_placed_ids(p, period)), additive=False),
    Figure("page_visits", "页面访问量（人次，累计）",
           "服务器端记录的真人页面访问次数（不含爬虫），累计。", "人次", STOCK, OVERVIEW,
           _overview, _key("page_visits"), None, counts_records=False),
    # job fairs (recruiting.services.fair_statistics): fairs starting in the period
    Figure("fairs", "组织招聘会（场，期间）", "期间内开始举办的各类招聘会场次。", "场", FLOW, FAIRS,
           _fairs_stats, _key("fairs"), lambda p, period: _fairs(p, period).order_by("starts_at", "id")),
    Figure("fair_enterprises", "参会企业（家，期间内按企业去重）",
           "期间内招聘会的参会企业数，一家参加多场计一家。", "家", FLOW, FAIRS,
           _fairs_stats, _key("enterprises"), _fair_employers, additive=False),
    Figure("fair_positions", "招聘会提供岗位（个，期间，按场累计招聘人数）",
           "期间内各场招聘会参会岗位的招聘人数之和，同一岗位参加两场各计一次。", "个", FLOW, FAIRS,
           _fairs_stats, _key("positions"), _fair_jobs, counts_records=False),
    Figure("fair_attendees", "招聘会进场求职者（人次，期间）", "期间内各场招聘会的签到人次。", "人次", FLOW, FAIRS,
           _fairs_stats, _key("attendees"), _fair_attendance),
    Figure("fair_enterprise_visits", "参会企业（家次，期间）",
           "期间内各场招聘会的参会企业数之和，一家参加三场计三家次。", "家次", FLOW, FAIRS,
           _fairs_stats, _key("enterprise_visits"), lambda p, period: _fair_entries(p, period)),
    Figure("fair_intentions", "达成就业意向（人，期间内按人去重）",
           "期间内招聘会产生的求职申请中曾达成就业意向（不论其后结果）的居民人数，一人多次计一人。", "人", FLOW,
           FAIRS, _fairs_stats, _key("intentions"),
           lambda p, period: _residents(_fair_intentions(p, period).values("resident_id")), additive=False),
    Figure("fair_intention_visits", "达成就业意向（人次，期间）",
           "期间内招聘会产生的求职申请中曾达成就业意向（不论其后结果）的申请数。", "人次", FLOW, FAIRS,
           _fairs_stats, _key("intention_visits"), _fair_intentions),
    Figure("fair_hires", "招聘会实现入职（人次，期间）",
           "期间内招聘会产生的求职申请中当前状态为“已入职”的件数。", "人次", FLOW, FAIRS, _fairs_stats, _key("hires"),
           lambda p, period: _fair_applications(p, period).filter(status=ApplicationStatus.HIRED)),
    # public-welfare posts (assistance.welfare.stats.welfare_post_figures; INDICATORS.md 在岗 and 安置)
    Figure("welfare_posts", "开发公益性岗位（个，期间）", "期间内岗位期限开始的公益性岗位的岗位数（人数）之和。", "个",
           FLOW, WELFARE, _welfare, _attr("posts"), _welfare_posts, counts_records=False),
    Figure("welfare_on_duty", "公益性岗位在岗（人，报告日）",
           "报告日（期末，进行中的期间为今天）在公益性岗位上的人数（当天离岗的仍计在岗）；比上期比较上期报告日的在岗人数。",
           "人", STOCK, WELFARE, _welfare, _attr("on_duty"), _welfare_on_duty, additive=False),
    *(
        Figure(f"welfare_on_duty_{key}", f"公益性岗位在岗中的{name}（人，报告日）",
               f"报告日在公益性岗位上的人员中{rule}的人数。", "人", STOCK, WELFARE, _welfare, pick,
               _welfare_on_duty_in(**lookup), additive=False)
        for key, name, rule, pick, lookup in (
            *((code, name, f"属于重点群体“{name}”（一人属于两个群体的两处都计）",
               lambda result, code=code: result.by_group.get(code, 0),
               {"resident__key_groups__code": code})
              for code, name in welfare.WELFARE_GROUPS),
            *((value, f"{label}人员", f"所在岗位为{label}",
               lambda result, value=value: result.by_area_type.get(value, 0),
               {"post__area_type": value})
              for value, label in PostAreaType.choices),
        )
    ),
    Figure("welfare_placed", "公益性岗位安置（人，期间内新上岗，按人去重）",
           "期间内开始的公益性岗位安置（上岗日期在期间内）的人数，一人计一次。", "人", FLOW, WELFARE, _welfare,
           _attr("placed"), _welfare_placed, additive=False),
    Figure("welfare_subsidy", "拨付公益性岗位补贴（元，期间）", "期间各月份拨付的公益性岗位补贴金额之和。", "元", FLOW,
           WELFARE, _welfare, _attr("subsidy_yuan"), _welfare_payments, counts_records=False, money=True),
    # workshops (assistance.workshops.stats.workshop_figures): as of the period's last month, the last check
    # carried forward
    Figure("workshops", "帮扶车间（个，期末月）",
           "期末月底前认定、截至该月最近一次核查（当月未核查的沿用最近一次）未清理的帮扶车间数。", "个", STOCK,
           WORKSHOPS, _workshops_stats, _attr("total"), _workshops),
    Figure("workshops_new", "今年新增帮扶车间（个，期末月所在年度）",
           "上述帮扶车间中认定日期在期末月所在年度的个数。", "个", STOCK, WORKSHOPS, _workshops_stats,
           _attr("new_this_year"),
           lambda p, period: _workshops(p, period).filter(certified_on__year=period.month.year)),
    Figure("workshops_normal", "正常运行帮扶车间（个，期末月）",
           "上述帮扶车间中截至期末月最近一次核查为正常运行（尚无核查视为正常）的个数。", "个", STOCK, WORKSHOPS,
           _workshops_stats, _attr("normal"),
           _normal_workshops),
    Figure("workshops_buffer", "缓冲监测帮扶车间（个，期末月）",
           "上述帮扶车间中截至期末月最近一次核查为缓冲监测的个数。", "个", STOCK, WORKSHOPS, _workshops_stats,
           _attr("buffer"), lambda p, period: _workshops(p, period).filter(latest_status=WorkshopStatus.BUFFER)),
    Figure("workshop_workers", "帮扶车间吸纳务工（人，期末月最近核查）",
           "各帮扶车间截至期末月最近一次核查的务工人数之和。", "人", STOCK, WORKSHOPS, _workshops_stats,
           _attr("workers"), _workshops, counts_records=False),
    Figure("workshop_poverty_workers", "帮扶车间吸纳脱贫人口（人，期末月最近核查）",
           "各帮扶车间截至期末月最近一次核查的脱贫人口务工人数之和。", "人", STOCK, WORKSHOPS, _workshops_stats,
           _attr("poverty_workers"), _workshops, counts_records=False),
    Figure("workshop_key_workers", "帮扶车间吸纳脱贫人口和监测对象（人，期末月最近核查）",
           "各帮扶车间截至期末月最近一次核查的脱贫人口与监测对象务工人数之和。", "人", STOCK, WORKSHOPS,
           _workshops_stats, _attr("key_workers"), _workshops, counts_records=False),
    Figure("workshop_subsidy", "帮扶车间补贴（元，期间各月核查）",
           "期间各月帮扶车间月度核查登记的本月补贴之和。", "元", FLOW, WORKSHOPS, _workshops_stats,
           _attr("subsidy_yuan"), _workshop_checks, counts_records=False, money=True),
    # casework (assistance.stats)
    Figure("willing", "未就业且有就业意愿（人，期末月监测）", "期末月监测记录为未就业且有就业意愿的人数。", "人", STOCK,
           CASEWORK, _coverage, _attr("willing"), lambda p, period: _residents(_willing_ids(p, period))),
    Figure("assisted", "已开展一对一帮扶（人，期末月）",
           "上述人员中截至期末月底在帮扶案件下接受过至少一次服务的人数。", "人", STOCK, CASEWORK, _coverage,
           _attr("assisted"), lambda p, period: _residents(_assisted_ids(p, period))),
    Figure("service_1131_done", "完成“1131”服务（人，期末月有意愿未就业人员中）",
           "上述人员中截至期末月底已接受1次政策宣讲、1次职业指导、3次岗位信息、1次培训或见习推荐的人数。",
           "人", STOCK, CASEWORK, _coverage, _attr("service_1131_done"),
           lambda p, period: _residents(_assisted_ids(p, period)), counts_records=False),
    Figure("cases_open", "在帮（件，当前）", "当前处于帮扶中的帮扶案件数。", "件", STOCK, CASEWORK, _case_stats,
           _attr("open"), lambda p, period: _cases(p).open()),
    Figure("cases_closed", "已就业结案（件，累计）", "状态为已就业结案的帮扶案件数（累计）。", "件", STOCK, CASEWORK,
           _case_stats, _attr("closed_employed"), lambda p, period: _cases(p).filter(state=CaseState.CLOSED)),
    Figure("cases_open_1131_done", "在帮中已完成“1131”服务（件，当前）",
           "当前在帮案件中已记录1次政策宣讲、1次职业指导、3次岗位信息、1次培训或见习推荐的件数。",
           "件", STOCK, CASEWORK, _case_stats, _attr("open_1131_done"), lambda p, period: _open_cases_1131(p)),
    Figure("monitoring_tasks", "应监测（人，期末月任务）", "期末月的监测任务数。", "人", FLOW, CASEWORK, _monitoring,
           _attr("tasks"), _tasks),
    Figure("monitoring_done", "已完成监测（人，期末月任务）", "期末月监测任务中已完成的个数。", "人", FLOW, CASEWORK,
           _monitoring, _attr("done"), lambda p, period: _tasks(p, period).filter(state=TaskState.DONE)),
    Figure("monitoring_overdue", "逾期未完成监测（人，期末或今天）",
           "期末月监测任务中到期日早于期末（进行中的期间为今天）仍未完成的个数。", "人", STOCK, CASEWORK, _monitoring,
           _attr("overdue"), _overdue_tasks),
    Figure("away_now", "外出务工（人，期末月监测，省内县外和省外）",
           "期末月监测记录为已就业或灵活就业且务工地在县外的人数。", "人", STOCK, CASEWORK, _migration,
           _attr("away_now"), lambda p, period: _residents(_away_ids(p, period))),
    # 脱贫劳动力务工规模 and 农村劳动力转移就业 (assistance.monitoring.stats.work_scale; INDICATORS.md)
    Figure("work_scale", "脱贫劳动力（含监测对象）务工规模（人，期末月监测）",
           "期末月监测记录为已就业或灵活就业、本年务工月数不少于设定月数（JOBCIRCLE_WORK_SCALE_MIN_MONTHS，默认3个月）"
           "的脱贫人口和监测对象人数，含本县、省内县外、省外务工。", "人", STOCK, WORK_SCALE, _work_scale,
           _attr("total"), _work_scale_people(work_scale_records)),
    *(
        Figure(f"work_scale_{location}", f"脱贫劳动力务工规模中{label}务工（人，期末月监测）",
               f"上述务工人员中期末月监测的务工地点为{label}的人数。", "人", STOCK, WORK_SCALE, _work_scale,
               _attr(location), _work_scale_at(location))
        for location, label in WorkLocation.choices
    ),
    Figure("rural_transfer", "农村劳动力转移就业（人，期末月监测，年内务工满6个月）",
           "期末月监测记录为已就业或灵活就业、本年务工月数不少于6个月（JOBCIRCLE_TRANSFER_MIN_MONTHS）的监测人员数："
           "监测对象为本县农村劳动力，台账中的务工为非农就业，故含乡镇外务工和乡镇内非农务工；不区分务农的县可另行配置。",
           "人", STOCK, WORK_SCALE, _work_scale, _attr("transfer"), _work_scale_people(transfer_records)),
):  # fmt: skip
    register(_entry)

# Read as of now whatever the period asked (the services count today's records): no comparison with
# the previous period or last year is made of them.
for _code in ("employers", "residents", "job_seekers", "employed", "page_visits", "cases_open", "cases_closed",
              "cases_open_1131_done"):  # fmt: skip
    REGISTRY[_code] = dataclasses.replace(REGISTRY[_code], current_only=True)

DASHBOARD = ("employers", "positions", "residents", "job_seekers", "employed", "page_visits")


def money_or_number(value):
    """A value as JSON and cells carry it: money (Decimal) as a float of two decimals, counts as ints."""
    return float(value) if isinstance(value, Decimal) else value


def describe_record(record) -> dict:
    """A record behind a figure as lists show it: its kind, a masked name, its area (common.pii masks)."""
    if isinstance(record, Resident):
        name = mask_name(record.name)
    elif getattr(record, "resident_id", None):
        name = mask_name(record.resident.name)
    else:
        name = getattr(record, "name", None) or getattr(record, "title", None) or ""
    return {
        "id": record.pk,
        "kind": str(record._meta.verbose_name),
        "name": name,
        "area_code": getattr(record, "area_code", "") or "",
    }


# --- formal registrations and the national indicators (people.stats; definitions: INDICATORS.md) --------

REGISTRATIONS = "就业失业登记"


def _registration_flows(prefix, period):
    return registrations.registration_figures(Area(prefix), period.start, period.end)


def _unemployment_rate(prefix, period):
    return registrations.registered_unemployment_rate(Area(prefix), period.as_of)


def _registered_people(flow):
    """The residents behind one of people.stats' registration filters for an area and period."""
    return lambda prefix, period: registrations.people(flow(Area(prefix), period.start, period.end))


for _entry in (
    Figure("urban_new_jobs", "城镇新增就业（人，期间，扣除自然减员）",
           "期间内在城镇新实现就业（就业登记）的人数，减去同期因退休、死亡等自然减员终止城镇就业登记的人数。",
           "人", FLOW, REGISTRATIONS, _registration_flows, _attr("urban_net"),
           _registered_people(registrations.new_urban_employment),
           additive=False, counts_records=False),
    Figure("reemployed_unemployed", "失业人员再就业（人，期间）",
           "期间内办理失业登记的失业人员中实现就业（就业登记之日失业登记仍有效）的人数。", "人", FLOW, REGISTRATIONS,
           _registration_flows, _attr("reemployed"), _registered_people(registrations.reemployed_unemployed),
           additive=False),
    Figure("difficulty_employed", "就业困难人员就业（人，期间）",
           "期间内经认定的就业困难人员（就业登记之日认定仍在有效期内）实现就业的人数。", "人", FLOW, REGISTRATIONS,
           _registration_flows, _attr("difficulty_employed"), _registered_people(registrations.difficulty_employed),
           additive=False),
    Figure("registered_unemployment_rate", "城镇登记失业率（%，期末）",
           "期末城镇登记失业人数 ÷（城镇从业人员 + 城镇登记失业人数）× 100%；城镇从业人员取统计部门数据，"
           "按区域和年度配置（城镇从业人员基数），未配置的区域不计算此项。", "%", STOCK, REGISTRATIONS,
           _unemployment_rate, _attr("rate"),
           lambda prefix, period: registrations.people(registrations.registered_unemployed(Area(prefix), period.as_of)),
           additive=False, counts_records=False),
):  # fmt: skip
    register(_entry)

# --- gigs and sharing ---

from jobcircle.gigs import stats as gig_stats  # noqa: E402 - the block stays self-contained (issue 20)

GIGS = "零工市场与共享员工"


def _gig_figures(prefix, period):
    return gig_stats.gig_figures(Area(prefix), period.start, period.end)


def _sharing_figures(prefix, period):
    return gig_stats.sharing_figures(Area(prefix), period.start, period.end)


def _gig_records(flow):
    """The records behind one of gigs.stats' period filters for an area."""
    return lambda prefix, period: flow(Area(prefix), period.start, period.end).order_by("id")


for _entry in (
    Figure("gigs_posted", "发布零工（个，期间内首次发布）",
           "期间内首次发布（审核通过进入招募）的零工任务个数，不论其后是否招满、结束或取消。", "个", FLOW, GIGS,
           _gig_figures, _attr("gigs"), _gig_records(gig_stats.published_gigs)),
    Figure("gig_places", "零工名额（人，期间内发布零工的需要人数）",
           "期间内首次发布的零工任务的需要人数之和。", "人", FLOW, GIGS,
           _gig_figures, _attr("places"), _gig_records(gig_stats.published_gigs), counts_records=False),
    Figure("gig_signups", "零工服务（人次，期间内报名）",
           "期间内零工报名的人次，一人报名两个零工计两人次，不论其后结果。", "人次", FLOW, GIGS,
           _gig_figures, _attr("signups"), _gig_records(gig_stats.signups_made)),
    Figure("gig_deals", "零工达成（人次，期间内确认用工）",
           "期间内发布方确认用工（达成）的零工报名人次，不论其后是否到岗完工。", "人次", FLOW, GIGS,
           _gig_figures, _attr("deals"), _gig_records(gig_stats.deals)),
    Figure("gig_income", "零工报酬（元，期间内完工记录）",
           "期间内完工的零工报名所记录的报酬之和（平台只记录双方约定的报酬，不代为支付）。", "元", FLOW, GIGS,
           _gig_figures, _attr("income_yuan"), _gig_records(gig_stats.paid), counts_records=False, money=True),
    Figure("gig_walk_ins", "零工驿站来访（人次，期间）", "期间内各零工驿站登记的来访人次。", "人次", FLOW, GIGS,
           _gig_figures, _attr("walk_ins"), _gig_records(gig_stats.walk_ins)),
    Figure("sharing_person_times", "共享员工（人次，期间内履行的协议）",
           "期间内处于履行中或已结束、借调期间与统计期间重叠的共享用工协议中本人已同意的员工人次（按调出方区域统计）。",
           "人次", FLOW, GIGS, _sharing_figures, _attr("person_times"), _gig_records(gig_stats.shared_people)),
    Figure("sharing_enterprises", "共享员工涉及企业（家，期间内按企业去重）",
           "上述协议的调出和调入企业数，一家参加多份协议计一家。", "家", FLOW, GIGS,
           _sharing_figures, _attr("enterprises"), _gig_records(gig_stats.sharing_enterprises), additive=False),
):  # fmt: skip
    register(_entry)


# --- households ---
# 零就业家庭 动态清零 (households.stats, from the spells the daily run records) and supply and demand by
# occupation (insights.occupations).

from jobcircle.households import stats as household_stats  # noqa: E402

from . import occupations as occupation_stats  # noqa: E402

HOUSEHOLDS = "零就业家庭"
OCCUPATIONS = "职业供求"


def _occupation_headline(prefix, period):
    return occupation_stats.headline(Area(prefix), period.start, period.end)


def _shortage_jobs(prefix, period):
    codes = _occupation_headline(prefix, period).shortage_codes
    jobs = Job.objects.none()
    for code in codes:
        jobs = jobs | occupation_stats.jobs_of(Area(prefix), period.as_of, code)
    return jobs.order_by("area_code", "id")


def _zero_clearance(prefix, period):
    return household_stats.zero_employment_clearance(Area(prefix), period.start, period.as_of)


def _zero_spells(select):
    return lambda prefix, period: select(prefix, period).select_related("household").order_by("area_code", "id")


for _entry in (
    Figure("zero_households_found", "新认定零就业家庭（户，期间）",
           "期间内新列入零就业家庭名单的家庭户数：劳动年龄内有就业能力和意愿的成员至少一人、劳动年龄内无人就业"
           "（已就业或灵活就业，按就业状态记录），且无经营性、财产性收入。", "户", FLOW, HOUSEHOLDS,
           _zero_clearance, _attr("found"),
           _zero_spells(lambda p, period: household_stats.found_between(Area(p), period.start, period.as_of))),
    Figure("zero_households_cleared", "零就业家庭清零（户，期间）",
           "期间内移出零就业家庭名单（有成员实现就业，或不再有劳动年龄内有就业意愿的成员）的家庭户数。", "户", FLOW,
           HOUSEHOLDS, _zero_clearance, _attr("cleared"),
           _zero_spells(lambda p, period: household_stats.cleared_between(Area(p), period.start, period.as_of))),
    Figure("zero_households_open", "零就业家庭未清零（户，期末）",
           "期末（进行中的期间为今天）仍在零就业家庭名单上的家庭户数。", "户", STOCK, HOUSEHOLDS,
           _zero_clearance, _attr("open"),
           _zero_spells(lambda p, period: household_stats.open_at(Area(p), period.as_of))),
    Figure("zero_households_days_open", "零就业家庭平均在册天数（天，期末未清零的家庭）",
           "期末仍在名单上的零就业家庭自列入之日至期末的天数的平均数（四舍五入到整天），没有时为0。", "天", STOCK,
           HOUSEHOLDS, _zero_clearance, _attr("days_open"),
           _zero_spells(lambda p, period: household_stats.open_at(Area(p), period.as_of)),
           additive=False, counts_records=False),
    Figure("job_seeker_ratio", "求人倍率（倍，期末）",
           "期末岗位需求（在招岗位剩余招聘人数）÷ 期末求职人数，保留两位小数；无人求职时为0。", "倍", STOCK,
           OCCUPATIONS, _occupation_headline, _attr("ratio"), _open_jobs, additive=False, counts_records=False),
    Figure("occupation_shortage_top5", "缺口最大的5个职业岗位缺口合计（人，期末）",
           "按职业小类，期末岗位需求减求职人数（意向该小类的求职者）之差最大的5个职业（仅计缺口为正的）的缺口之和；"
           "职业名单见“职业供求”页面。", "人", STOCK, OCCUPATIONS, _occupation_headline, _attr("shortage_top"),
           _shortage_jobs, additive=False, counts_records=False),
):  # fmt: skip
    register(_entry)

# --- subsidies ---
# 补贴发放 per shipped policy (subsidies.stats.ledger_figures; INDICATORS.md 补贴发放): the ledger's entries dated in
# the period, net of clawbacks. Three figures a policy: beneficiaries (人/家), payments (人次/家次), amount (元).

SUBSIDIES = "就业补贴"
SUBSIDY_FIGURES = ("transport", "flexible_insurance", "job_search", "poverty_hire", "job_retention", "welfare_post")


def _subsidy_policy(code):
    from jobcircle.subsidies.models import Policy  # local import: the subsidies block stays in one hunk

    return Policy.objects.filter(code=code).first()


def _subsidy_source(code):
    def source(prefix, period):
        from jobcircle.subsidies import stats as subsidy_stats  # local import: the subsidies block stays in one hunk

        policy = _subsidy_policy(code)
        if policy is None:
            return {"beneficiaries": 0, "person_times": 0, "amount_yuan": Decimal("0.00")}
        return subsidy_stats.ledger_figures(policy, Area(prefix), period.start, period.end)

    return source


def _subsidy_records(code, listing):
    def records(prefix, period):
        from jobcircle.subsidies import stats as subsidy_stats  # local import: the subsidies block stays in one hunk
        from jobcircle.subsidies.models import Payment  # local import: the subsidies block stays in one hunk

        policy = _subsidy_policy(code)
        if policy is None:
            return Payment.objects.none()
        return getattr(subsidy_stats, listing)(policy, Area(prefix), period.start, period.end)

    return records


def _subsidy_figures():
    from jobcircle.subsidies.data_policies import POLICIES  # local import: the subsidies block stays in one hunk

    for spec in (s for s in POLICIES if s["code"] in SUBSIDY_FIGURES):
        code, name = spec["code"], spec["name"]
        people, times = ("人", "人次") if spec["beneficiary_kind"] == "person" else ("家", "家次")
        source = _subsidy_source(code)
        yield Figure(
            f"subsidy_{code}_people",
            f"享受{name}（{people}，期间，按对象去重）",
            f"期间内发放{name}且未追回的对象数，一{people[0]}多笔计一{people[0]}。",
            people,
            FLOW,
            SUBSIDIES,
            source,
            _key("beneficiaries"),
            _subsidy_records(code, "beneficiaries"),
            additive=False,
        )
        yield Figure(
            f"subsidy_{code}_times",
            f"发放{name}（{times}，期间）",
            f"期间内发放{name}且未追回的笔数。",
            times,
            FLOW,
            SUBSIDIES,
            source,
            _key("person_times"),
            _subsidy_records(code, "payments"),
        )
        yield Figure(
            f"subsidy_{code}_amount",
            f"发放{name}金额（元，期间，扣除追回）",
            f"期间内{name}的发放金额减去期间内追回的金额。",
            "元",
            FLOW,
            SUBSIDIES,
            source,
            _key("amount_yuan"),
            _subsidy_records(code, "payments"),
            counts_records=False,
            money=True,
        )


for _entry in _subsidy_figures():  # fmt: skip
    register(_entry)

# --- training ---
# Skills training and internships (training.stats; definitions beside each function there and INDICATORS.md
# 就业见习在岗人数). A programme and its trainees count in the area of the venue; interns in that of the position.
from jobcircle.training import stats as training_stats  # noqa: E402 - the block stays whole for the merge

TRAINING = "职业技能培训与就业见习"


def _training(prefix, period):
    return training_stats.training_figures(Area(prefix), period.start, period.end)


def _internships(prefix, period):
    return training_stats.internship_figures(Area(prefix), period.start, period.end, period.as_of)


def _training_records(name):
    """The records behind a training figure: ``training.stats.<name>(area, start, end)``."""
    return lambda prefix, period: getattr(training_stats, name)(Area(prefix), period.start, period.end)


for _entry in (
    Figure("training_programmes", "开展各类培训（期，期间开班）",
           "期间内开班（已开班、结业、核验或补贴申领）的培训项目期数，按开班日期计入期间。", "期", FLOW, TRAINING,
           _training, _key("programmes"), _training_records("programmes_held")),
    Figure("training_trainees", "培训（人次，期间开班的项目）",
           "期间内开班的培训项目中未退出的学员人次，一人参加两期计两人次。", "人次", FLOW, TRAINING,
           _training, _key("trainees"), _training_records("trainees")),
    Figure("training_poverty_trainees", "其中脱贫人口（人次，期间开班的项目）",
           "上述学员中属于脱贫人口（含监测对象）的人次。", "人次", FLOW, TRAINING,
           _training, _key("poverty_trainees"), _training_records("poverty_trainees")),
    Figure("training_completed", "培训结业（人次，期间）", "期间内结业（出勤达到最低要求）的学员人次。", "人次", FLOW,
           TRAINING, _training, _key("completed"), _training_records("completed")),
    Figure("training_employed_after", "培训后就业（人次，期间结业、结业后6个月内）",
           "期间内结业的学员中，结业之日起6个月内就业状态变为已就业或灵活就业、或有入职登记的人次（截至统计时）。",
           "人次", FLOW, TRAINING, _training, _key("employed_after"), _training_records("employed_after_training")),
    Figure("training_employment_rate", "培训后就业率（%，期间结业）",
           "培训后就业人次 ÷ 期间结业人次 × 100%，保留一位小数；期间无人结业时为0。", "%", FLOW, TRAINING,
           _training, lambda result: result["employment_rate"] or 0, _training_records("completed"),
           additive=False, counts_records=False),
    Figure("internship_bases", "就业见习基地（个，期末）", "期末已认定、未撤销且在有效期内的就业见习基地数。", "个",
           STOCK, TRAINING, _internships, _key("bases"),
           lambda prefix, period: training_stats.bases_on(Area(prefix), period.as_of)),
    Figure("internship_positions", "募集见习岗位（个，期间）", "期间内募集的就业见习岗位的见习人数之和。", "个", FLOW,
           TRAINING, _internships, _key("positions"), _training_records("positions_raised"), counts_records=False),
    Figure("interns_on_post", "见习在岗（人，期末）",
           "期末（进行中的期间为今天）当天在岗见习的人数：已开始见习、尚未结束。", "人", STOCK, TRAINING,
           _internships, _key("on_post"),
           lambda prefix, period: training_stats.interns_on_post(Area(prefix), period.as_of)),
    Figure("interns_started", "新增见习（人次，期间）", "期间内开始见习的人次，不论其后是否仍在岗。", "人次", FLOW,
           TRAINING, _internships, _key("started"), _training_records("interns_started")),
    Figure("interns_retained", "见习期满留用（人，期间）", "期间内见习期满且被见习单位留用的人数。", "人", FLOW,
           TRAINING, _internships, _key("retained"), _training_records("interns_retained")),
    Figure("intern_retention_rate", "见习留用率（%，期间）",
           "期间内见习期满留用人数 ÷ 期间内见习期满人数 × 100%，保留一位小数；期间无人期满时为0。", "%", FLOW,
           TRAINING, _internships, lambda result: result["retention_rate"] or 0,
           _training_records("interns_finished"), additive=False, counts_records=False),
):  # fmt: skip
    register(_entry)


# --- entrepreneurship ---
# 创业担保贷款, start-ups and incubation bases (entrepreneurship.stats: one service per figure, definitions there).
from jobcircle.entrepreneurship import stats as entrepreneurship  # noqa: E402

ENTREPRENEURSHIP = "创业服务"


def _loan_figures(prefix, period):
    return entrepreneurship.loan_figures(Area(prefix), period.start, period.end)


def _training_success(prefix, period):
    return entrepreneurship.training_success(Area(prefix), period.start, period.end)


def _training_completions(prefix, period):
    enrolments = entrepreneurship.entrepreneurship_training_completions(Area(prefix), period.start, period.end)
    return enrolments.select_related("resident").order_by("area_code", "id")


def _loans(kind=None):
    def records(prefix, period):
        qs = entrepreneurship.loans_disbursed(Area(prefix), period.start, period.end)
        return (qs.filter(borrower_kind=kind) if kind else qs).select_related("employer").order_by("area_code", "id")

    return records


def _startups(prefix, period, **filters):
    qs = entrepreneurship.startups_registered(Area(prefix), period.start, period.end).filter(**filters)
    return qs.order_by("area_code", "id")


for _entry in (
    Figure("guarantee_loans", "发放创业担保贷款（笔，期间）",
           "期间内银行放款的创业担保贷款笔数（个人贷款与小微企业贷款）。",
           "笔", FLOW, ENTREPRENEURSHIP, _loan_figures, _attr("loans"), _loans()),
    Figure("guarantee_loan_amount", "发放创业担保贷款金额（元，期间）", "期间内银行放款的创业担保贷款放款金额之和。",
           "元", FLOW, ENTREPRENEURSHIP, _loan_figures, _attr("amount_yuan"), _loans(), counts_records=False,
           money=True),
    Figure("guarantee_loans_personal", "其中个人创业担保贷款（笔，期间）", "期间内放款的个人创业担保贷款笔数。", "笔",
           FLOW, ENTREPRENEURSHIP, _loan_figures, _attr("personal_loans"), _loans("person")),
    Figure("guarantee_loans_business", "其中小微企业创业担保贷款（笔，期间）", "期间内放款的小微企业创业担保贷款笔数。",
           "笔", FLOW, ENTREPRENEURSHIP, _loan_figures, _attr("business_loans"), _loans("business")),
    Figure("guarantee_loan_business_amount", "其中小微企业贷款金额（元，期间）",
           "期间内放款的小微企业创业担保贷款金额之和。",
           "元", FLOW, ENTREPRENEURSHIP, _loan_figures, _attr("business_amount_yuan"), _loans("business"),
           counts_records=False, money=True),
    Figure("loan_supported_people", "创业担保贷款直接扶持创业（人，期间）",
           "期间内放款的创业担保贷款的借款人（个人或小微企业）数，同一借款人计一次。", "人", FLOW, ENTREPRENEURSHIP,
           _loan_figures, _attr("supported_people"), _loans(), counts_records=False),
    Figure("loan_jobs_created", "创业担保贷款带动就业（人，期间）", "期间内放款的创业担保贷款登记的带动就业人数之和。",
           "人", FLOW, ENTREPRENEURSHIP, _loan_figures, _attr("jobs_created"), _loans(), counts_records=False),
    Figure("loan_overdue_rate", "创业担保贷款逾期率（%，期末）",
           "期末逾期（应还款超过规定天数未还）贷款的未还本金 ÷ 已放款未结清贷款的未还本金 × 100%。", "%", STOCK,
           ENTREPRENEURSHIP, lambda prefix, period: entrepreneurship.overdue_rate(Area(prefix), period.as_of),
           lambda value: value,
           lambda prefix, period: entrepreneurship.overdue_loans(Area(prefix), period.as_of).order_by("id"),
           additive=False, counts_records=False),
    Figure("startups", "新增创业实体（户，期间）",
           "期间内登记的个体工商户和私营企业（由本县居民创办或在本县登记）户数。",
           "户", FLOW, ENTREPRENEURSHIP,
           lambda prefix, period: entrepreneurship.startup_figures(Area(prefix), period.start, period.end),
           _attr("startups"), _startups),
    Figure("startups_sole", "其中个体工商户（户，期间）", "期间内登记的个体工商户户数。", "户", FLOW, ENTREPRENEURSHIP,
           lambda prefix, period: entrepreneurship.startup_figures(Area(prefix), period.start, period.end),
           _attr("sole"), lambda prefix, period: _startups(prefix, period, kind="sole")),
    Figure("startups_private", "其中私营企业（家，期间）", "期间内登记的私营企业户数。", "家", FLOW, ENTREPRENEURSHIP,
           lambda prefix, period: entrepreneurship.startup_figures(Area(prefix), period.start, period.end),
           _attr("private"), lambda prefix, period: _startups(prefix, period, kind="private")),
    Figure("returnee_startups", "其中返乡创业（户，期间）",
           "期间内登记的创业实体中，经营者登记前24个月内有外出务工监测记录或本人申报返乡创业的户数。", "户", FLOW,
           ENTREPRENEURSHIP,
           lambda prefix, period: entrepreneurship.startup_figures(Area(prefix), period.start, period.end),
           _attr("returnee"), lambda prefix, period: _startups(prefix, period).exclude(returnee_source="")),
    Figure("incubation_bases", "创业孵化基地（园区）（个，期末）",
           "期末已认定（县级及以上）的创业孵化基地、返乡创业园和退役军人创业园地个数。",
           "个", STOCK, ENTREPRENEURSHIP,
           lambda prefix, period: entrepreneurship.base_figures(Area(prefix), period.as_of), _attr("bases"),
           lambda prefix, period: entrepreneurship.bases_on(Area(prefix), period.as_of).order_by("area_code", "id")),
    Figure("incubation_tenants", "在孵创业实体（户，期末）", "期末在创业孵化基地（园区）入驻、尚未迁出的创业实体户数。",
           "户", STOCK, ENTREPRENEURSHIP,
           lambda prefix, period: entrepreneurship.base_figures(Area(prefix), period.as_of), _attr("tenants"),
           lambda prefix, period: entrepreneurship.tenants_on(Area(prefix), period.as_of).order_by("area_code", "id")),
    Figure("entrepreneurship_trainees", "创业培训结业（人，期间）",
           "期间内结业的创业培训（SYB/GYB/IYB，按培训地点所在区域）学员人数，一人多次结业计一人。", "人", FLOW,
           ENTREPRENEURSHIP, _training_success, _attr("trainees"), _training_completions, additive=False),
    Figure("entrepreneurship_success_rate", "创业成功率（%，期间内结业的创业培训学员）",
           "期间内创业培训结业人数中，结业之日起12个月内登记创业实体的人数 ÷ 结业人数 × 100%，保留两位小数；"
           "无人结业时为0。", "%", FLOW, ENTREPRENEURSHIP, _training_success, _attr("rate"), _training_completions,
           additive=False, counts_records=False),
):  # fmt: skip
    register(_entry)


# --- communities ---
# “三公里”充分就业社区 (communities.services): the live 达标率 of the area's communities for the period's year,
# and the communities the city certified for that year. Targets (plans) set on these codes read them.

from jobcircle.communities import services as community_services  # noqa: E402

COMMUNITIES = "充分就业社区"


def _community_compliance(prefix, period):
    return community_services.compliance(Area(prefix), period.end.year, on=period.as_of)


def _passing_communities(prefix, period):
    assessments = community_services.assess_area(Area(prefix), period.end.year, on=period.as_of)
    return Region.objects.filter(code__in=[a.community.code for a in assessments if a.passed]).order_by("code")


def _certified_communities(prefix, period):
    return community_services.certified(Area(prefix), period.end.year).order_by("area_code", "id")


for _entry in (
    Figure("community_compliance_rate", "充分就业社区达标率（%，期末）",
           "期末按适用的充分就业社区评价标准（最新版本）实时评价，全部指标达标的社区/村数 ÷ 社区/村总数 × 100，"
           "保留两位小数；标准年度取期间末所在年度。", "%", STOCK, COMMUNITIES, _community_compliance, _attr("rate"),
           _passing_communities, additive=False, counts_records=False),
    Figure("communities_certified", "认定充分就业社区（个，年度）",
           "期间末所在年度经社区申报、乡镇初审、县审核、市级认定的“三公里”充分就业社区个数。", "个", STOCK,
           COMMUNITIES, _community_compliance, _attr("certified"), _certified_communities),
    Figure("community_certified_rate", "充分就业社区认定率（%，年度）",
           "期间末所在年度市级认定的充分就业社区数 ÷ 社区/村总数 × 100，保留两位小数。", "%", STOCK, COMMUNITIES,
           _community_compliance, _attr("certified_rate"), _certified_communities, additive=False,
           counts_records=False),
):  # fmt: skip
    register(_entry)
