"""家庭户台账 through the import gate: all-or-nothing, idempotent, row errors naming row and column."""

import pytest

from jobcircle.assistance.enums import ImportKind, ImportState
from jobcircle.households.models import Household, HouseholdMembership
from jobcircle.people.models import Resident
from tests.assistance.test_imports import error_rows, run, xlsx

from .factories import household, member

pytestmark = pytest.mark.django_db

HEADERS = ["户编号", "社区代码", "家庭住址", "有经营性或财产性收入", "身份证号", "姓名", "与户主关系", "入户日期"]


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.JOBCIRCLE_UPLOAD_ROOT = tmp_path / "uploads"


def id_of(resident):
    from jobcircle.common import pii

    return pii.decrypt(resident.id_number_encrypted)


def rows_for(number, community, people, relations=("户主", "配偶", "子女")):
    return [
        [number, community.code, "幸福路1号", "否", id_of(p), p.name, relation, None]
        for p, relation in zip(people, relations, strict=False)
    ]


def test_a_ledger_of_two_households_imports_once_and_again_changes_nothing(community_staff, community):
    people = [member(community) for _ in range(4)]
    content = xlsx(HEADERS, rows_for("A001", community, people[:2]) + rows_for("A002", community, people[2:]))
    batch = run(community_staff, ImportKind.HOUSEHOLDS, content)
    assert (batch.state, batch.created_count, batch.updated_count) == (ImportState.APPLIED, 4, 0)
    made = Household.objects.get(number="A001")
    assert made.address == "幸福路1号" and made.area_code == community.code
    assert {m.resident_id: m.relation for m in made.memberships.all()} == {people[0].pk: "head", people[1].pk: "spouse"}
    again = run(community_staff, ImportKind.HOUSEHOLDS, xlsx(HEADERS, rows_for("A001", community, people[:2])))
    assert (again.state, again.created_count, again.updated_count, again.unchanged_count) == (
        ImportState.APPLIED, 0, 0, 2,
    )  # fmt: skip
    assert HouseholdMembership.objects.count() == 4


def test_one_bad_row_rejects_the_whole_file_naming_row_and_column(community_staff, community, village):
    people = [member(community) for _ in range(3)]
    rows = rows_for("B001", community, people[:2])
    rows.append(["B002", community.code, "", "否", id_of(people[2]), "别人", "子女", None])  # wrong name, no head
    rows.append(["B003", village.code, "", "也许", id_of(people[2]), people[2].name, "舅舅", None])
    batch = run(community_staff, ImportKind.HOUSEHOLDS, xlsx(HEADERS, rows))
    assert batch.state == ImportState.REJECTED
    found = {(row, column) for row, column, _message in error_rows(batch)}
    assert {(5, "有经营性或财产性收入"), (5, "与户主关系"), (4, "与户主关系")} <= found
    assert not Household.objects.exists() and not HouseholdMembership.objects.exists()


def test_a_member_listed_in_another_household_moves_there(community_staff, community):
    mover, head = member(community), member(community)
    old = household(community, [mover])
    batch = run(community_staff, ImportKind.HOUSEHOLDS, xlsx(HEADERS, rows_for("C001", community, [head, mover])))
    assert (batch.state, batch.created_count, batch.updated_count) == (ImportState.APPLIED, 1, 1)
    assert HouseholdMembership.objects.current().get(resident=mover).household.number == "C001"
    assert HouseholdMembership.objects.get(resident=mover, household=old).left_on is not None


def test_residents_outside_the_importers_area_are_not_found(neighbour_staff, community, neighbour_community):
    people = [member(community)]
    batch = run(neighbour_staff, ImportKind.HOUSEHOLDS, xlsx(HEADERS, rows_for("D001", neighbour_community, people)))
    assert batch.state == ImportState.REJECTED
    assert any(column == "身份证号" for _row, column, _m in error_rows(batch))
    assert Resident.objects.filter(household_memberships__isnull=False).count() == 0
