"""Excel ledger imports (ECO-08, SEC-34): header matching, row validation, all-or-nothing, idempotence."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from jobcircle.assistance.enums import CaseState, ImportKind, ImportState
from jobcircle.assistance.imports.services import confirm_import, submit_import
from jobcircle.assistance.ledgers import LEDGERS, template_workbook
from jobcircle.assistance.models import AssistanceCase, ImportBatch, MonitoringRecord, MonitoringTask, WelfarePlacement
from jobcircle.assistance.monitoring.services import generate_monitoring_tasks
from jobcircle.common import pii
from jobcircle.common.exports import workbook_bytes
from jobcircle.common.models import AuditEvent, TaskProgress
from jobcircle.common.uploads import stored_path
from jobcircle.people.models import EmploymentStatusChange, KeyGroupChange, Resident
from jobcircle.people.services import NOT_REGISTRABLE_HERE
from tests.factories import demo_id_number, demo_phone, with_check_digit

from .factories import months_ago, tagged_resident, welfare_post, workshop

pytestmark = pytest.mark.django_db

RESIDENT_HEADERS = ["姓名", "身份证号", "手机号", "社区代码", "文化程度", "就业状态", "是否求职", "重点群体"]


def xlsx(headers, rows, *, above=()):
    """A workbook typed cell by cell (strings stay text, numbers stay numbers), as staff produce them."""
    workbook = Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content, name="台账.xlsx"):
    return SimpleUploadedFile(name, content)


def resident_rows(community, count=3):
    return [
        [f"导入居民{i}", demo_id_number(), demo_phone(), community.code, "初中", "未就业", "是", "脱贫人口、农民工"]
        for i in range(count)
    ]


def run(user, kind, content, *, confirm=True):
    batch = submit_import(by=user, kind=kind, upload=upload(content))
    if confirm and batch.state == ImportState.PREVIEWED:
        batch = confirm_import(batch, by=user)
    batch.refresh_from_db()
    return batch


def error_rows(batch):
    sheet = load_workbook(stored_path(batch.error_file))["错误清单"]
    return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2) if row[0].value or row[2].value]


# --- templates -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ImportKind))
def test_every_template_has_its_chinese_headers_text_id_cells_and_drop_downs(kind, community):
    ledger = LEDGERS[kind]
    workbook = load_workbook(io.BytesIO(workbook_bytes(template_workbook(kind, communities=[community]))))
    sheet = workbook[ledger.title]
    assert [c.value for c in sheet[1]] == [f.header for f in ledger.fields]
    for index, f in enumerate(ledger.fields, start=1):
        if f.identity:
            assert sheet.cell(row=2, column=index).number_format == "@"
            assert sheet.column_dimensions[get_column_letter(index)].number_format == "@"
    choice_columns = sum(1 for f in ledger.fields if f.choices)
    assert len(sheet.data_validations.dataValidation) == choice_columns
    assert "填写说明" in workbook.sheetnames and "社区代码表" in workbook.sheetnames


# --- residents ----------------------------------------------------------------------------------


def test_a_resident_ledger_is_previewed_then_imported_in_one_go(community, community_staff):
    rows = resident_rows(community)
    batch = submit_import(by=community_staff, kind=ImportKind.RESIDENTS, upload=upload(xlsx(RESIDENT_HEADERS, rows)))
    assert batch.state == ImportState.PREVIEWED
    assert (batch.created_count, batch.updated_count) == (len(rows), 0)
    assert not Resident.objects.exists()  # the preview wrote nothing
    assert TaskProgress.objects.get(pk=batch.progress_id).status == TaskProgress.Status.DONE
    batch = confirm_import(batch, by=community_staff)
    batch.refresh_from_db()
    assert batch.state == ImportState.APPLIED and batch.created_count == len(rows)
    for row in rows:
        person = Resident.objects.by_id_number(row[1]).get()
        assert person.name == row[0] and pii.decrypt(person.id_number_encrypted) == row[1]
        assert set(person.key_groups.values_list("code", flat=True)) == {"poverty_alleviated", "migrant_worker"}
        assert person.is_job_seeking and person.employment_status == "unemployed"
        assert EmploymentStatusChange.objects.filter(resident=person, note="台账导入").exists()


def test_importing_the_same_file_twice_changes_nothing(community, community_staff):
    content = xlsx(RESIDENT_HEADERS, resident_rows(community))
    first = run(community_staff, ImportKind.RESIDENTS, content)
    second = run(community_staff, ImportKind.RESIDENTS, content)
    assert second.state == ImportState.DUPLICATE and second.duplicate_of == first
    assert (second.created_count, second.updated_count) == (0, 0)
    assert Resident.objects.count() == first.created_count


def test_the_same_rows_in_a_different_file_are_upserted_as_unchanged(community, community_staff):
    rows = resident_rows(community)
    run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    again = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows, above=[["重新整理的台账"]]))
    assert again.state == ImportState.APPLIED
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, len(rows))
    assert Resident.objects.count() == len(rows)


def test_reordered_columns_with_extra_ones_and_a_title_line_still_import(community, community_staff):
    rows = resident_rows(community, 2)
    order = [7, 3, 1, 0, 2]  # 重点群体, 社区代码, 身份证号, 姓名, 手机号 — and an unknown column
    headers = [RESIDENT_HEADERS[i] for i in order] + ["备注（本表不导入）"]
    content = xlsx(headers, [[r[i] for i in order] + ["x"] for r in rows], above=[["某社区重点群体台账"]])
    batch = run(community_staff, ImportKind.RESIDENTS, content)
    assert batch.state == ImportState.APPLIED and batch.created_count == len(rows)
    assert Resident.objects.by_id_number(rows[1][1]).get().name == rows[1][0]


def test_changed_rows_update_the_resident_and_its_history(community, community_staff):
    rows = resident_rows(community, 2)
    run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    rows[0][5], rows[0][2] = "已就业", demo_phone()
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    person = Resident.objects.by_id_number(rows[0][1]).get()
    assert person.employment_status == "employed" and pii.decrypt(person.phone_encrypted) == rows[0][2]
    assert person.status_history.count() == 2


def test_a_numeric_id_cell_is_refused_with_its_row_and_nothing_is_written(community, community_staff):
    rows = resident_rows(community)
    rows[1][1] = int(rows[1][1][:15])  # what Excel keeps of an ID typed into a number cell
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    assert batch.state == ImportState.REJECTED
    assert not Resident.objects.exists()
    [(row, column, reason)] = error_rows(batch)
    assert (row, column) == (3, "身份证号") and reason.startswith("请以文本格式填写身份证号")


def test_a_file_with_one_bad_row_writes_nothing_and_the_error_sheet_names_the_row(community, community_staff):
    existing = tagged_resident(community, "graduate")
    rows = resident_rows(community, 4)
    rows[2][1] = with_check_digit(rows[2][1][:17], wrong=True)
    rows[3][4] = "大学"  # not a 文化程度 label
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    assert batch.state == ImportState.REJECTED and batch.error_count == 2
    assert list(Resident.objects.all()) == [existing]
    errors = error_rows(batch)
    assert [(row, column) for row, column, _ in errors] == [(4, "身份证号"), (5, "文化程度")]
    assert "校验位" in errors[0][2] and "可选" in errors[1][2]


def test_duplicates_in_the_file_and_communities_outside_the_area_are_row_errors(
    community, neighbour_community, community_staff
):
    rows = resident_rows(community, 2)
    rows.append([*rows[0][:2], demo_phone(), *rows[0][3:]])
    rows.append(["外社区居民", demo_id_number(), demo_phone(), neighbour_community.code, "", "", "", ""])
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    assert [(r, c) for r, c, _ in error_rows(batch)] == [(4, "身份证号"), (5, "社区代码")]
    assert not Resident.objects.exists()


def test_a_resident_registered_outside_the_area_is_not_overwritten(community, neighbour_community, community_staff):
    outsider = tagged_resident(neighbour_community, "graduate")
    row = ["改名", pii.decrypt(outsider.id_number_encrypted), "", community.code, "", "", "", ""]
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, [row]))
    assert batch.state == ImportState.REJECTED
    outsider.refresh_from_db()
    assert outsider.area_code == neighbour_community.code and outsider.name != "改名"


def test_a_number_held_outside_the_area_is_refused_without_revealing_the_person(
    community, neighbour_community, community_staff
):
    """Issue 22 item 11 for the import: the registration's one neutral message, on no column, for both numbers."""
    outsider = tagged_resident(neighbour_community)
    phone = pii.decrypt(outsider.phone_encrypted)
    rows = [
        ["新居民", demo_id_number(), phone, community.code, "", "", "", ""],
        ["改名", pii.decrypt(outsider.id_number_encrypted), "", community.code, "", "", "", ""],
    ]
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    assert batch.state == ImportState.REJECTED
    assert error_rows(batch) == [(2, None, NOT_REGISTRABLE_HERE), (3, None, NOT_REGISTRABLE_HERE)]
    assert Resident.objects.count() == 1


def test_a_phone_held_by_another_resident_of_the_area_says_so(community, community_staff):
    insider = tagged_resident(community)
    row = ["新居民", demo_id_number(), pii.decrypt(insider.phone_encrypted), community.code, "", "", "", ""]
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, [row]))
    assert batch.state == ImportState.REJECTED
    [(line, column, reason)] = error_rows(batch)
    assert (line, column) == (2, "手机号") and "已被其他居民登记" in reason
    assert Resident.objects.count() == 1


def test_key_groups_from_a_ledger_are_logged_with_the_import_as_their_source(client, community, community_staff):
    """Issue 22 item 2: the ledger file is the evidence; each resident whose groups grow gets a log row."""
    rows = resident_rows(community, 2)
    rows[1][7] = ""  # no key groups: nothing to log
    batch = submit_import(by=community_staff, kind=ImportKind.RESIDENTS, upload=upload(xlsx(RESIDENT_HEADERS, rows)))
    assert not KeyGroupChange.objects.exists()  # the preview writes no log either
    batch = confirm_import(batch, by=community_staff)
    batch.refresh_from_db()
    change = KeyGroupChange.objects.get()
    assert change.resident == Resident.objects.by_id_number(rows[0][1]).get()
    assert (change.added, change.removed, change.source, change.import_batch, change.changed_by) == (
        ["migrant_worker", "poverty_alleviated"], [], "import", batch, community_staff
    )  # fmt: skip
    assert batch.original_name in change.evidence
    client.force_login(community_staff)
    page = client.get(reverse("people:resident_detail", args=[change.resident_id])).content.decode()
    assert "台账导入" in page and reverse("assistance:import_detail", args=[batch.pk]) in page

    rows[0][7] = "脱贫人口、农民工、残疾人"  # a later ledger adds one group to the registered resident
    second = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows[:1]))
    assert second.state == ImportState.APPLIED
    assert KeyGroupChange.objects.get(import_batch=second).added == ["disabled"]
    event = AuditEvent.objects.filter(action="people.resident.key_groups_changed").latest("id")
    assert (event.object_id, event.data) == (str(second.pk), {"source": "import", "residents": 1})


def test_a_missing_required_column_is_reported_for_the_file(community, community_staff):
    batch = run(community_staff, ImportKind.RESIDENTS, xlsx(["姓名", "手机号"], [["张三", demo_phone()]]))
    assert batch.state == ImportState.REJECTED
    [(row, column, reason)] = error_rows(batch)
    assert column == "身份证号、社区代码" and reason == "缺少必填列"


def test_the_upload_gate_refuses_a_renamed_executable(community_staff):
    with pytest.raises(ValidationError):
        submit_import(by=community_staff, kind=ImportKind.RESIDENTS, upload=upload(b"MZ" + b"\0" * 64))
    assert not ImportBatch.objects.exists()


# --- monitoring ----------------------------------------------------------------------------------

MONITORING_HEADERS = [
    "身份证号",
    "姓名",
    "监测月份",
    "就业状态",
    "务工地点",
    "就业单位",
    "本年务工月数",
    "月收入（元）",
    "未就业原因",
    "有无就业意愿",
    "备注",
]


def monitoring_row(person, month, status="已就业", **cells):
    row = {
        "身份证号": pii.decrypt(person.id_number_encrypted),
        "姓名": person.name,
        "监测月份": f"{month:%Y-%m}",
        "就业状态": status,
        "务工地点": "省外" if status == "已就业" else None,
        "本年务工月数": 1,
        "月收入（元）": 5200 if status == "已就业" else None,
        "未就业原因": None if status == "已就业" else "缺乏技能",
        "有无就业意愿": None if status == "已就业" else "是",
        **cells,
    }
    return [row.get(h) for h in MONITORING_HEADERS]


def test_monitoring_records_import_completes_tasks_and_opens_cases(community, community_staff):
    away, idle = tagged_resident(community, "poverty_alleviated"), tagged_resident(community, "monitored")
    generate_monitoring_tasks(months_ago(1))
    rows = [monitoring_row(away, months_ago(1)), monitoring_row(idle, months_ago(1), status="未就业")]
    batch = run(community_staff, ImportKind.MONITORING, xlsx(MONITORING_HEADERS, rows))
    assert batch.state == ImportState.APPLIED and batch.created_count == 2
    assert not MonitoringTask.objects.filter(month=months_ago(1), state="pending").exists()
    assert MonitoringRecord.objects.get(resident=away).work_location == "out_of_province"
    assert AssistanceCase.objects.get(resident=idle).state == CaseState.OPEN
    again = run(community_staff, ImportKind.MONITORING, xlsx(MONITORING_HEADERS, rows, above=[["复制件"]]))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_a_monitoring_row_for_a_wrong_name_or_unknown_person_rolls_back_the_file(community, community_staff):
    known = tagged_resident(community, "poverty_alleviated")
    rows = [
        monitoring_row(known, months_ago(1)),
        monitoring_row(known, months_ago(2), 姓名="别人"),
        [demo_id_number(), "查无此人", f"{months_ago(1):%Y-%m}", "已就业", "本县", None, 1, 3000, None, None, None],
        monitoring_row(known, months_ago(3), status="未就业", 有无就业意愿=None),
    ]
    batch = run(community_staff, ImportKind.MONITORING, xlsx(MONITORING_HEADERS, rows))
    assert batch.state == ImportState.REJECTED
    assert [(r, c) for r, c, _ in error_rows(batch)] == [(3, "姓名"), (4, "身份证号"), (5, "有无就业意愿")]
    assert not MonitoringRecord.objects.exists()


# --- public-welfare placements and workshops ------------------------------------------------------

PLACEMENT_HEADERS = ["身份证号", "姓名", "岗位编号", "上岗日期", "协议期满日期", "离岗日期", "离岗原因"]


def test_placements_import_places_and_exits_people_and_refuses_ineligible_ones(community, community_staff):
    post = welfare_post(community, headcount=3)
    stays, leaves = tagged_resident(community, "poverty_alleviated"), tagged_resident(community, "disabled")
    rows = [
        [pii.decrypt(stays.id_number_encrypted), stays.name, post.code, months_ago(2), None, None, None],
        [
            pii.decrypt(leaves.id_number_encrypted),
            leaves.name,
            post.code,
            months_ago(3),
            None,
            months_ago(1),
            "本人辞职",
        ],
    ]
    batch = run(community_staff, ImportKind.WELFARE_PLACEMENTS, xlsx(PLACEMENT_HEADERS, rows))
    assert batch.state == ImportState.APPLIED and batch.created_count == 2
    assert WelfarePlacement.objects.active().get().resident == stays
    assert WelfarePlacement.objects.get(resident=leaves).exit_reason == "resigned"
    graduate = tagged_resident(community, "graduate")
    rows.append([pii.decrypt(graduate.id_number_encrypted), graduate.name, post.code, months_ago(1), None, None, None])
    batch = run(community_staff, ImportKind.WELFARE_PLACEMENTS, xlsx(PLACEMENT_HEADERS, rows))
    assert batch.state == ImportState.REJECTED
    assert [(r, c) for r, c, _ in error_rows(batch)] == [(4, "身份证号")]
    assert WelfarePlacement.objects.count() == 2


WORKSHOP_HEADERS = [
    "车间编号",
    "车间名称",
    "社区代码",
    "经营主体",
    "认定日期",
    "检查月份",
    "运行状态",
    "务工人数",
    "其中脱贫人口",
    "本月补贴（元）",
]


def test_workshops_import_registers_and_checks_them_idempotently(community, community_staff):
    existing = workshop(community)
    rows = [
        [
            existing.code,
            existing.name,
            community.code,
            existing.operator_name,
            existing.certified_on,
            f"{months_ago(1):%Y-%m}",
            "正常运行",
            30,
            12,
            2000,
        ],
        [
            "CJ-NEW-1",
            "新车间",
            community.code,
            "某合作社",
            months_ago(2),
            f"{months_ago(1):%Y-%m}",
            "缓冲监测",
            8,
            3,
            0,
        ],
    ]
    first = run(community_staff, ImportKind.WORKSHOPS, xlsx(WORKSHOP_HEADERS, rows))
    assert first.state == ImportState.APPLIED and first.created_count == 2  # a new check, a new workshop
    second = run(community_staff, ImportKind.WORKSHOPS, xlsx(WORKSHOP_HEADERS, rows, above=[["副本"]]))
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    rows[1][7], rows[1][8] = 5, 6  # more poverty-alleviated workers than workers
    third = run(community_staff, ImportKind.WORKSHOPS, xlsx(WORKSHOP_HEADERS, rows))
    assert [(r, c) for r, c, _ in error_rows(third)] == [(3, "其中脱贫人口")]


def test_the_uploaded_file_is_deleted_once_imported(community, community_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = run(community_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, resident_rows(community, 1)))
    assert batch.state == ImportState.APPLIED
    assert not stored_path(batch.stored_name).exists()


def test_a_preview_whose_file_has_expired_asks_for_a_new_upload(community, community_staff):
    batch = submit_import(
        by=community_staff, kind=ImportKind.RESIDENTS, upload=upload(xlsx(RESIDENT_HEADERS, resident_rows(community)))
    )
    stored_path(batch.stored_name).unlink()  # what purge_uploads does after 24 hours
    batch = confirm_import(batch, by=community_staff)
    assert batch.state == ImportState.FAILED and "重新上传" in batch.message
    assert not Resident.objects.exists()
