"""The four Excel ledgers (台账) as county staff keep them: one column list per ledger, used by the
downloadable template, the importer (matching columns by header) and the export of a ledger view.

Every workbook goes through the one writer, ``common.exports``: IDs as text, formula-looking text
neutralised, real dates, frozen header, drop-down lists for choices, watermark on exports.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from jobcircle.areas.enums import SourceCRS
from jobcircle.common.exports import DATE, MONEY, NUMBER, TEXT, Column, build_workbook, watermark_for
from jobcircle.people.enums import Education, EmploymentStatus
from jobcircle.people.models import KeyGroup

from .enums import ImportKind, NotEmployedReason, PlacementExitReason, WorkLocation, WorkshopStatus

YES_NO = ("是", "否")


@dataclass(frozen=True)
class Field:
    key: str  # the key the cleaning service uses for this value (errors name it)
    header: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14
    aliases: tuple[str, ...] = ()  # other spellings of the header that staff use
    identity: bool = False  # an 18-character 身份证号 that must be typed as text
    hint: str = ""


@dataclass(frozen=True)
class Ledger:
    kind: str
    title: str
    fields: tuple[Field, ...]
    notes: tuple[str, ...] = ()
    row_values: dict[str, Callable] = field(default_factory=dict)  # key → export value of a row
    export_only: tuple[Field, ...] = ()  # columns an export adds after the template's (the importer ignores them)

    def header_for(self, key: str) -> str:
        for f in self.fields:
            if f.key == key:
                return f.header
        return ""

    def template_columns(self) -> list[Column]:
        return [Column(f.header, None, f.kind, f.width, f.choices) for f in self.fields]

    def export_columns(self, values: dict[str, Callable]) -> list[Column]:
        return [Column(f.header, values.get(f.key), f.kind, f.width) for f in (*self.fields, *self.export_only)]


def _labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for label in choices.labels)


COMMON_NOTES = (
    "第一行为表头，请勿修改表头文字；列的顺序可以调整，多余的列会被忽略。",
    "身份证号请以文本格式填写18位（模板中已设为文本格式；粘贴时请选择“只粘贴值”）。",
    "日期填写为 2026-11-05，月份填写为 2026-11。",
    "有下拉选项的列请从下拉列表中选择。",
    "任何一行有错误时整个文件都不会导入，系统会返回错误清单（行号、列名、原因），修改后重新上传即可。",
    "同一文件重复导入不会产生重复数据。",
)

RESIDENTS = Ledger(
    ImportKind.RESIDENTS,
    "居民实名台账",
    (
        Field("name", "姓名", required=True, width=10),
        Field("id_number", "身份证号", required=True, width=22, identity=True, aliases=("公民身份号码", "身份证号码")),
        Field("phone", "手机号", width=14, aliases=("联系电话", "手机号码")),
        Field(
            "community_code",
            "社区代码",
            required=True,
            width=16,
            aliases=("社区/村代码", "所属社区代码", "村（社区）代码"),
        ),
        Field("education", "文化程度", choices=_labels(Education), width=14),
        Field("employment_status", "就业状态", choices=_labels(EmploymentStatus), width=14),
        Field("is_job_seeking", "是否求职", choices=YES_NO, width=10),
        Field("key_groups", "重点群体", width=24, aliases=("人员类别",), hint="多个用顿号分隔，如：脱贫人口、农民工"),
    ),
    notes=(
        "社区代码为12位统计用区划代码，见“社区代码表”工作表。",
        "重点群体可填多个，用顿号“、”分隔；导入只增加重点群体标签，不会删除已有标签。",
        "已登记的居民（按身份证号识别）会被更新；空白单元格不会覆盖已有信息。",
    ),
)

MONITORING = Ledger(
    ImportKind.MONITORING,
    "月度监测记录",
    (
        Field("id_number", "身份证号", required=True, width=22, identity=True, aliases=("公民身份号码", "身份证号码")),
        Field("name", "姓名", required=True, width=10),
        Field("month", "监测月份", required=True, width=12, aliases=("月份",)),
        Field("employment_status", "就业状态", required=True, choices=_labels(EmploymentStatus), width=14),
        Field("work_location", "务工地点", choices=_labels(WorkLocation), width=12, aliases=("就业地点",)),
        Field("employer_name", "就业单位", width=24, aliases=("务工单位",)),
        Field("months_worked", "本年务工月数", kind=NUMBER, width=12),
        Field("monthly_income", "月收入（元）", kind=MONEY, width=12, aliases=("月收入", "月均收入（元）")),
        Field("not_employed_reason", "未就业原因", choices=_labels(NotEmployedReason), width=14),
        Field("wants_work", "有无就业意愿", choices=YES_NO, width=12, aliases=("就业意愿",)),
        Field("note", "备注", width=20),
    ),
    notes=(
        "居民须已在系统中登记（可先导入居民实名台账）；姓名须与登记的一致。",
        "已就业、灵活就业须填写务工地点；未就业须填写未就业原因和有无就业意愿。",
        "同一人同一月份只有一条记录，重复导入会更新该记录。",
    ),
)

WELFARE_PLACEMENTS = Ledger(
    ImportKind.WELFARE_PLACEMENTS,
    "公益性岗位安置台账",
    (
        Field("id_number", "身份证号", required=True, width=22, identity=True, aliases=("公民身份号码", "身份证号码")),
        Field("name", "姓名", required=True, width=10),
        Field("post_code", "岗位编号", required=True, width=22),
        Field("started_on", "上岗日期", kind=DATE, required=True, width=12),
        Field("planned_end_on", "协议期满日期", kind=DATE, width=12),
        Field("exited_on", "离岗日期", kind=DATE, width=12),
        Field("exit_reason", "离岗原因", choices=_labels(PlacementExitReason), width=14),
    ),
    notes=(
        "岗位编号见“公益性岗位”页面；安置对象须为就业困难人员、脱贫人口、监测对象或残疾人。",
        "同一人同一时间只能在一个公益性岗位；已离岗的请填写离岗日期和离岗原因。",
    ),
)

WORKSHOPS = Ledger(
    ImportKind.WORKSHOPS,
    "就业帮扶车间台账",
    (
        Field("code", "车间编号", required=True, width=16),
        Field("name", "车间名称", required=True, width=24),
        Field("community_code", "社区代码", required=True, width=16, aliases=("社区/村代码", "所属社区代码")),
        Field("operator_name", "经营主体", required=True, width=24),
        Field("credit_code", "统一社会信用代码", width=22),
        Field("address", "地址", width=24),
        Field("certified_on", "认定日期", kind=DATE, required=True, width=12),
        Field("month", "检查月份", width=12, hint="填写后同时记录该月检查"),
        Field("status", "运行状态", choices=_labels(WorkshopStatus), width=12),
        Field("workers", "务工人数", kind=NUMBER, width=10, aliases=("吸纳务工人数",)),
        Field("poverty_workers", "其中脱贫人口", kind=NUMBER, width=12, aliases=("其中脱贫人口数",)),
        Field("monitored_workers", "其中监测对象", kind=NUMBER, width=12, aliases=("其中监测对象数",)),
        Field("subsidy_granted", "本月补贴（元）", kind=MONEY, width=12, aliases=("补贴金额（元）",)),
    ),
    notes=(
        "按车间编号识别：已有的车间会被更新。",
        "填写了检查月份时，运行状态、务工人数、其中脱贫人口为必填，并记录为该月的检查结果。",
    ),
    export_only=(Field("carried", "核查说明", width=14),),
)

STATIONS = Ledger(
    ImportKind.STATIONS,
    "就业服务站台账",
    (
        Field("name", "服务站名称", required=True, width=24, aliases=("名称", "服务站")),
        Field("area_code", "社区代码", required=True, width=16,
              aliases=("社区/村代码", "所属社区代码", "区划代码", "乡镇/街道代码"),
              hint="设在乡镇（街道）的服务站填写乡镇代码"),
        Field("address", "地址", required=True, width=30),
        Field("lat", "纬度", kind=NUMBER, required=True, width=12),
        Field("lng", "经度", kind=NUMBER, required=True, width=12),
        Field("coord", "坐标系", choices=_labels(SourceCRS), width=22, hint="不填为 WGS-84（GPS、天地图）"),
    ),
    notes=(
        "按“社区代码 + 服务站名称”识别：已有的服务站会被更新，重复导入不会重复登记。",
        "纬度在前、经度在后；坐标系选高德/腾讯/微信（GCJ-02）或百度（BD-09）时，系统换算为 WGS-84 保存。",
        "没有服务站的社区（村），居民位置暂用所在乡镇（街道）的服务站或社区中心点。",
    ),
)  # fmt: skip

LEDGERS = {ledger.kind: ledger for ledger in (RESIDENTS, MONITORING, WELFARE_PLACEMENTS, WORKSHOPS, STATIONS)}


def _yes_no(value):
    return "是" if value else "否"


def _key_group_names(resident):
    return "、".join(g.name for g in resident.key_groups.all())


def export_values(kind, *, reveal: Callable | None = None) -> dict[str, Callable]:
    """key → row value for a ledger's export; ID numbers and phones masked unless ``reveal`` is given."""
    id_of = reveal or (lambda resident: resident.id_number_masked)
    if kind == ImportKind.RESIDENTS:
        return {
            "name": lambda r: r.name,
            "id_number": id_of,
            "phone": lambda r: r.phone_masked,
            "community_code": lambda r: r.area_code,
            "education": lambda r: r.get_education_display(),
            "employment_status": lambda r: r.get_employment_status_display(),
            "is_job_seeking": lambda r: _yes_no(r.is_job_seeking),
            "key_groups": _key_group_names,
        }
    if kind == ImportKind.MONITORING:
        return {
            "id_number": lambda r: id_of(r.resident),
            "name": lambda r: r.resident.name,
            "month": lambda r: f"{r.month:%Y-%m}",
            "employment_status": lambda r: r.get_employment_status_display(),
            "work_location": lambda r: r.get_work_location_display(),
            "employer_name": lambda r: r.employer_name,
            "months_worked": lambda r: r.months_worked,
            "monthly_income": lambda r: float(r.monthly_income),
            "not_employed_reason": lambda r: r.get_not_employed_reason_display(),
            "wants_work": lambda r: _yes_no(r.wants_work) if r.employment_status == "unemployed" else "",
            "note": lambda r: r.note,
        }
    if kind == ImportKind.WELFARE_PLACEMENTS:
        return {
            "id_number": lambda p: id_of(p.resident),
            "name": lambda p: p.resident.name,
            "post_code": lambda p: p.post.code,
            "started_on": lambda p: p.started_on,
            "planned_end_on": lambda p: p.planned_end_on,
            "exited_on": lambda p: p.exited_on,
            "exit_reason": lambda p: p.get_exit_reason_display(),
        }
    if kind == ImportKind.WORKSHOPS:
        # rows are workshops.stats.MonthRow: the month's check, or the last one carried forward ("沿用10月")
        def check_value(attr, convert=lambda v: v):
            return lambda row: convert(getattr(row.check, attr)) if row.check is not None else None

        return {
            "code": lambda row: row.workshop.code,
            "name": lambda row: row.workshop.name,
            "community_code": lambda row: row.workshop.area_code,
            "operator_name": lambda row: row.workshop.operator_name,
            "credit_code": lambda row: row.workshop.credit_code,
            "address": lambda row: row.workshop.address,
            "certified_on": lambda row: row.workshop.certified_on,
            "month": check_value("month", lambda m: f"{m:%Y-%m}"),
            "status": lambda row: (row.check or row.workshop).get_status_display(),
            "workers": check_value("workers"),
            "poverty_workers": check_value("poverty_workers"),
            "monitored_workers": check_value("monitored_workers"),
            "subsidy_granted": check_value("subsidy_granted", float),  # the check's own month, as the month column
            "carried": lambda row: row.carried_label or ("本月核查" if row.check is not None else "尚未核查"),
        }
    if kind == ImportKind.STATIONS:
        return {
            "name": lambda s: s.name,
            "area_code": lambda s: s.area_code,
            "address": lambda s: s.address,
            "lat": lambda s: s.lat,
            "lng": lambda s: s.lng,
            "coord": lambda s: SourceCRS.WGS84.label,
        }
    raise KeyError(kind)


def template_workbook(kind, *, communities=()):
    """An empty ledger with its headers, drop-downs, text-formatted ID column and a sheet of notes."""
    ledger = LEDGERS[kind]
    sheets = [(ledger.title, ledger.template_columns(), [])]
    notes = [*COMMON_NOTES, *ledger.notes]
    notes += [f"{f.header}：{f.hint}" for f in ledger.fields if f.hint]
    notes += [f"必填列：{'、'.join(f.header for f in ledger.fields if f.required)}"]
    if kind == ImportKind.RESIDENTS:
        notes.append(
            "重点群体可选：" + "、".join(KeyGroup.objects.filter(is_active=True).values_list("name", flat=True))
        )
    sheets.append(("填写说明", [Column("说明", lambda n: n, TEXT, 100)], notes))
    if communities:
        sheets.append(
            (
                "社区代码表",
                [Column("社区代码", lambda c: c.code, TEXT, 16), Column("名称", lambda c: c.full_name, TEXT, 40)],
                communities,
            )
        )
    return build_workbook(sheets, text_rows=500)


def export_residents(kind, rows) -> list:
    """The residents whose ID numbers a ledger's export rows carry (none for workshops and stations)."""
    if kind == ImportKind.RESIDENTS:
        return list(rows)
    if kind in (ImportKind.MONITORING, ImportKind.WELFARE_PLACEMENTS):
        return [row.resident for row in rows]
    return []


def export_workbook(kind, rows, *, user, reveal: Callable | None = None):
    """A ledger view as Excel in the same columns as its template, watermarked with who and when."""
    ledger = LEDGERS[kind]
    columns = ledger.export_columns(export_values(kind, reveal=reveal))
    password = getattr(settings, "JOBCIRCLE_EXPORT_SHEET_PASSWORD", "")  # ECO-09: protected when configured
    return build_workbook([(ledger.title, columns, rows)], watermark=watermark_for(user), protect_password=password)
