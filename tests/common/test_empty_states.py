"""Every back-office list tells "nothing matches the filters" from "there is nothing yet" (jc/empty.html)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (list, who opens it, a filter that matches nothing, the noun of "没有符合条件的…", the words of "nothing yet")
LISTS = [
    ("people:resident_list", "community_staff", {"q": "查无此人"}, "居民", "还没有登记居民"),
    ("employers:employer_list", "community_staff", {"q": "查无此单位"}, "用工单位", "还没有登记用工单位"),
    ("employers:job_list", "community_staff", {"q": "查无此岗位"}, "岗位", "还没有岗位"),
    ("assistance:case_list", "community_staff", {"q": "查无此人"}, "帮扶对象", "还没有帮扶对象"),
    ("assistance:task_list", "community_staff", {"q": "查无此人"}, "监测任务", "还没有监测任务"),
    ("recruiting:fair_list", "community_staff", {"kind": "livestream"}, "招聘会", "还没有招聘会"),
    ("audit:event_list", "audit_admin", {"action": "no.such.action"}, "审计记录", None),
    ("account_admin:user_list", "system_admin", {"role": "audit_admin", "active": "0"}, "账号", None),
]


@pytest.mark.parametrize("name, who, nothing, noun, none", LISTS)
def test_an_empty_search_says_nothing_matches_and_an_empty_list_says_there_is_nothing_yet(
    client, request, name, who, nothing, noun, none
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse(name), nothing).content.decode()
    assert f"没有符合条件的{noun}" in page and 'data-jc-empty="filtered"' in page
    assert "还没有" not in page.split('data-jc-empty="filtered"')[1].split("</p>")[0]
    if none:
        bare = client.get(reverse(name)).content.decode()
        assert none in bare and "没有符合条件" not in bare


def test_the_monitoring_list_of_another_month_names_that_month(client, community_staff):
    client.force_login(community_staff)
    page = client.get(reverse("assistance:task_list"), {"month": "2025-03"}).content.decode()
    assert "2025年3月还没有监测任务" in page and "本月还没有" not in page
