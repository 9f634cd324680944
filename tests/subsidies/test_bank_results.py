"""The bank's result file: per line paid or failed with the reason, all-or-nothing, the same file twice changes
nothing, and a failed line's application goes into a later batch."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.subsidies.bank_results import import_bank_results
from jobcircle.subsidies.enums import ApplicationStatus as S
from jobcircle.subsidies.enums import LineResult
from jobcircle.subsidies.models import Payment
from jobcircle.subsidies.payouts import bank_file
from jobcircle.subsidies.services import create_batch

from .test_services import approved, worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(community_staff, township_staff, county_admin):
    return community_staff, township_staff, county_admin


@pytest.fixture
def batch(policies, community, staff, county_admin):
    applications = [approved(policies["transport"], worker(community), staff) for _ in range(3)]
    return create_batch(policies["transport"], [a.pk for a in applications], by=county_admin,
                        scope=scope_for_user(county_admin))  # fmt: skip


def returned_file(batch, county_admin, answers, exported=None):
    """The bank file the system exported, with the bank's 发放结果 / 失败原因 filled in per line (in order)."""
    exported = exported or bank_file(batch, by=county_admin, scope=scope_for_user(county_admin), reason="银行代发补贴")
    book = load_workbook(io.BytesIO(exported))
    sheet = book.active
    header = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "序号")
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    for offset, (result, reason) in enumerate(answers, start=1):
        sheet.cell(header + offset, columns["发放结果"]).value = result
        sheet.cell(header + offset, columns["失败原因"]).value = reason
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content):
    return SimpleUploadedFile("回盘.xlsx", content)


def test_paid_and_failed_lines_are_recorded_and_a_failed_application_can_go_into_a_later_batch(batch, county_admin):
    content = returned_file(batch, county_admin, [("成功", ""), ("失败", "账户已销户"), ("成功", "")])
    summary = import_bank_results(batch, upload(content), by=county_admin)

    lines = list(batch.lines.order_by("pk"))
    assert [line.result for line in lines] == [LineResult.PAID, LineResult.FAILED, LineResult.PAID]
    assert lines[1].failure_reason == "账户已销户"
    assert (summary.paid, summary.failed, summary.unchanged) == (2, 1, 0)
    assert Payment.objects.count() == 2
    failed = lines[1].application
    failed.refresh_from_db()
    assert failed.status == S.APPROVED
    later = create_batch(batch.policy, [failed.pk], by=county_admin, scope=scope_for_user(county_admin))
    assert later.lines.get().application == failed
    assert AuditEvent.objects.filter(action="subsidies.batch.results_imported").count() == 1


def test_importing_the_same_file_again_changes_nothing(batch, county_admin):
    content = returned_file(batch, county_admin, [("成功", ""), ("失败", "户名不符"), ("成功", "")])
    import_bank_results(batch, upload(content), by=county_admin)
    before = list(Payment.objects.values_list("pk", "amount"))

    again = import_bank_results(batch, upload(content), by=county_admin)

    assert (again.paid, again.failed, again.unchanged) == (0, 0, 3)
    assert list(Payment.objects.values_list("pk", "amount")) == before


def test_one_bad_row_refuses_the_whole_file_naming_the_row_and_the_column(batch, county_admin):
    content = returned_file(batch, county_admin, [("成功", ""), ("失败", ""), ("也许", "")])

    with pytest.raises(ValidationError) as caught:
        import_bank_results(batch, upload(content), by=county_admin)

    messages = caught.value.messages
    assert any("失败原因" in m and "第" in m for m in messages)
    assert any("发放结果" in m for m in messages)
    assert not Payment.objects.exists()
    assert set(batch.lines.values_list("result", flat=True)) == {LineResult.PENDING}


def test_a_line_already_answered_cannot_be_turned_round_by_a_later_file(batch, county_admin):
    exported = bank_file(batch, by=county_admin, scope=scope_for_user(county_admin), reason="银行代发补贴")
    import_bank_results(
        batch, upload(returned_file(batch, county_admin, [("成功", "")] * 3, exported)), by=county_admin
    )
    turned = returned_file(batch, county_admin, [("失败", "账户冻结")] * 3, exported)

    with pytest.raises(ValidationError, match="已回盘"):
        import_bank_results(batch, upload(turned), by=county_admin)
    assert Payment.objects.count() == 3


def test_a_file_that_is_not_the_bank_file_or_not_an_xlsx_is_refused(batch, county_admin):
    book = Workbook()
    book.active.append(["姓名", "金额"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError, match="序号"):
        import_bank_results(batch, upload(out.getvalue()), by=county_admin)
    with pytest.raises(ValidationError):
        import_bank_results(batch, SimpleUploadedFile("回盘.xlsx", b"not a workbook"), by=county_admin)


def test_the_batch_page_imports_the_file_and_another_township_gets_404(client, batch, county_admin, township_staff):
    content = returned_file(batch, county_admin, [("成功", "")] * 3)
    client.force_login(township_staff)
    url = f"/backoffice/subsidies/batches/{batch.pk}/results/"
    assert client.post(url, {"file": upload(content)}).status_code in (403, 404)

    client.force_login(county_admin)
    client.post(url, {"file": upload(content)})
    assert Payment.objects.count() == 3
