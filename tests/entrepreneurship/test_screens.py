"""The back-office screens over the services that had none (issue 15 gaps): the registrations import, 贴息 per
quarter, base tenancies and the yearly award. Each: the area officer acts, another area gets 404 (or sees
nothing of it), a wrong role 403, bad input names the field and writes nothing."""

import datetime

import openpyxl
import pytest

from jobcircle.entrepreneurship.models import BaseAward, IncubationBase, InterestSubsidy, Startup, Tenancy
from jobcircle.subsidies.models import SubsidyApplication
from tests.factories import EmployerFactory, Role, demo_credit_code, demo_id_number, make_user, region

from .conftest import apply, borrower, disburse, walk_to_guaranteed
from .test_repayments import pay

pytestmark = pytest.mark.django_db
B = "/backoffice/entrepreneurship"
HEADER = ["名称", "统一社会信用代码", "法定代表人身份证号", "成立日期", "住所", "主体类型", "行业代码", "从业人数"]


def page(response):
    return response.content.decode()


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- 市场主体登记名单 ------------------------------------------------------------------------------------------


def registrations(tmp_path, rows):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    path = tmp_path / "registrations.xlsx"
    book.save(path)
    return path


def upload(client, path, mode):
    with open(path, "rb") as handle:
        return client.post(f"{B}/registrations/", {"file": handle, "apply": mode})


def test_area_staff_check_then_import_the_registrations_and_a_re_import_changes_nothing(
    client, community, community_staff, tmp_path
):
    number = demo_id_number(datetime.date(1988, 3, 2))
    founder = borrower(community, id_number=number)
    path = registrations(tmp_path, [["返乡小吃店", demo_credit_code(), number, datetime.date(2025, 9, 1), "幸福路2号",
                                     "个体工商户", "", 3]])  # fmt: skip
    client.force_login(community_staff)
    assert "导入市场主体名单" in page(client.get(f"{B}/registrations/"))
    assert 'data-jc-import="checked"' in page(upload(client, path, "check")) and not Startup.objects.exists()
    assert "新增 1 户" in page(upload(client, path, "apply"))
    assert Startup.objects.get().resident == founder
    assert "未变 1 户" in page(upload(client, path, "apply")) and Startup.objects.count() == 1


def test_a_bad_registrations_row_names_its_column_and_writes_nothing(client, community_staff, tmp_path):
    path = registrations(tmp_path, [
        ["好店", demo_credit_code(), demo_id_number(), datetime.date(2025, 9, 1), "", "个体工商户", "", 1],
        ["坏店", "123", demo_id_number(), datetime.date(2025, 9, 1), "", "个体工商户", "", 1],
    ])  # fmt: skip
    client.force_login(community_staff)
    body = page(upload(client, path, "apply"))
    assert 'data-jc-import="refused"' in body and "第3行「统一社会信用代码」" in body
    assert not Startup.objects.exists()


def test_a_neighbours_legal_person_is_not_matched_and_other_roles_get_403(
    client, neighbour_community, community_staff, resident_user, audit_admin, tmp_path
):
    number = demo_id_number(datetime.date(1985, 1, 1))
    borrower(neighbour_community, id_number=number)
    path = registrations(tmp_path, [["邻居店", demo_credit_code(), number, datetime.date(2025, 9, 1), "", "个体工商户",
                                     "", 1]])  # fmt: skip
    client.force_login(community_staff)
    upload(client, path, "apply")
    assert Startup.objects.get().resident is None  # kept in the importer's area, not linked across areas
    for user in (resident_user, audit_admin):
        client.force_login(user)
        assert client.get(f"{B}/registrations/").status_code == 403
        assert upload(client, path, "apply").status_code == 403
    assert Startup.objects.count() == 1


# --- 季度贴息 --------------------------------------------------------------------------------------------------


@pytest.fixture
def paid_loan(loan_policies, community, community_staff, county_admin):
    loan = walk_to_guaranteed(apply(loan_policies["personal"], borrower(community)), community_staff, county_admin)
    loan = disburse(loan, county_admin)
    pay(loan, datetime.date(2025, 4, 15))  # the first quarter's interest, on time
    return loan


def test_the_county_lists_a_quarters_interest_subsidy_and_claims_it_once(client, paid_loan, county_admin):
    client.force_login(county_admin)
    listed = page(client.get(f"{B}/interest/", {"quarter": "2025-Q2"}))
    assert paid_loan.contract_no in listed and "待核算" in listed
    response = client.post(f"{B}/interest/", {"quarter": "2025-Q2"}, follow=True)
    assert "新交补贴审核 1 笔" in messages_of(response) and "已核算" in page(response)
    client.post(f"{B}/interest/", {"quarter": "2025-Q2"})
    assert InterestSubsidy.objects.filter(loan=paid_loan).count() == 1
    assert SubsidyApplication.objects.filter(period="2025-Q2").count() == 1


def test_a_bad_quarter_names_the_field_and_claims_nothing(client, paid_loan, county_admin):
    client.force_login(county_admin)
    response = client.post(f"{B}/interest/", {"quarter": "2025-Q9"}, follow=True)
    assert "季度" in messages_of(response) and not InterestSubsidy.objects.exists()


def test_another_countys_manager_sees_and_claims_nothing_and_area_staff_get_403(
    client, paid_loan, county, community_staff, resident_user
):
    other = region("990122000000", "邻县", 3, county.parent)
    client.force_login(make_user("other_county_admin", Role.COUNTY_ADMIN, area=other))
    assert paid_loan.contract_no not in page(client.get(f"{B}/interest/", {"quarter": "2025-Q2"}))
    client.post(f"{B}/interest/", {"quarter": "2025-Q2"})
    assert not InterestSubsidy.objects.exists()
    for user in (community_staff, resident_user):
        client.force_login(user)
        assert client.get(f"{B}/interest/", {"quarter": "2025-Q2"}).status_code == 403
        assert client.post(f"{B}/interest/", {"quarter": "2025-Q2"}).status_code == 403
    assert not InterestSubsidy.objects.exists()


# --- 孵化基地：入驻、迁出、年度奖补 ------------------------------------------------------------------------------


@pytest.fixture
def base(community):
    return IncubationBase.objects.create(name="县创业孵化基地", level="province", capacity=2, area_code=community.code,
                                         certified_on=datetime.date(2024, 6, 1),
                                         operator=EmployerFactory(community=community))  # fmt: skip


def startup(community, name="甲"):
    return Startup.objects.create(name=name, credit_code=demo_credit_code(), kind="sole", area_code=community.code,
                                  registered_on=datetime.date(2025, 1, 1))  # fmt: skip


def test_area_staff_move_a_startup_in_and_out(client, base, community, community_staff):
    tenant = startup(community)
    client.force_login(community_staff)
    assert base.name in page(client.get(f"{B}/bases/{base.pk}/"))
    client.post(f"{B}/bases/{base.pk}/move-in/", {"startup": tenant.pk, "moved_in": "2025-02-01", "jobs": "4",
                                                  "services": "场地、创业指导"})  # fmt: skip
    tenancy = Tenancy.objects.get()
    assert (tenancy.startup, tenancy.jobs, tenancy.moved_out) == (tenant, 4, None)
    client.post(f"{B}/tenancies/{tenancy.pk}/move-out/", {"moved_out": "2025-12-31"})
    tenancy.refresh_from_db()
    assert tenancy.moved_out == datetime.date(2025, 12, 31)


def test_bad_tenancy_input_names_the_field_and_writes_nothing(client, base, community, community_staff):
    tenant = startup(community)
    client.force_login(community_staff)
    response = client.post(f"{B}/bases/{base.pk}/move-in/", {"startup": tenant.pk, "moved_in": "", "jobs": "-1"},
                           follow=True)  # fmt: skip
    assert "入驻日期" in messages_of(response) and "带动就业人数" in messages_of(response)
    response = client.post(f"{B}/bases/{base.pk}/move-in/", {"startup": tenant.pk, "moved_in": "2024-12-01",
                                                             "jobs": "0"}, follow=True)  # fmt: skip
    assert "入驻日期" in messages_of(response) and not Tenancy.objects.exists()


def test_another_communitys_base_is_404_and_other_roles_get_403(
    client, base, community, neighbour_staff, resident_user, audit_admin
):
    tenant = startup(community)
    tenancy = Tenancy.objects.create(base=base, startup=tenant, moved_in=datetime.date(2025, 2, 1),
                                     area_code=base.area_code)  # fmt: skip
    move_in = {"startup": startup(community, "乙").pk, "moved_in": "2025-03-01", "jobs": "0"}
    client.force_login(neighbour_staff)
    assert client.get(f"{B}/bases/{base.pk}/").status_code == 404
    assert client.post(f"{B}/bases/{base.pk}/move-in/", move_in).status_code == 404
    assert client.post(f"{B}/tenancies/{tenancy.pk}/move-out/", {"moved_out": "2025-12-31"}).status_code == 404
    for user in (resident_user, audit_admin):
        client.force_login(user)
        assert client.get(f"{B}/bases/{base.pk}/").status_code == 403
        assert client.post(f"{B}/bases/{base.pk}/move-in/", move_in).status_code == 403
        assert client.post(f"{B}/tenancies/{tenancy.pk}/move-out/", {"moved_out": "2025-12-31"}).status_code == 403
    assert Tenancy.objects.count() == 1 and Tenancy.objects.get().moved_out is None


def test_the_county_awards_a_base_once_a_year_and_area_staff_get_403(
    client, base, community, community_staff, county_admin
):
    Tenancy.objects.create(base=base, startup=startup(community), moved_in=datetime.date(2025, 2, 1), jobs=4,
                           area_code=base.area_code)  # fmt: skip
    client.force_login(community_staff)
    assert "核定奖补并交补贴审核" not in page(client.get(f"{B}/bases/{base.pk}/"))
    assert client.post(f"{B}/bases/{base.pk}/award/", {"year": "2025", "amount": "50000"}).status_code == 403
    client.force_login(county_admin)
    client.post(f"{B}/bases/{base.pk}/award/", {"year": "2025", "amount": "50000"})
    award = BaseAward.objects.get()
    assert (award.year, award.tenants, award.jobs) == (2025, 1, 4)
    response = client.post(f"{B}/bases/{base.pk}/award/", {"year": "2025", "amount": "50000"}, follow=True)
    assert "已核定" in messages_of(response) and BaseAward.objects.count() == 1


def test_a_bad_award_names_the_field_and_writes_nothing(client, base, county_admin):
    client.force_login(county_admin)
    response = client.post(f"{B}/bases/{base.pk}/award/", {"year": "2025", "amount": "-5"}, follow=True)
    assert "奖补金额（元）" in messages_of(response) and not BaseAward.objects.exists()
    assert not SubsidyApplication.objects.exists()


# --- 列表的查询数 ------------------------------------------------------------------------------------------------


def test_the_loan_and_startup_lists_pin_their_queries(
    client, loan_policies, community, county_admin, django_assert_max_num_queries
):
    for n in range(8):
        apply(loan_policies["personal"], borrower(community))
        Startup.objects.create(name=f"店{n}", credit_code=demo_credit_code(), kind="sole", area_code=community.code,
                               registered_on=datetime.date(2025, 1, 1), resident=borrower(community))  # fmt: skip
    client.force_login(county_admin)
    with django_assert_max_num_queries(12):  # the year's figures and one page of loans, however many loans
        assert client.get(f"{B}/").status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(f"{B}/startups/").status_code == 200
