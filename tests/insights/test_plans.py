"""目标任务 and 重点任务分工 (insights.plans): targets read their progress from the registry, against the time
elapsed, with red/amber/green and a township ranking; the key-task table with dated notes and overdue
tasks. Known answers built here; another area 404, residents 403, bad input named."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from jobcircle.insights import plans
from jobcircle.insights.models import KeyTask, Target
from jobcircle.people import services as people_services
from jobcircle.people.models import UrbanEmployedBase
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

YEAR = 2026


def employed(community, by, *days):
    for day in days:
        people_services.record_employment_registration(
            ResidentFactory(community=community), by=by, data={"registered_on": day}
        )


@pytest.fixture
def split_target(county, town, other_township, community, village, county_admin):
    """城镇新增就业 2026: county 10, split town 6 / other township 4; by the end of June the town has
    3 (one in July does not count yet), the other township 1: 50% (green), 25% (red), county 40% (amber)."""
    employed(community, county_admin, datetime.date(YEAR, 2, 1), datetime.date(YEAR, 3, 9), datetime.date(YEAR, 5, 30),
             datetime.date(YEAR, 7, 1))  # fmt: skip
    employed(village, county_admin, datetime.date(YEAR, 6, 30))
    target = plans.set_target(county, by=county_admin, year=YEAR, figure_code="urban_new_jobs", value="10")
    plans.split_target(target, by=county_admin, parts={town.code: "6", other_township.code: "4"})
    return target


def test_progress_is_read_against_the_time_elapsed(split_target, town, other_township):
    [county_row] = plans.target_progress([split_target], YEAR, 6)
    assert (county_row.actual, county_row.elapsed, county_row.percent, county_row.rag) == (
        4,
        Decimal("50.0"),
        Decimal("40.0"),
        plans.AMBER,
    )
    ranking = plans.township_ranking(split_target, 6)
    assert [(r.target.area_code, r.actual, r.percent, r.rag) for r in ranking] == [
        (town.code, 3, Decimal("50.0"), plans.GREEN), (other_township.code, 1, Decimal("25.0"), plans.RED)
    ]  # fmt: skip
    assert plans.target_progress([split_target], YEAR, 7)[0].actual == 5


def test_a_figure_without_a_value_has_no_state(county, county_admin):
    target = plans.set_target(county, by=county_admin, year=YEAR, figure_code="registered_unemployment_rate", value=3)
    [row] = plans.target_progress([target], YEAR, 6)
    assert (row.actual, row.percent, row.rag, row.rag_label) == (None, None, None, "无数据")


def test_bad_targets_and_splits_name_their_field(county, town, village, county_admin):
    with pytest.raises(ValidationError) as caught:
        plans.set_target(county, by=county_admin, year=1990, figure_code="nothing", value="-1")
    assert set(caught.value.message_dict) == {"figure_code", "year", "value"}
    target = plans.set_target(county, by=county_admin, year=YEAR, figure_code="urban_new_jobs", value=10)
    with pytest.raises(ValidationError) as caught:
        plans.split_target(target, by=county_admin, parts={town.code: "3"})
    assert "应等于目标10" in caught.value.message_dict["parts"][0]
    with pytest.raises(ValidationError) as caught:
        plans.split_target(target, by=county_admin, parts={village.code: "10"})
    assert "不是本区域的下级区划" in caught.value.message_dict["parts"][0]
    assert Target.objects.count() == 1


def test_the_target_screen_shows_progress_ranking_and_exports_it(client, county_admin, split_target, county):
    client.force_login(county_admin)
    page = client.get(reverse("insights:target_list"), {"year": YEAR, "month": 6})
    assert [row.rag for row in page.context["rows"]] == [plans.AMBER]
    assert [part.rag for part in page.context["rankings"][0][1]] == [plans.GREEN, plans.RED]
    assert "目标任务" in page.content.decode()
    export = client.get(reverse("insights:target_list"), {"year": YEAR, "month": 6, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[3], r[4], r[6]) for r in rows] == [
        (county.name, 4, 40.0, "黄（略滞后）"), ("城关街道", 3, 50.0, "绿（进度达标）"),
        ("李集镇", 1, 25.0, "红（明显滞后）"),
    ]  # fmt: skip


def test_staff_set_targets_in_their_area_only(client, township_staff, other_township_staff, town, county):
    client.force_login(township_staff)
    client.post(reverse("insights:target_set") + f"?year={YEAR}", {"figure_code": "urban_new_jobs", "value": "6"})
    assert Target.objects.get().area_code == town.code
    assert client.get(reverse("insights:target_list"), {"area": county.code}).status_code == 404
    client.force_login(other_township_staff)
    assert client.get(reverse("insights:target_list"), {"area": town.code}).status_code == 404
    assert client.post(reverse("insights:target_split", args=[Target.objects.get().pk]), {}).status_code == 404


def test_residents_get_403_on_the_plan_screens(client, resident_user):
    client.force_login(resident_user)
    for name in ("target_list", "key_task_list"):
        assert client.get(reverse(f"insights:{name}")).status_code == 403


# --- key tasks --------------------------------------------------------------------------------------


def task_data(**overrides):
    return {"title": "开展春风行动专场招聘", "deadline": "2026-03-31", "responsible_unit": "县就业服务中心",
            "lead": "张局长", **overrides}  # fmt: skip


def test_the_key_task_table_highlights_overdue_tasks_and_exports(client, township_staff, town):
    client.force_login(township_staff)
    url = reverse("insights:key_task_list")
    assert client.post(url, task_data()).status_code == 302
    client.post(url, task_data(title="零就业家庭动态清零", deadline="2999-12-31"))
    late, later = KeyTask.objects.order_by("deadline")
    detail = reverse("insights:key_task_detail", args=[later.pk])
    client.post(detail, {"noted_on": "2026-02-01", "text": "已摸排12户", "status": "in_progress"})
    later.refresh_from_db()
    assert later.status == "in_progress" and later.notes.get().text == "已摸排12户"
    page = client.get(url)
    assert [task.overdue for task in page.context["tasks"]] == [True, False]
    assert page.content.decode().count("已逾期") == 1
    sheet = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    assert [c.value for c in sheet[2]] == [
        "序号",
        "重点任务",
        "责任单位",
        "牵头领导/责任人",
        "完成时限",
        "进展情况",
        "状态",
    ]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][6] == "未启动（已逾期）" and rows[1][5] == "02月01日：已摸排12户"


def test_bad_key_task_input_is_named_and_other_areas_get_404(client, township_staff, other_township_staff, town):
    client.force_login(township_staff)
    page = client.post(reverse("insights:key_task_list"), task_data(lead="", deadline="明天"))
    assert set(page.context["form"].errors) == {"lead", "deadline"}
    with pytest.raises(ValidationError) as caught:
        plans.create_key_task(town, by=township_staff, data=task_data(title="", deadline="2026-13-01"))
    assert set(caught.value.message_dict) == {"title", "deadline"}
    task = plans.create_key_task(town, by=township_staff, data=task_data())
    client.force_login(other_township_staff)
    assert client.get(reverse("insights:key_task_detail", args=[task.pk])).status_code == 404
    assert list(client.get(reverse("insights:key_task_list")).context["tasks"]) == []


def test_the_key_task_table_costs_the_same_queries_whatever_its_length(
    client, township_staff, town, django_assert_max_num_queries
):
    for n in range(5):
        task = plans.create_key_task(town, by=township_staff, data=task_data(title=f"任务{n}"))
        plans.add_key_task_note(task, by=township_staff, data={"noted_on": "2026-02-01", "text": "推进中"})
    client.force_login(township_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("insights:key_task_list"))
    assert len(page.context["tasks"]) == 5


def test_the_urban_employed_base_is_entered_on_its_screen_and_feeds_the_rate(
    client, county_admin, township_staff, town, other_township
):
    client.force_login(township_staff)
    url = reverse("insights:urban_employed_base")
    response = client.post(url, {"year": YEAR, "employed": 990, "source": "统计年鉴"})
    assert response.status_code == 302
    base = UrbanEmployedBase.objects.get(area_code=town.code, year=YEAR)
    assert (base.employed, base.source, base.recorded_by) == (990, "统计年鉴", township_staff)
    page = client.get(url)
    assert page.status_code == 200 and list(page.context["bases"]) == [base]
    refused = client.post(url, {"year": YEAR, "employed": -1})
    assert refused.status_code == 200 and "employed" in refused.context["form"].errors
    assert client.get(url, {"area": other_township.code}).status_code == 404
    assert client.post(f"{url}?area={other_township.code}", {"year": YEAR, "employed": 5}).status_code == 404
    assert UrbanEmployedBase.objects.count() == 1


def test_residents_get_403_on_the_urban_employed_base(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("insights:urban_employed_base")).status_code == 403
