import pytest

from jobcircle.assistance.enums import ImportKind, ImportState
from jobcircle.assistance.models import AssistanceCase, ImportBatch, MonitoringTask
from jobcircle.assistance.monitoring import services as monitoring_services
from jobcircle.assistance.welfare import services as welfare_services

from .factories import months_ago, tagged_resident, this_month, welfare_post, workshop


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """Uploaded and generated files go to a per-test directory, never the checkout's var/."""
    settings.JOBCIRCLE_UPLOAD_ROOT = tmp_path / "uploads"
    return settings.JOBCIRCLE_UPLOAD_ROOT


@pytest.fixture
def world(community, community_staff):
    """One of everything in 幸福社区 (the community staff's area)."""
    person = tagged_resident(community, "poverty_alleviated", name='=HYPERLINK("http://x","点我")')
    idle = tagged_resident(community, "monitored")
    monitoring_services.generate_monitoring_tasks(this_month())
    monitoring_services.record_monitoring(
        idle,
        month=this_month(),
        by=community_staff,
        data={"employment_status": "unemployed", "not_employed_reason": "no_skills", "wants_work": "是"},
    )
    post = welfare_post(community)
    placement = welfare_services.place_on_welfare_post(post, person, by=community_staff, started_on=months_ago(1))
    shop = workshop(community)
    batch = ImportBatch.objects.create(
        kind=ImportKind.RESIDENTS,
        sha256="0" * 64,
        original_name="x.xlsx",
        stored_name="",
        area_code=community.code,
        created_by=community_staff,
        state=ImportState.REJECTED,
    )
    return {
        "person": person,
        "idle": idle,
        "task": MonitoringTask.objects.get(resident=person),
        "case": AssistanceCase.objects.get(resident=idle),
        "post": post,
        "placement": placement,
        "workshop": shop,
        "batch": batch,
    }
