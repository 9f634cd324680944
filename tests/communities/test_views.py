"""充分就业社区 screens: the area sees its communities' assessment (and Excel), a community's criteria and
records, and moves a certification through the queue; another area gets 404, residents and employers 403."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobcircle.accounts.access import scope_for_user
from jobcircle.communities import services
from jobcircle.communities.enums import CertificationStatus as S
from jobcircle.communities.models import Certification, CertificationTransition

pytestmark = pytest.mark.django_db


def year():
    return timezone.localdate().year


@pytest.fixture
def submitted(community, community_staff):
    return services.submit(community, year(), statement="申报", by=community_staff,
                           scope=scope_for_user(community_staff))  # fmt: skip


def test_the_township_sees_each_community_s_criteria_and_the_rate(client, township_staff, community,
                                                                  neighbour_community):  # fmt: skip
    client.force_login(township_staff)
    page = client.get(reverse("communities:assessment_list"), {"year": year()})
    assert page.status_code == 200
    assessments = page.context["assessments"]
    assert [a.community for a in assessments] == [community, neighbour_community]
    assert all(a.results for a in assessments)  # the shipped default standard applies
    assert page.context["passing"] == sum(a.passed for a in assessments)
    detail = client.get(reverse("communities:community_detail", args=[community.code]))
    assert detail.status_code == 200
    assert [r.criterion.measure for r, _total, _records in detail.context["rows"]] == [
        r.criterion.measure for r in assessments[0].results
    ]


def test_the_assessment_exports_to_excel_one_line_a_community(client, township_staff, community,
                                                             neighbour_community):  # fmt: skip
    client.force_login(township_staff)
    response = client.get(reverse("communities:assessment_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for c in row]
    assert community.name in cells and neighbour_community.name in cells and "城镇登记失业率（%，不高于）" in cells


def test_a_community_applies_and_each_level_passes_it_from_the_queue(client, community, community_staff,
                                                                     township_staff):  # fmt: skip
    client.force_login(community_staff)
    client.post(reverse("communities:certification_submit", args=[community.code]),
                {"statement": "材料齐全", "evidence": "专干任命文件\n\n服务站照片"})  # fmt: skip
    made = Certification.objects.get(community=community, year=year())
    assert made.status == S.SUBMITTED and made.evidence == ["专干任命文件", "服务站照片"]
    client.force_login(township_staff)
    queue = client.get(reverse("communities:certification_queue"))
    assert list(queue.context["page_obj"]) == [made]
    client.post(reverse("communities:certification_review", args=[made.pk]), {"decision": "pass"})
    made.refresh_from_db()
    assert made.status == S.TOWNSHIP_PASSED


def test_a_return_without_a_reason_or_bad_text_writes_nothing(client, community, community_staff, township_staff,
                                                             submitted):  # fmt: skip
    client.force_login(township_staff)
    refused = client.post(reverse("communities:certification_review", args=[submitted.pk]),
                          {"decision": "return", "reason": ""}, follow=True)  # fmt: skip
    assert "退回原因：至少2个字" in refused.content.decode()
    client.force_login(community_staff)
    client.post(reverse("communities:certification_submit", args=[community.code]), {"statement": "坏\x07说明"})
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and submitted.statement == "申报"
    assert CertificationTransition.objects.count() == 1


def test_a_level_that_is_not_the_caller_s_is_403(client, community_staff, submitted):
    client.force_login(community_staff)
    response = client.post(reverse("communities:certification_review", args=[submitted.pk]), {"decision": "pass"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_another_area_gets_404(client, other_township_staff, neighbour_staff, community, submitted):
    client.force_login(other_township_staff)
    assert client.get(reverse("communities:assessment_list"), {"area": community.parent.code}).status_code == 404
    assert client.get(reverse("communities:community_detail", args=[community.code])).status_code == 404
    review = reverse("communities:certification_review", args=[submitted.pk])
    assert client.post(review, {"decision": "pass"}).status_code == 404
    assert list(client.get(reverse("communities:certification_queue")).context["page_obj"]) == []
    client.force_login(neighbour_staff)
    submit = reverse("communities:certification_submit", args=[community.code])
    assert client.post(submit, {"statement": "x"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_residents_and_employers_get_403(client, resident_user, employer_user, community, submitted):
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert client.get(reverse("communities:assessment_list")).status_code == 403
        assert client.get(reverse("communities:community_detail", args=[community.code])).status_code == 403
        assert client.get(reverse("communities:certification_queue")).status_code == 403
        review = reverse("communities:certification_review", args=[submitted.pk])
        assert client.post(review, {"decision": "pass"}).status_code == 403


def test_the_queue_costs_the_same_queries_whatever_its_length(client, county, county_admin, community,
                                                              neighbour_community, neighbour_staff, submitted,
                                                              django_assert_max_num_queries):  # fmt: skip
    neighbour = services.submit(neighbour_community, year(), by=neighbour_staff, scope=scope_for_user(neighbour_staff))
    assert neighbour.status == S.SUBMITTED
    client.force_login(county_admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("communities:certification_queue"))
    assert page.context["page_obj"].paginator.count == 2
