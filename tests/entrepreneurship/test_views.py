"""Back-office 创业服务 screens and H5 创业服务: the area officer acts, another area gets 404, other roles 403."""

import datetime

import openpyxl
import pytest

from jobcircle.entrepreneurship.enums import LoanStatus as L
from jobcircle.entrepreneurship.models import Loan, Repayment

from .conftest import apply, borrower, disburse, walk_to_guaranteed

pytestmark = pytest.mark.django_db
B = "/backoffice/entrepreneurship"


def test_area_staff_see_the_list_and_first_review_a_loan(client, loan_policies, community, community_staff):
    loan = apply(loan_policies["personal"], borrower(community))
    client.force_login(community_staff)
    assert f"{B}/loans/{loan.pk}/" in client.get(f"{B}/").content.decode()
    page = client.get(f"{B}/loans/{loan.pk}/").content.decode()
    assert "属于创业担保贷款扶持的重点群体" in page
    client.post(f"{B}/loans/{loan.pk}/action/", {"action": "local_pass", "credit_flags": []})
    assert Loan.objects.get(pk=loan.pk).status == L.LOCAL_PASSED


def test_another_communitys_loan_is_404_and_residents_get_403(
    client, loan_policies, neighbour_community, community_staff, resident_user
):
    loan = apply(loan_policies["personal"], borrower(neighbour_community))
    client.force_login(community_staff)
    assert client.get(f"{B}/loans/{loan.pk}/").status_code == 404
    assert client.post(f"{B}/loans/{loan.pk}/action/", {"action": "local_pass"}).status_code == 404
    client.force_login(resident_user)
    for path in (f"{B}/", f"{B}/overdue/", f"{B}/startups/", f"{B}/bases/", f"{B}/loans/{loan.pk}/"):
        assert client.get(path).status_code == 403, path


def test_only_the_county_disburses_and_imports_statements(
    client, loan_policies, community, community_staff, county_admin, tmp_path
):
    loan = walk_to_guaranteed(apply(loan_policies["personal"], borrower(community)), community_staff, county_admin)
    client.force_login(community_staff)
    body = {"amount": "100000", "annual_rate": "0.04", "bank": "县农商银行", "contract_no": "JK-V-1",
            "disbursed_on": "2025-01-15", "method": "bullet"}  # fmt: skip
    assert client.post(f"{B}/loans/{loan.pk}/disburse/", body).status_code == 403
    assert client.get(f"{B}/statements/").status_code == 403
    client.force_login(county_admin)
    client.post(f"{B}/loans/{loan.pk}/disburse/", body)
    assert Loan.objects.get(pk=loan.pk).status == L.DISBURSED
    book = openpyxl.Workbook()
    book.active.append(["借款合同号", "还款日期", "还款本金（元）", "还款利息（元）", "银行流水号"])
    book.active.append(["JK-V-1", datetime.date(2025, 4, 15), 0, 1000, "V1"])
    book.save(tmp_path / "s.xlsx")
    with open(tmp_path / "s.xlsx", "rb") as handle:
        page = client.post(f"{B}/statements/", {"file": handle}).content.decode()
    assert "新增还款 1 笔" in page and Repayment.objects.count() == 1


def test_overdue_screen_lists_the_late_loan(client, loan_policies, community, community_staff, county_admin):
    loan = disburse(walk_to_guaranteed(apply(loan_policies["personal"], borrower(community)), community_staff,
                                       county_admin), county_admin)  # fmt: skip
    client.force_login(community_staff)
    assert loan.contract_no in client.get(f"{B}/overdue/").content.decode()  # 2025 instalments unpaid today


def test_the_resident_applies_in_h5_and_sees_the_status(client, loan_policies, resident_user):
    from jobcircle.people.models import KeyGroup

    resident_user.resident.key_groups.add(KeyGroup.objects.get_or_create(code="veteran")[0])
    client.force_login(resident_user)
    assert "申请个人创业担保贷款" in client.get("/m/loans/").content.decode()
    client.post(
        "/m/loans/apply/", {"amount": "50000", "term_months": "12", "purpose": "开办汽修店", "jobs_created": "2"}
    )
    page = client.get("/m/loans/").content.decode()
    assert "开办汽修店" in page and "已申请（待社区/乡镇初审）" in page
    assert Loan.objects.get().resident == resident_user.resident
