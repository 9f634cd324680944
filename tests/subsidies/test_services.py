"""Review 社区 → 乡镇 → 县 → 核定 → 批次 → 发放, the ledger (never twice, never over budget, clawback) and figures."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.enums import Role
from jobcircle.common import pii
from jobcircle.common.models import AuditEvent
from jobcircle.subsidies.enums import ApplicationStatus as S
from jobcircle.subsidies.enums import LineResult
from jobcircle.subsidies.models import Payment
from jobcircle.subsidies.payouts import bank_file
from jobcircle.subsidies.services import (
    claw_back,
    create_batch,
    move_application,
    record_line_result,
    review_application,
    sentence,
    statistics,
    submit_application,
)
from tests.factories import make_user

from .conftest import PERIOD, monitored, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def transport(policies):
    return policies["transport"]


def worker(community):
    return monitored(person(community, "poverty_alleviated"), [3, 4, 5])


def approved(policy, resident, staff):
    """An application taken through the three reviews."""
    community_staff, township_staff, county_admin = staff
    application = submit_application(policy, resident, PERIOD, by=resident_user_of(resident))
    for reviewer in (community_staff, township_staff, county_admin):
        application = review_application(application, "approve", by=reviewer, scope=scope_for_user(reviewer))
    return application


def resident_user_of(resident):
    return make_user(f"r{resident.pk}", Role.RESIDENT, resident=resident)


@pytest.fixture
def staff(community_staff, township_staff, county_admin):
    return community_staff, township_staff, county_admin


def test_an_application_goes_through_three_levels_with_one_log_row_each(transport, community, staff):
    application = approved(transport, worker(community), staff)

    assert application.status == S.APPROVED
    moves = list(application.transitions.values_list("from_status", "to_status"))
    assert moves == [("", S.COMMUNITY_REVIEW), (S.COMMUNITY_REVIEW, S.TOWNSHIP_REVIEW),
                     (S.TOWNSHIP_REVIEW, S.COUNTY_REVIEW), (S.COUNTY_REVIEW, S.APPROVED)]  # fmt: skip
    assert AuditEvent.objects.filter(action="subsidies.application.approved").count() == 1


def test_a_submission_failing_the_rule_is_refused_naming_the_condition(transport, community, community_staff):
    short = monitored(person(community, "poverty_alleviated"), [3, 4])

    with pytest.raises(ValidationError) as refused:
        submit_application(transport, short, PERIOD, by=community_staff)

    assert "当年省外务工满3个月" in refused.value.message_dict["policy"][0]


def test_only_the_level_reviewer_of_the_area_acts_and_never_on_their_own_submission(
    transport, community, village, community_staff, township_staff, other_township_staff
):
    own = submit_application(transport, worker(community), PERIOD, by=community_staff)
    elsewhere = submit_application(transport, worker(village), PERIOD, by=township_staff)

    with pytest.raises(PermissionDenied):
        review_application(own, "approve", by=community_staff, scope=scope_for_user(community_staff))  # own submission
    with pytest.raises(PermissionDenied):
        review_application(
            own, "approve", by=township_staff, scope=scope_for_user(township_staff)
        )  # not the community level
    with pytest.raises(PermissionDenied):
        review_application(
            elsewhere, "approve", by=community_staff, scope=scope_for_user(community_staff)
        )  # another township's village
    assert own.transitions.count() == 1


def test_returned_with_a_reason_then_resubmitted_at_the_first_level(transport, community, community_staff):
    resident = worker(community)
    user = resident_user_of(resident)
    application = submit_application(transport, resident, PERIOD, by=user)

    with pytest.raises(ValidationError):
        review_application(application, "return", by=community_staff, scope=scope_for_user(community_staff))
    application = review_application(
        application, "return", by=community_staff, scope=scope_for_user(community_staff), reason="缺务工证明"
    )
    application = move_application(application, S.COMMUNITY_REVIEW, by=user, scope=scope_for_user(user))

    assert application.status == S.COMMUNITY_REVIEW
    assert application.transitions.filter(to_status=S.RETURNED).get().reason == "缺务工证明"


def test_a_second_application_for_the_same_period_is_refused(transport, community, community_staff):
    resident = worker(community)
    submit_application(transport, resident, PERIOD, by=community_staff)

    with pytest.raises(ValidationError, match="已有申请"):
        submit_application(transport, resident, PERIOD, by=community_staff)


def test_approval_is_refused_past_the_years_budget(transport, community, staff):
    version = transport.versions.get()
    version.yearly_budget = version.amount
    version.save(update_fields=["yearly_budget"])
    approved(transport, worker(community), staff)

    with pytest.raises(ValidationError, match="年度预算余额"):
        approved(transport, worker(community), staff)


def test_batch_paid_line_enters_the_ledger_and_a_failed_line_goes_to_a_later_batch(
    transport, community, staff, county_admin
):
    first, second = approved(transport, worker(community), staff), approved(transport, worker(community), staff)
    batch = create_batch(transport, [first.pk, second.pk], by=county_admin, scope=scope_for_user(county_admin))
    paid_line, failed_line = batch.lines.order_by("application_id")

    record_line_result(paid_line, LineResult.PAID, by=county_admin)
    record_line_result(failed_line, LineResult.FAILED, by=county_admin, reason="账号已销户")

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (S.PAID, S.APPROVED)
    assert list(Payment.objects.values_list("application_id", "amount")) == [(first.pk, first.amount)]
    later = create_batch(transport, [second.pk], by=county_admin, scope=scope_for_user(county_admin))
    assert later.lines.get().application == second
    with pytest.raises(ValidationError, match="已回盘"):
        record_line_result(paid_line, LineResult.PAID, by=county_admin)


def test_figures_reproduce_the_report_sentence_and_net_a_clawback(transport, community, staff, county_admin):
    applications = [approved(transport, worker(community), staff) for _ in range(3)]
    batch = create_batch(transport, [a.pk for a in applications], by=county_admin, scope=scope_for_user(county_admin))
    for line in batch.lines.all():
        record_line_result(line, LineResult.PAID, by=county_admin)
    amount = sum(a.amount for a in applications)

    figures = statistics(transport, PERIOD)
    assert (figures["beneficiaries"], figures["person_times"], figures["amount_yuan"]) == (3, 3, amount)
    wan = (amount / Decimal(10000)).normalize()
    assert sentence(transport, PERIOD) == f"发放一次性交通补贴3人、{wan}万元"

    claw_back(Payment.objects.first(), by=county_admin, reason="重复领取其他补贴")

    figures = statistics(transport, PERIOD)
    refunded = applications[0].amount
    assert (figures["beneficiaries"], figures["amount_yuan"]) == (2, amount - refunded)
    with pytest.raises(ValidationError):
        claw_back(Payment.objects.filter(kind="payment").first(), by=county_admin, reason="再次追回同一笔")


def test_the_bank_file_has_the_full_id_only_through_the_reveal_door_and_is_audited(
    transport, community, staff, county_admin
):
    application = approved(transport, worker(community), staff)
    application.bank_name = "县农商银行"
    application.set_bank_account("6228480000001234567")
    application.save(update_fields=["bank_name", "bank_account_encrypted", "bank_account_masked"])
    batch = create_batch(transport, [application.pk], by=county_admin, scope=scope_for_user(county_admin))

    content = bank_file(batch, by=county_admin, scope=scope_for_user(county_admin), reason="银行代发补贴")

    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert pii.decrypt(application.resident.id_number_encrypted) in values
    assert "6228480000001234567" in values
    assert application.bank_account_masked == "***************4567"
    reveal = AuditEvent.objects.get(action="people.resident.pii_revealed")
    assert reveal.data["rows"] == 1 and reveal.data["reason"] == "银行代发补贴"
    assert AuditEvent.objects.filter(action="subsidies.batch.exported").count() == 1
    with pytest.raises(ValidationError):
        bank_file(batch, by=county_admin, scope=scope_for_user(county_admin), reason="")
