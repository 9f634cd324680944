"""/api/v1/subsidies: scoped, declared, and the same rules as the services."""

import pytest

from jobcircle.accounts.access import scope_for_user
from jobcircle.subsidies.enums import ApplicationStatus as S
from jobcircle.subsidies.enums import LineResult
from jobcircle.subsidies.services import create_batch, record_line_result, review_application, submit_application

from .conftest import PERIOD, monitored, person

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_a_resident_applies_and_a_failing_condition_is_named(client, policies, resident_user):
    client.force_login(resident_user)

    response = post(client, "/api/v1/subsidies/applications", {"policy": "transport", "period": PERIOD})

    assert response.status_code == 422
    assert "脱贫人口或监测对象" in str(response.json()["detail"])


def test_staff_apply_for_a_person_and_review_in_their_area_only(
    client, policies, community, village, community_staff, township_staff
):
    mine = monitored(person(community, "poverty_alleviated"), [3, 4, 5])
    client.force_login(township_staff)
    created = post(client, "/api/v1/subsidies/applications",
                   {"policy": "transport", "period": PERIOD, "resident_id": mine.pk})  # fmt: skip
    assert created.status_code == 201, created.content
    application_id = created.json()["id"]

    client.force_login(community_staff)
    moved = post(client, f"/api/v1/subsidies/applications/{application_id}/transition", {"action": "approve"})

    assert moved.status_code == 200
    assert moved.json()["status"] == S.TOWNSHIP_REVIEW
    assert [t["to_status"] for t in moved.json()["transitions"]] == [S.COMMUNITY_REVIEW, S.TOWNSHIP_REVIEW]
    elsewhere = submit_application(
        policies["transport"], monitored(person(village, "monitored"), [1, 2, 3]), PERIOD, by=township_staff
    )
    assert post(client, f"/api/v1/subsidies/applications/{elsewhere.pk}/transition",
                {"action": "approve"}).status_code == 404  # fmt: skip


def test_screen_then_confirm_through_the_api(client, policies, community, county_admin):
    qualifying = monitored(person(community, "poverty_alleviated"), [3, 4, 5])
    client.force_login(county_admin)

    started = post(client, "/api/v1/subsidies/policies/transport/screen", {"period": PERIOD})
    result = client.get("/api/v1/subsidies/policies/transport/screen").json()
    hit = next(h for h in result["hits"] if h["qualifies"])
    confirmed = post(client, "/api/v1/subsidies/policies/transport/screen",
                     {"period": PERIOD, "screening_id": result["id"], "confirm": [hit["id"]]})  # fmt: skip

    assert started.status_code == 202 and result["state"] == "done"
    assert hit["resident_id"] == qualifying.pk
    assert confirmed.status_code == 200
    assert [(a["resident_id"], a["status"]) for a in confirmed.json()] == [(qualifying.pk, S.COMMUNITY_REVIEW)]


def test_statistics_give_the_three_figures_within_the_callers_area(
    client, policies, community, community_staff, township_staff, county_admin, other_township_staff
):
    policy = policies["transport"]
    applications = []
    for _ in range(2):
        application = submit_application(
            policy, monitored(person(community, "poverty_alleviated"), [3, 4, 5]), PERIOD, by=None
        )
        for reviewer in (community_staff, township_staff, county_admin):
            application = review_application(application, "approve", by=reviewer, scope=scope_for_user(reviewer))
        applications.append(application)
    batch = create_batch(policy, [a.pk for a in applications], by=county_admin, scope=scope_for_user(county_admin))
    for line in batch.lines.all():
        record_line_result(line, LineResult.PAID, by=county_admin)
    url = f"/api/v1/subsidies/statistics?policy=transport&period={PERIOD}"

    client.force_login(township_staff)
    figures = client.get(url).json()
    client.force_login(other_township_staff)
    elsewhere = client.get(url).json()

    total = sum(a.amount for a in applications)
    assert (figures["beneficiaries"], figures["person_times"], figures["amount_yuan"]) == (2, 2, f"{total:.2f}")
    assert (elsewhere["beneficiaries"], elsewhere["amount_yuan"]) == (0, "0.00")


def test_the_catalogue_lists_each_policy_with_its_conditions(client, policies, community_staff):
    client.force_login(community_staff)

    listed = {p["code"]: p for p in client.get("/api/v1/subsidies/policies").json()}

    assert set(listed) == {code for code, policy in policies.items() if policy.is_active}  # switched-off hooks not
    assert listed["transport"]["conditions"] == ["脱贫人口或监测对象", "当年省外务工满3个月"]
