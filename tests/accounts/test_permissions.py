import itertools

import pytest

from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import INCOMPATIBLE, MANAGE_USERS, PERMISSIONS, READ_AUDIT_LOG


def test_every_role_has_an_entry_in_the_matrix():
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_both_manages_users_and_reads_the_audit_log(role):
    granted = PERMISSIONS[role]
    assert not (MANAGE_USERS in granted and READ_AUDIT_LOG in granted)
    for first, second in INCOMPATIBLE:
        assert not {first, second} <= granted, (role, first, second)


def test_the_three_administrator_roles_are_distinct_and_disjoint():
    admins = [PERMISSIONS[r] for r in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN)]
    for a, b in itertools.combinations(admins, 2):
        assert a and b and not (a & b)
