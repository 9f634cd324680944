"""The work report (工作情况汇报): registered figures in the bureaus' sentences, frozen when issued.

- staff pick an area and a period and type 存在问题 / 下步打算 (kept per area and period);
- a background task (``insights.tasks``) reads every registered figure for the area, its previous
  period and the same period last year, and for each area one level down (the appendix), stores them
  (``WorkReportFigure``), writes the .docx from the template (docxtpl) and the appendix (openpyxl);
- a figure with no data (0 or none) is left out of the prose, never printed as 0;
- a report once issued never changes; generating the same area and period again makes a new report
  and lists the figures that moved since the last one.
"""

import datetime
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobcircle.areas.models import Region
from jobcircle.assistance.periods import month_end
from jobcircle.assistance.stats import compare_with_previous, previous_period, sub_areas, wan_yuan
from jobcircle.common import progress as task_progress
from jobcircle.common.exports import NUMBER, Column, build_workbook, workbook_bytes

from . import figures as registry
from .models import WorkReport, WorkReportFigure, WorkReportNotes

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "report_templates" / "work_report.docx"
PROGRESS_KIND = "insights.work_report"

# One paragraph per domain: its opening words and its clauses, each (figure code, wording around the number).
# A clause whose figure has no data is left out; a paragraph with no clause left is left out.
# A clause with a third element is a part of the clause before it (no comparison): consecutive parts with
# the same lead are listed after it, "，其中脱贫人口3人、监测对象1人".
PARAGRAPHS = (
    ("就业失业登记方面", (
        ("urban_new_jobs", "城镇新增就业{}人"), ("reemployed_unemployed", "失业人员再就业{}人"),
        ("difficulty_employed", "就业困难人员就业{}人"), ("registered_unemployment_rate", "城镇登记失业率{}%"),
    )),
    ("平台建设方面", (
        ("employers", "平台注册用工单位{}家"), ("residents", "登记居民{}人"), ("job_seekers", "其中正在求职{}人"),
        ("employed", "通过平台实现就业{}人"),
    )),
    ("招聘服务方面", (
        ("fairs", "组织各类招聘会{}场"), ("fair_enterprises", "参会企业{}家"), ("fair_positions", "提供岗位{}个"),
        ("fair_attendees", "进场求职{}人次"), ("fair_intentions", "达成就业意向{}人"),
        ("fair_hires", "现场实现入职{}人次"),
    )),
    ("公益性岗位方面", (
        ("welfare_posts", "开发公益性岗位{}个"), ("welfare_on_duty", "公益性岗位在岗{}人"),
        ("welfare_on_duty_poverty_alleviated", "脱贫人口{}人", "其中"),
        ("welfare_on_duty_monitored", "监测对象{}人", "其中"),
        ("welfare_on_duty_employment_difficulty", "就业困难人员{}人", "其中"),
        ("welfare_on_duty_disabled", "残疾人{}人", "其中"),
        ("welfare_on_duty_urban", "城镇公益性岗位{}人", ""), ("welfare_on_duty_rural", "乡村公益性岗位{}人", ""),
        ("welfare_placed", "新安置{}人"), ("welfare_subsidy", "拨付补贴{}万元"),
    )),
    ("帮扶车间方面", (
        ("workshops", "共有帮扶车间{}个"), ("workshops_new", "今年新增{}个", "其中"),
        ("workshops_normal", "正常运行{}个"), ("workshops_buffer", "缓冲监测{}个"),
        ("workshop_workers", "吸纳务工{}人"),
        ("workshop_key_workers", "脱贫人口和监测对象{}人", "其中"), ("workshop_subsidy", "拨付车间补贴{}万元"),
    )),
    ("就业帮扶方面", (
        ("willing", "未就业且有就业意愿{}人"), ("assisted", "已开展一对一帮扶{}人"),
        ("service_1131_done", "其中完成“1131”服务{}人"), ("monitoring_tasks", "本月应监测{}人"),
        ("monitoring_done", "已完成监测{}人"), ("away_now", "外出务工{}人"), ("cases_open", "在帮{}件"),
    )),
    ("零工市场和共享员工方面", (
        ("gigs_posted", "发布零工{}个"), ("gig_places", "需要{}人"), ("gig_signups", "服务零工{}人次"),
        ("gig_deals", "达成用工{}人次"), ("gig_income", "记录零工报酬{}万元"),
        ("gig_walk_ins", "零工驿站接待来访{}人次"),
        ("sharing_person_times", "共享员工{}人次"), ("sharing_enterprises", "涉及企业{}家"),
    )),
    ("务工就业方面", (
        ("work_scale", "脱贫劳动力（含监测对象）务工{}人"), ("work_scale_local", "本县{}人", "其中"),
        ("work_scale_in_province", "省内县外{}人", "其中"), ("work_scale_out_of_province", "省外{}人", "其中"),
        ("rural_transfer", "农村劳动力转移就业{}人"),
    )),
    ("零就业家庭动态清零和职业供求方面", (
        ("zero_households_found", "新认定零就业家庭{}户"), ("zero_households_cleared", "清零{}户"),
        ("zero_households_open", "期末尚未清零{}户"), ("occupation_shortage_top5", "缺口最大的5个职业岗位缺口合计{}人"),
    )),
    ("就业补贴方面", (  # subsidies.stats through the registry: per policy, people then 万元
        ("subsidy_transport_people", "发放一次性交通补贴{}人"), ("subsidy_transport_amount", "{}万元"),
        ("subsidy_flexible_insurance_times", "为就业困难人员申办灵活就业社保补贴{}人次"),
        ("subsidy_flexible_insurance_amount", "发放补贴{}万元"),
        ("subsidy_job_search_people", "发放困难高校毕业生一次性求职创业补贴{}人"),
        ("subsidy_job_search_amount", "{}万元"),
        ("subsidy_poverty_hire_people", "为{}家企业"), ("subsidy_poverty_hire_times", "发放企业吸纳脱贫人口补贴{}家次"),
        ("subsidy_poverty_hire_amount", "{}万元"),
        ("subsidy_job_retention_people", "稳岗返还{}户"), ("subsidy_job_retention_amount", "{}万元"),
    )),
    ("职业技能培训与就业见习方面", (
        ("training_programmes", "开展各类培训{}期"), ("training_trainees", "培训{}人次"),
        ("training_poverty_trainees", "其中脱贫人口{}人次"), ("training_completed", "结业{}人次"),
        ("training_employed_after", "结业后6个月内就业{}人次"), ("internship_bases", "共有就业见习基地{}个"),
        ("internship_positions", "募集见习岗位{}个"), ("interns_on_post", "见习在岗{}人"),
        ("interns_retained", "期满留用{}人"),
    )),
    ("创业服务方面", (
        ("guarantee_loans", "发放创业担保贷款{}笔"), ("guarantee_loan_amount", "{}万元"),
        ("guarantee_loan_business_amount", "其中小微企业贷款{}万元"), ("loan_supported_people", "直接扶持{}人创业"),
        ("loan_jobs_created", "带动{}人就业"), ("startups_private", "新增私营企业{}家"),
        ("startups_sole", "个体工商户{}户"), ("returnee_startups", "其中返乡创业{}户"),
        ("incubation_bases", "创业孵化基地{}个"),
    )),
    ("“三公里”充分就业社区创建方面", (
        ("community_compliance_rate", "社区/村按评价标准达标率{}%"),
        ("communities_certified", "年内认定充分就业社区{}个"), ("community_certified_rate", "认定率{}%"),
    )),
)  # fmt: skip


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def same_period_last_year(period: registry.Period) -> tuple[datetime.date, datetime.date]:
    """The same dates a year earlier; a period ending on a month's last day ends on that month's last day."""
    end = _year_before(period.end)
    return _year_before(period.start), month_end(end) if period.end == month_end(period.end) else end


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _has_data(value) -> bool:
    return value is not None and value != 0


def _shown(code, value) -> str:
    if registry.REGISTRY[code].money:
        return f"{wan_yuan(value)}"
    if registry.REGISTRY[code].unit == "%":
        return f"{value}"
    return f"{int(value)}"


def _compared(code, current, previous, last_year) -> str:
    """ "，比上期632人多17人，比去年同期600人多49人" — only for figures of the period, only with data."""
    figure = registry.REGISTRY[code]
    if figure.current_only or figure.money or figure.unit == "%":
        return ""
    parts = []
    if _has_data(previous):
        parts.append(compare_with_previous(int(current), int(previous), figure.unit))
    if _has_data(last_year):
        # the same wording rule as the previous period's, naming the year before instead
        parts.append(compare_with_previous(int(current), int(last_year), figure.unit).replace("上期", "去年同期"))
    return "".join(f"，{part}" for part in parts)


def _clauses(clauses, values: dict, previous: dict, last_year: dict) -> list[str]:
    """The paragraph's clauses with data; a part (a clause with a lead) joins its whole, the clause before it,
    and is left out with it."""
    said: list[str] = []
    whole_said, last_lead = False, None
    for code, wording, *part in clauses:
        has_data = code in values and _has_data(values[code])
        if not part:
            whole_said, last_lead = has_data, None
        if not has_data or (part and not whole_said):
            continue
        text = wording.format(_shown(code, values[code]))
        if part:
            said[-1] += f"、{text}" if part[0] == last_lead else f"，{part[0]}{text}"
            last_lead = part[0]
        else:
            said.append(text + _compared(code, values[code], previous.get(code), last_year.get(code)))
    return said


def achievements(values: dict, previous: dict, last_year: dict) -> list[str]:
    """一、主要工作及成效: a paragraph per domain, the clauses whose figures have data."""
    out = []
    for opening, clauses in PARAGRAPHS:
        said = _clauses(clauses, values, previous, last_year)
        if said:
            out.append(f"{opening}，" + "；".join(said) + "。")
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def request_work_report(*, by, area_prefix: str, period: registry.Period, problems="", plans="") -> WorkReport:
    """Keep the staff's 存在问题 / 下步打算 for the area and period, and queue the report's generation.

    - the area is one the caller's scope covers (the view checks it with ``region_in_scope_or_404``);
    - the texts are kept per area and period, so the next report of that period starts from them.
    """
    from .tasks import generate_work_report_task  # local import: the task module imports this one to run it

    region = Region.objects.get(code=area_prefix.ljust(12, "0"))
    WorkReportNotes.objects.update_or_create(
        area_code=region.code, period_start=period.start, period_end=period.end,
        defaults={"problems": problems, "plans": plans},
    )  # fmt: skip
    progress = task_progress.start(PROGRESS_KIND, by=by, area_code=region.code, message="排队中")
    report = WorkReport.objects.create(
        area_code=region.code, area_name=region.full_name or region.name, period_start=period.start,
        period_end=period.end, period_label=period.label, problems=problems, plans=plans, progress=progress,
        created_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    transaction.on_commit(lambda: generate_work_report_task.enqueue(report.pk))
    return report


def notes_for(area_prefix: str, period: registry.Period) -> WorkReportNotes | None:
    return WorkReportNotes.objects.filter(
        area_code=area_prefix.ljust(12, "0"), period_start=period.start, period_end=period.end
    ).first()


def generate_work_report(report_id: int) -> WorkReport:
    """Compute, freeze and write one queued report (run by the background task)."""
    report = WorkReport.objects.get(pk=report_id)
    try:
        return _generate(report)
    except Exception:
        WorkReport.objects.filter(pk=report.pk).update(status=WorkReport.Status.FAILED)
        if report.progress_id:
            task_progress.finish(report.progress_id, message="生成失败，请重试或联系管理员", failed=True)
        raise


def _generate(report: WorkReport) -> WorkReport:
    region = Region.objects.get(code=report.area_code)
    prefix = region.scope_prefix
    period = registry.Period(report.period_start, report.period_end, report.period_label)
    before = registry.Period(*previous_period(period.start, period.end), "上期")
    a_year_ago = registry.Period(*same_period_last_year(period), "去年同期")
    areas = [area for area in sub_areas(region) if area.code != report.area_code]
    steps = 3 + len(areas) + 1
    progress_id = report.progress_id
    if progress_id:
        task_progress.advance(progress_id, 0, total=steps, message="正在统计本期指标")
    values = registry.evaluate(prefix, period)
    if progress_id:
        task_progress.advance(progress_id, 1, message="正在统计上期指标")
    # figures read as of now are never compared (``current_only``): not computed again for other periods
    compared = [code for code, figure in registry.REGISTRY.items() if not figure.current_only]
    previous = registry.evaluate(prefix, before, compared)
    if progress_id:
        task_progress.advance(progress_id, 2, message="正在统计去年同期指标")
    last_year = registry.evaluate(prefix, a_year_ago, compared)
    by_area = []
    for index, area in enumerate(areas, start=3):
        if progress_id:
            task_progress.advance(progress_id, index, message=f"正在统计{area.name}")
        by_area.append((area, registry.evaluate(area.scope_prefix, period)))
    rows = [
        WorkReportFigure(report=report, code=code, label=registry.REGISTRY[code].label,
                         unit=registry.REGISTRY[code].unit, area_code=report.area_code, area_name=report.area_name,
                         value=_number(value), previous=_number(previous.get(code)),
                         last_year=_number(last_year.get(code)))
        for code, value in values.items()
    ] + [
        WorkReportFigure(report=report, code=code, label=registry.REGISTRY[code].label,
                         unit=registry.REGISTRY[code].unit, area_code=area.code, area_name=area.name,
                         value=_number(value))
        for area, area_values in by_area for code, value in area_values.items()
    ]  # fmt: skip
    report.paragraphs = achievements(values, previous, last_year)
    report.moved = _moved_since_last(report, values)
    report.docx = render_docx(report)
    with transaction.atomic():
        WorkReportFigure.objects.bulk_create(rows)
        report.xlsx = appendix_xlsx(report)
        report.status = WorkReport.Status.ISSUED
        report.issued_at = timezone.now()
        report.save(update_fields=["paragraphs", "moved", "docx", "xlsx", "status", "issued_at"])
    if progress_id:
        task_progress.finish(progress_id, result={"report_id": report.pk}, message="已生成")
    return report


def _moved_since_last(report: WorkReport, values: dict) -> list[dict]:
    """The figures whose value differs from the last issued report of the same area and period."""
    last = (
        WorkReport.objects.filter(
            area_code=report.area_code, period_start=report.period_start, period_end=report.period_end,
            status=WorkReport.Status.ISSUED,
        ).exclude(pk=report.pk).order_by("-issued_at", "-id").first()
    )  # fmt: skip
    if last is None:
        return []
    before = {row.code: row.value for row in last.figures.filter(area_code=report.area_code)}
    moved = []
    for code, value in values.items():
        old, new = before.get(code), _number(value)
        if code in before and old != new:
            moved.append({
                "code": code, "label": registry.REGISTRY[code].label,
                "before": None if old is None else float(old), "after": None if new is None else float(new),
            })  # fmt: skip
    return moved


def template_path() -> Path:
    """The county's own template when configured (JOBCIRCLE_WORK_REPORT_TEMPLATE), else the shipped one."""
    configured = getattr(settings, "JOBCIRCLE_WORK_REPORT_TEMPLATE", "")
    return Path(configured) if configured else DEFAULT_TEMPLATE


def render_docx(report: WorkReport) -> bytes:
    from docxtpl import DocxTemplate  # local import: docxtpl (lxml, Jinja2) only where a report is written

    document = DocxTemplate(str(template_path()))
    document.render({
        "title": f"{report.area_name}{report.period_label}就业工作情况汇报",
        "area": report.area_name,
        "period": report.period_label,
        "achievements": report.paragraphs,
        "problems": _lines(report.problems),
        "plans": _lines(report.plans),
        "issued_on": f"{timezone.localdate():%Y年%m月%d日}",
    })  # fmt: skip
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def appendix_xlsx(report: WorkReport) -> bytes:
    """附表: every figure of the report, one column per township and the report's own area."""
    rows = list(report.figures.order_by("id"))
    areas = []
    for row in rows:
        if (row.area_code, row.area_name) not in areas and row.area_code != report.area_code:
            areas.append((row.area_code, row.area_name))
    areas.append((report.area_code, "合计" if len(areas) else report.area_name))
    table: dict[str, dict] = {}
    for row in rows:
        table.setdefault(row.code, {"label": row.label, "unit": row.unit})[row.area_code] = row.value
    columns = [Column("指标", lambda r: r["label"], width=40), Column("单位", lambda r: r["unit"], width=8)] + [
        Column(name, lambda r, code=code: None if r.get(code) is None else float(r[code]), NUMBER)
        for code, name in areas
    ]
    workbook = build_workbook([(f"附表 {report.period_label}", columns, list(table.values()))])
    return workbook_bytes(workbook)
