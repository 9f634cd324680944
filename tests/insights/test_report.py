"""The work report: figures from the registry in the bureaus' sentences, frozen when issued, with its appendix.

The county is built through the services (builders.py); the report's numbers are checked against what
was built, by opening the .docx (python-docx) and the appendix (openpyxl).
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from jobcircle.accounts.access import scope_for_user
from jobcircle.assistance.periods import add_months
from jobcircle.assistance.stats import compare_with_previous, wan_yuan
from jobcircle.insights.figures import evaluate, parse_period
from jobcircle.insights.models import WorkReport, WorkReportNotes
from jobcircle.insights.report import achievements, request_work_report, same_period_last_year
from jobcircle.recruiting.services import create_job_fair
from tests.assistance.factories import this_month

from .builders import URBAN_EMPLOYED_BASE, build_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_county(county_admin, town, community, neighbour_community, other_township, village):
    return build_county(county_admin, [(town, [community, neighbour_community]), (other_township, [village])])


def issue(by, prefix, period, capture, **texts):
    with capture(execute=True):
        report = request_work_report(by=by, area_prefix=prefix, period=period, **texts)
    report.refresh_from_db()
    return report


def docx_text(report):
    return "\n".join(p.text for p in Document(io.BytesIO(bytes(report.docx))).paragraphs)


def a_fair(by, area, day):
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return create_job_fair(by=by, scope=scope_for_user(by), data={
        "name": "专场招聘会", "kind": "comprehensive", "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2), "venue": "广场", "area_code": area.code})  # fmt: skip


def test_the_report_says_what_was_built(county_admin, county, test_county, django_capture_on_commit_callbacks):
    period = parse_period(None)
    report = issue(county_admin, county.scope_prefix, period, django_capture_on_commit_callbacks,
                   problems="部分村就业信息更新不及时\n帮扶车间用工不稳定", plans="开展春风行动")  # fmt: skip
    assert report.status == WorkReport.Status.ISSUED and report.progress.status == "done"
    text = docx_text(report)
    assert f"{county.name}{period.label}就业工作情况汇报" in text
    for sentence in (
        f"组织各类招聘会{test_county.fairs}场", f"参会企业{test_county.fair_employers}家",
        f"提供岗位{test_county.fair_positions}个", f"进场求职{test_county.sign_ins}人次",
        f"达成就业意向{test_county.intentions}人", f"开发公益性岗位{test_county.welfare_posts}个",
        f"新安置{test_county.welfare_placed}人", f"共有帮扶车间{test_county.workshops}个",
        f"吸纳务工{test_county.shop_workers}人，其中脱贫人口和监测对象{test_county.shop_key_workers}人",
        f"未就业且有就业意愿{test_county.willing}人", f"外出务工{test_county.away}人",
        f"平台注册用工单位{test_county.employers}家", f"登记居民{test_county.residents}人",
    ):  # fmt: skip
        assert sentence in text, sentence
    assert "二、存在问题\n部分村就业信息更新不及时\n帮扶车间用工不稳定\n三、下步打算\n开展春风行动" in text
    notes = WorkReportNotes.objects.get(area_code=county.code, period_start=period.start)
    assert notes.plans == "开展春风行动"


def test_the_clauses_added_since_say_what_was_built(county_admin, county, test_county,
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    """Registrations, the welfare split, the workshops' extras and the work scale, each from the built county."""
    text = docx_text(issue(county_admin, county.scope_prefix, parse_period(None), django_capture_on_commit_callbacks))
    unemployed, base = test_county.registered_unemployed, URBAN_EMPLOYED_BASE * test_county.communities
    rate = (Decimal(unemployed * 100) / Decimal(base + unemployed)).quantize(Decimal("0.01"))
    on_duty = test_county.welfare_placed  # everybody placed this month is still on a post
    for sentence in (
        f"就业失业登记方面，城镇新增就业{test_county.registered_employed}人；"
        f"失业人员再就业{test_county.registered_employed}人；就业困难人员就业{test_county.registered_employed}人；"
        f"城镇登记失业率{rate}%。",
        f"公益性岗位在岗{on_duty}人，其中脱贫人口{on_duty}人、监测对象{on_duty}人、就业困难人员{on_duty}人、"
        f"残疾人{on_duty}人，城镇公益性岗位{test_county.welfare_urban}人、乡村公益性岗位{test_county.welfare_rural}人；"
        f"新安置{test_county.welfare_placed}人",
        f"共有帮扶车间{test_county.workshops}个，",  # then its comparisons (the older workshop was there last month)
        f"其中今年新增{test_county.shops_new}个；正常运行{test_county.shops_normal}个，",
        f"缓冲监测{test_county.shops_buffer}个；",
        f"拨付车间补贴{wan_yuan(test_county.shop_subsidy)}万元。",
        f"务工就业方面，脱贫劳动力（含监测对象）务工{test_county.work_scale}人，其中本县{test_county.work_local}人、"
        f"省内县外{test_county.work_in_province}人、省外{test_county.work_out_of_province}人；"
        f"农村劳动力转移就业{test_county.work_scale}人。",
    ):
        assert sentence in text, sentence


def test_a_part_is_left_out_with_its_whole():
    values = {"welfare_posts": 2, "welfare_on_duty": 0, "welfare_on_duty_poverty_alleviated": 3, "welfare_placed": 1}
    assert achievements(values, {}, {}) == ["公益性岗位方面，开发公益性岗位2个；新安置1人。"]
    values |= {"welfare_on_duty": 5, "welfare_on_duty_monitored": 2, "welfare_on_duty_rural": 5}
    assert achievements(values, {"welfare_on_duty": 4}, {}) == [
        "公益性岗位方面，开发公益性岗位2个；公益性岗位在岗5人，比上期4人多1人，其中脱贫人口3人、监测对象2人，"
        "乡村公益性岗位5人；新安置1人。"
    ]


def test_a_figure_without_data_is_left_out_never_printed_as_zero(
    county_admin, county, test_county, django_capture_on_commit_callbacks
):
    a_year_ago = parse_period(f"{this_month().year - 1}-{this_month().month:02d}")
    text = docx_text(issue(county_admin, county.scope_prefix, a_year_ago, django_capture_on_commit_callbacks))
    achievements = text.split("一、主要工作及成效")[1].split("二、存在问题")[0]
    assert "招聘会" not in achievements and "公益性岗位" not in achievements and "外出务工" not in achievements
    assert re.findall(r"(?<![0-9])0(?:人|个|场|家|件|万元)", achievements) == [] and "*" not in achievements
    assert f"平台注册用工单位{test_county.employers}家" in achievements  # a current figure stays


def test_sentences_compare_with_the_previous_period_and_the_same_period_last_year(
    county_admin, county, town, django_capture_on_commit_callbacks
):
    period = parse_period(None)
    a_fair(county_admin, town, period.start)
    a_fair(county_admin, town, period.start)
    a_fair(county_admin, town, add_months(period.start, -1))
    a_fair(county_admin, town, same_period_last_year(period)[0])
    text = docx_text(issue(county_admin, county.scope_prefix, period, django_capture_on_commit_callbacks))
    said = compare_with_previous(2, 1, "场")
    assert f"组织各类招聘会2场，{said}，{said.replace('上期', '去年同期')}" in text


def test_an_issued_report_is_frozen_and_regenerating_shows_what_moved(
    county_admin, county, town, test_county, django_capture_on_commit_callbacks
):
    period = parse_period(None)
    first = issue(county_admin, county.scope_prefix, period, django_capture_on_commit_callbacks)
    a_fair(county_admin, town, period.start)
    assert first.figures.get(code="fairs", area_code=county.code).value == test_county.fairs
    again = issue(county_admin, county.scope_prefix, period, django_capture_on_commit_callbacks)
    moved = {item["code"]: (item["before"], item["after"]) for item in again.moved}
    assert moved == {"fairs": (test_county.fairs, test_county.fairs + 1)}
    first.refresh_from_db()
    assert f"组织各类招聘会{test_county.fairs}场" in docx_text(first)


def test_the_appendix_has_a_column_per_township_and_the_total(
    county_admin, county, town, other_township, test_county, django_capture_on_commit_callbacks
):
    period = parse_period(None)
    report = issue(county_admin, county.scope_prefix, period, django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(bytes(report.xlsx))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("指标", "单位", town.name, other_township.name, "合计")
    by_label = {row[0]: row[2:] for row in rows[1:]}
    for code, label in (
        ("fairs", "组织招聘会（场，期间）"),
        ("workshop_workers", "帮扶车间吸纳务工（人，期末月最近核查）"),
    ):
        expected = [evaluate(prefix, period, [code])[code] for prefix in
                    (town.scope_prefix, other_township.scope_prefix, county.scope_prefix)]  # fmt: skip
        assert list(by_label[label]) == expected


def test_staff_generate_a_report_from_the_screen_and_download_it(
    client, county_admin, county, test_county, django_capture_on_commit_callbacks
):
    client.force_login(county_admin)
    today = timezone.localdate()
    form = {"area": county.code, "kind": "month", "year": today.year, "part": today.month,
                  "problems": "问题一", "plans": "打算一"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the task runs once the request has committed
        response = client.post(reverse("insights:report_list"), form)
    report = WorkReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("insights:report_detail", args=[report.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and report.get_status_display() in page.content.decode()
    download = client.get(reverse("insights:report_docx", args=[report.pk]))
    assert download.status_code == 200 and f"组织各类招聘会{test_county.fairs}场" in "\n".join(
        p.text for p in Document(io.BytesIO(download.content)).paragraphs
    )
    assert client.get(reverse("insights:report_xlsx", args=[report.pk])).status_code == 200


def test_a_bad_period_is_refused_beside_its_field(client, county_admin, county):
    client.force_login(county_admin)
    response = client.post(reverse("insights:report_list"), {"area": county.code, "kind": "quarter", "year": 2026,
                                                             "part": 5})  # fmt: skip
    assert response.status_code == 200 and "part" in response.context["form"].errors
    response = client.post(reverse("insights:report_list"), {"area": county.code, "kind": "custom", "year": 2026,
                                                             "start": "2026-03-01", "end": "2026-02-01"})  # fmt: skip
    assert "end" in response.context["form"].errors and not WorkReport.objects.exists()


def test_another_townships_report_is_404_and_residents_get_403(
    client, township_staff, other_township_staff, resident_user, town, django_capture_on_commit_callbacks
):
    report = issue(township_staff, town.scope_prefix, parse_period(None), django_capture_on_commit_callbacks)
    client.force_login(other_township_staff)
    assert client.get(reverse("insights:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("insights:report_docx", args=[report.pk])).status_code == 404
    assert (
        client.post(reverse("insights:report_list"), {"area": town.code, "kind": "year", "year": 2026}).status_code
        == 200
    )
    assert WorkReport.objects.count() == 1  # another area is not offered: the form refuses it
    client.force_login(resident_user)
    assert client.get(reverse("insights:report_list")).status_code == 403
