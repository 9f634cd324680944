"""SEC-10 field-level write rules (issue 22 item 2): every write route walked per role against the table.

The cases are derived from ``accounts.permissions.WRITABLE_FIELDS``: for each record, each role the
table names, and each input field, the API write is made with a valid value for that field alone.
A field the role may write is saved (200); any other is refused with 403 naming the field, and
nothing is written (the row, its links and the audit log are as before).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import EMPLOYER, INPUT_FIELDS, JOB, RESIDENT, WRITABLE_FIELDS
from jobcircle.api.schemas import EmployerPatch, JobPatch, ResidentPatch
from jobcircle.classifications.models import Industry
from jobcircle.common.models import AuditEvent
from jobcircle.employers.models import Employer, Job
from jobcircle.people import services as people_services
from jobcircle.people.models import Resident
from tests.factories import JobFactory, demo_credit_code, demo_id_number, demo_phone

pytestmark = pytest.mark.django_db

POINT = {"lat": 33.1612, "lng": 115.6213, "coord": "wgs84"}
EVIDENCE = "县残联残疾人证核验（证号后4位0012）"
# Fields whose sample is a whole payload: a point's parts go together, key groups with their evidence.
WHOLE_PAYLOADS = {"lat", "lng", "coord", "key_groups"}


def _today(days=0):
    return str(timezone.localdate() + datetime.timedelta(days=days))


# One valid value per input field (WHOLE_PAYLOADS: the fields given with the ones they belong with).
SAMPLES = {
    RESIDENT: {
        "name": lambda ctx: "改过的名字", "id_type": lambda ctx: "resident_id",
        "id_number": lambda ctx: demo_id_number(datetime.date(1985, 3, 9)), "phone": lambda ctx: demo_phone(),
        "community_code": lambda ctx: ctx["community"].code, "lat": lambda ctx: POINT, "lng": lambda ctx: POINT,
        "coord": lambda ctx: POINT, "birth_date": lambda ctx: "1985-03-09", "gender": lambda ctx: "F",
        "education": lambda ctx: 40, "occupation_codes": lambda ctx: ["4-10-01-05"], "skills": lambda ctx: ["叉车"],
        "key_groups": lambda ctx: {"key_groups": ["disabled", "poverty_alleviated"], "key_group_evidence": EVIDENCE},
        "key_group_evidence": lambda ctx: EVIDENCE, "employment_status": lambda ctx: "employed",
        "is_job_seeking": lambda ctx: True,
        "intention": lambda ctx: {"occupation_codes": ["4-10-01-05"], "work_type": "full_time",
                                  "min_monthly_pay": 3000, "max_distance_km": 5},
    },
    EMPLOYER: {
        "name": lambda ctx: "改名后的有限公司", "credit_code": lambda ctx: demo_credit_code(),
        "employer_type": lambda ctx: "sole_proprietor", "industry_code": lambda ctx: ctx["industry"],
        "size": lambda ctx: "medium", "address": lambda ctx: "新地址8号",
        "community_code": lambda ctx: ctx["community"].code,
        "contact_name": lambda ctx: "新联系人", "contact_phone": lambda ctx: demo_phone(),
        "is_key_enterprise": lambda ctx: True, "lat": lambda ctx: POINT, "lng": lambda ctx: POINT,
        "coord": lambda ctx: POINT,
    },
    JOB: {
        "title": lambda ctx: "理货员", "occupation_code": lambda ctx: "4-10-01-05", "headcount": lambda ctx: 5,
        "pay_min": lambda ctx: 3100, "pay_max": lambda ctx: 5200, "work_type": lambda ctx: "part_time",
        "education_min": lambda ctx: 20, "age_min": lambda ctx: 18, "age_max": lambda ctx: 50,
        "skills": lambda ctx: ["叉车"], "description": lambda ctx: "仓库理货", "requirements": lambda ctx: "认真负责",
        "benefits": lambda ctx: "包午餐", "work_address": lambda ctx: "仓库2号", "valid_from": lambda ctx: _today(),
        "valid_until": lambda ctx: _today(20), "lat": lambda ctx: POINT, "lng": lambda ctx: POINT,
        "coord": lambda ctx: POINT,
    },
}  # fmt: skip
MODELS = {RESIDENT: Resident, EMPLOYER: Employer, JOB: Job}
URLS = {RESIDENT: "/api/v1/residents/{}", EMPLOYER: "/api/v1/employers/{}", JOB: "/api/v1/jobs/{}"}
PATCH_SCHEMAS = {RESIDENT: ResidentPatch, EMPLOYER: EmployerPatch, JOB: JobPatch}
ROLE_FIXTURES = {
    Role.RESIDENT: "resident_user", Role.EMPLOYER: "employer_user", Role.COMMUNITY_STAFF: "community_staff",
    Role.TOWNSHIP_STAFF: "township_staff", Role.COUNTY_ADMIN: "county_admin",
}  # fmt: skip

CASES = [
    pytest.param(record, role, field, id=f"{record}-{role}-{field}")
    for record, roles in WRITABLE_FIELDS.items()
    for role in roles
    for field in sorted(INPUT_FIELDS[record])
]


def snapshot(record, pk):
    """Everything a write could change: the row, its many-to-many links, the intention, the audit log."""
    obj = MODELS[record].objects.get(pk=pk)
    row = MODELS[record].objects.filter(pk=pk).values().get()
    links = {}
    if record == RESIDENT:
        links = {
            "key_groups": sorted(obj.key_groups.values_list("code", flat=True)),
            "occupations": sorted(obj.occupations.values_list("code", flat=True)),
            "intention": hasattr(obj, "intention"),
        }
    return row, links, AuditEvent.objects.count()


@pytest.fixture
def target(request, community, resident, employer):
    """(record kind) → pk of a record the signed-in role owns or serves."""
    job = JobFactory(employer=employer)
    return {RESIDENT: resident.pk, EMPLOYER: employer.pk, JOB: job.pk}


def test_the_table_covers_every_field_each_write_route_accepts():
    for record, schema in PATCH_SCHEMAS.items():
        accepted = set(schema.model_fields) - {"crs"}  # crs is another spelling of coord
        assert accepted == INPUT_FIELDS[record], record
        for role, fields in WRITABLE_FIELDS[record].items():
            assert fields <= INPUT_FIELDS[record], (record, role)


@pytest.mark.parametrize("record, role, field", CASES)
def test_every_write_route_obeys_the_field_table(client, request, target, community, record, role, field):
    user = request.getfixturevalue(ROLE_FIXTURES[role])
    client.force_login(user)
    ctx = {"community": community, "industry": Industry.objects.order_by("code").last().code}
    value = SAMPLES[record][field](ctx)
    payload = value if field in WHOLE_PAYLOADS else {field: value}
    pk = target[record]
    before = snapshot(record, pk)

    response = client.patch(URLS[record].format(pk), payload, content_type="application/json")

    if field in WRITABLE_FIELDS[record][role]:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 403, response.content
        assert field in {item["field"] for item in response.json()["detail"]}
        assert snapshot(record, pk) == before


def test_a_resident_cannot_rewrite_their_identity_or_key_groups(client, resident_user, resident):
    """The reproduction of issue 22 item 2: refused whole, nothing written."""
    client.force_login(resident_user)
    before = snapshot(RESIDENT, resident.pk)
    response = client.patch(
        f"/api/v1/residents/{resident.pk}",
        {"id_number": demo_id_number(), "name": "冒名", "key_groups": ["disabled", "poverty_alleviated"],
         "education": 40},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert {item["field"] for item in response.json()["detail"]} == {"id_number", "name", "key_groups"}
    assert all("无权修改" in item["message"] for item in response.json()["detail"])
    assert snapshot(RESIDENT, resident.pk) == before


def test_a_resident_saves_what_the_h5_profile_edits(client, resident_user, resident):
    client.force_login(resident_user)
    response = client.patch(
        f"/api/v1/residents/{resident.pk}",
        {"education": 40, "employment_status": "employed", "skills": ["电焊"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    resident.refresh_from_db()
    assert (resident.education, resident.employment_status, resident.skills) == (40, "employed", ["电焊"])


def test_the_portal_path_obeys_the_same_table(resident_user, resident):
    """The H5 profile calls the same service with self_service=True: no way around the table."""
    with pytest.raises(PermissionDenied):
        people_services.update_resident(
            resident,
            by=resident_user,
            scope=scope_for_user(resident_user),
            data={"key_groups": ["disabled"]},
            self_service=True,
        )
    assert not resident.key_groups.exists()


@pytest.mark.parametrize(
    "fixture, url, payload",
    [
        ("resident_user", "/api/v1/residents", lambda c: {"name": "新人", "id_number": demo_id_number(),
                                                         "community_code": c.code}),
        ("employer_user", "/api/v1/employers", lambda c: {"name": "另一家公司", "credit_code": demo_credit_code(),
                                                         "address": "路1号", "community_code": c.code,
                                                         "contact_name": "张", "contact_phone": demo_phone()}),
    ],
)  # fmt: skip
def test_residents_and_employers_cannot_create_records_through_the_staff_routes(
    client, request, community, fixture, url, payload
):
    client.force_login(request.getfixturevalue(fixture))
    counts = (Resident.objects.count(), Employer.objects.count())
    response = client.post(url, payload(community), content_type="application/json")
    assert response.status_code == 403
    assert (Resident.objects.count(), Employer.objects.count()) == counts
