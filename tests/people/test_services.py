import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas.geo.convert import wgs84_to_gcj02
from jobcircle.common.models import AuditEvent
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import Resident
from jobcircle.people.services import (
    find_by_id_number,
    record_employment_status,
    register_resident,
    set_job_intention,
    update_resident,
)
from tests.factories import ResidentFactory, demo_id_number, demo_phone, with_check_digit

pytestmark = pytest.mark.django_db


def resident_data(community, **overrides):
    return {"name": "王五", "id_number": demo_id_number(datetime.date(1985, 3, 9), male=False),
            "phone": demo_phone(), "community_code": community.code, **overrides}  # fmt: skip


def messages(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def test_registration_derives_birth_date_and_gender_from_the_id_number(community, community_staff):
    resident = register_resident(
        by=community_staff, scope=scope_for_user(community_staff), data=resident_data(community)
    )
    assert resident.birth_date == datetime.date(1985, 3, 9)
    assert resident.gender == "F"
    assert resident.area_code == community.code


def test_home_location_defaults_to_the_community_station(community, community_staff):
    resident = register_resident(
        by=community_staff, scope=scope_for_user(community_staff), data=resident_data(community)
    )
    station = community.stations.get()
    assert (resident.lat, resident.lng) == (station.lat, station.lng)


def test_a_gcj02_home_point_is_stored_as_its_wgs84_equivalent(community, community_staff):
    gcj_lng, gcj_lat = wgs84_to_gcj02(115.6300, 33.1700)
    resident = register_resident(
        by=community_staff,
        scope=scope_for_user(community_staff),
        data=resident_data(community, lat=gcj_lat, lng=gcj_lng, coord="gcj02"),
    )
    assert resident.lat == pytest.approx(33.1700, abs=1e-6)
    assert resident.lng == pytest.approx(115.6300, abs=1e-6)
    assert resident.source_crs == "gcj02"


def test_registration_opens_the_dated_status_history(community, community_staff):
    resident = register_resident(
        by=community_staff, scope=scope_for_user(community_staff), data=resident_data(community)
    )
    assert list(resident.status_history.values_list("status", flat=True)) == [EmploymentStatus.UNEMPLOYED]


def test_registering_the_same_id_number_twice_is_refused_clearly(community, community_staff):
    data = resident_data(community)
    register_resident(by=community_staff, scope=scope_for_user(community_staff), data=data)
    with pytest.raises(ValidationError) as exc_info:
        register_resident(
            by=community_staff, scope=scope_for_user(community_staff), data={**data, "phone": demo_phone()}
        )
    assert "已登记" in messages(exc_info, "id_number")
    assert Resident.objects.count() == 1


def test_the_same_id_number_typed_with_full_width_digits_is_still_a_duplicate(community, community_staff):
    data = resident_data(community)
    register_resident(by=community_staff, scope=scope_for_user(community_staff), data=data)
    full_width = data["id_number"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    with pytest.raises(ValidationError):
        register_resident(
            by=community_staff,
            scope=scope_for_user(community_staff),
            data={**data, "id_number": full_width, "phone": demo_phone()},
        )


def test_database_refuses_a_second_row_with_the_same_id_blind_index(community):
    first = ResidentFactory(community=community)
    twin = ResidentFactory.build(community=community)
    twin.set_id_number("x")
    twin.id_number_hash = first.id_number_hash
    twin.set_location(first.lat, first.lng)
    with pytest.raises(IntegrityError):
        twin.save()


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("id_number", with_check_digit("99000019850309001", wrong=True), "校验"),
        ("id_number", with_check_digit("99000019850230001"), "出生日期"),
        ("id_number", "99000019850309001", "18位"),
        ("id_number", "990000850309001", "18位"),
        ("phone", "12345678901", "手机号"),
        ("name", "", "姓名"),
        ("community_code", "110101001001", "社区"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(community, community_staff, field, value, expected):
    with pytest.raises(ValidationError) as exc_info:
        register_resident(
            by=community_staff, scope=scope_for_user(community_staff), data=resident_data(community, **{field: value})
        )
    assert expected in messages(exc_info, field)
    assert Resident.objects.count() == 0
    assert not AuditEvent.objects.filter(action="people.resident.created").exists()


def test_every_bad_field_is_reported_at_once(community, community_staff):
    with pytest.raises(ValidationError) as exc_info:
        register_resident(
            by=community_staff,
            scope=scope_for_user(community_staff),
            data=resident_data(community, name="", phone="123"),
        )
    assert {"name", "phone"} <= set(exc_info.value.message_dict)


def test_points_outside_china_are_rejected(community, community_staff):
    with pytest.raises(ValidationError) as exc_info:
        register_resident(
            by=community_staff,
            scope=scope_for_user(community_staff),
            data=resident_data(community, lat=35.6895, lng=139.6917),
        )
    assert "中国境内" in messages(exc_info, "location")


def test_community_staff_cannot_register_into_another_community(community, neighbour_community, community_staff):
    with pytest.raises(ValidationError) as exc_info:
        register_resident(
            by=community_staff, scope=scope_for_user(community_staff), data=resident_data(neighbour_community)
        )
    assert "管辖范围" in messages(exc_info, "community_code")


def test_an_abolished_area_code_is_accepted_with_a_warning(community, community_staff):
    resident = register_resident(
        by=community_staff,
        scope=scope_for_user(community_staff),
        data=resident_data(community, id_number="110229201601010010"),
    )
    assert any("110229" in warning for warning in resident.registration_warnings)


def test_status_change_is_appended_to_history(resident, community_staff):
    record_employment_status(resident, EmploymentStatus.EMPLOYED, by=community_staff, on=datetime.date(2026, 3, 1))
    history = list(resident.status_history.order_by("id").values_list("status", "changed_on"))
    assert history[-1] == (EmploymentStatus.EMPLOYED, datetime.date(2026, 3, 1))
    resident.refresh_from_db()
    assert resident.employment_status == EmploymentStatus.EMPLOYED


def test_becoming_employed_ends_the_job_search_unless_the_person_says_otherwise(community, community_staff):
    seeker = ResidentFactory(community=community, is_job_seeking=True)
    record_employment_status(seeker, EmploymentStatus.EMPLOYED, by=community_staff)
    seeker.refresh_from_db()
    assert (seeker.employment_status, seeker.is_job_seeking) == (EmploymentStatus.EMPLOYED, False)

    still = ResidentFactory(community=community, is_job_seeking=True)
    record_employment_status(still, EmploymentStatus.EMPLOYED, by=community_staff, still_seeking=True)
    still.refresh_from_db()
    assert still.is_job_seeking


def test_an_update_to_employed_ends_the_search_unless_seeking_is_given(community, community_staff):
    seeker = ResidentFactory(community=community, is_job_seeking=True)
    update_resident(
        seeker, by=community_staff, scope=scope_for_user(community_staff), data={"employment_status": "employed"}
    )
    seeker.refresh_from_db()
    assert (seeker.employment_status, seeker.is_job_seeking) == ("employed", False)

    still = ResidentFactory(community=community, is_job_seeking=True)
    update_resident(
        still,
        by=community_staff,
        scope=scope_for_user(community_staff),
        data={"employment_status": "employed", "is_job_seeking": True},
    )
    still.refresh_from_db()
    assert still.is_job_seeking


def test_update_records_status_change_and_audits_field_names_only(resident, community_staff):
    new_phone = demo_phone()
    update_resident(
        resident,
        by=community_staff,
        scope=scope_for_user(community_staff),
        data={"phone": new_phone, "employment_status": "employed"},
    )
    event = AuditEvent.objects.get(action="people.resident.updated")
    assert set(event.changed_fields) >= {"phone", "employment_status"}
    assert new_phone not in str(event.data) and new_phone not in str(event.changed_fields)
    assert resident.status_history.filter(status="employed").exists()


def test_saving_a_job_intention_makes_the_resident_a_job_seeker(resident, community_staff):
    intention = set_job_intention(resident, by=community_staff, data={"min_monthly_pay": 3500, "max_distance_km": 5})
    resident.refresh_from_db()
    assert resident.is_job_seeking
    assert intention.max_distance_km == 5


def test_intention_distance_must_be_within_fifty_km(resident, community_staff):
    with pytest.raises(ValidationError) as exc_info:
        set_job_intention(resident, by=community_staff, data={"max_distance_km": 80})
    assert "50" in messages(exc_info, "intention.max_distance_km")


def test_look_up_by_id_number_goes_through_the_blind_index(community, community_staff):
    data = resident_data(community)
    created = register_resident(by=community_staff, scope=scope_for_user(community_staff), data=data)
    assert list(find_by_id_number(Resident.objects.all(), data["id_number"].lower())) == [created]
