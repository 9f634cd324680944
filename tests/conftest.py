"""Role fixtures over a small synthetic county:

    三公里示范县 990121
    ├── 城关街道 990121001  (county town)
    │   ├── 幸福社区 990121001001   station at (33.1600, 115.6200)
    │   └── 和平社区 990121001002   station ≈2 km east
    └── 李集镇 990121101             ≈20 km north
        └── 王庄村 990121101201

Users: county admin, staff of each township and community, the three administrators, a resident and an employer.
"""

import pytest
from django.db import connection
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import EmployerFactory, ResidentFactory, Role, make_user, region, station

# No time limit per Hypothesis example: a busy CI machine made one example of a validator test take 348 ms
# against the default 200 ms; tests assert behaviour, never speed (that is bench/'s job).
hypothesis_settings.register_profile("jobcircle", deadline=None)
hypothesis_settings.load_profile("jobcircle")


@pytest.fixture(autouse=True)
def fresh_job_snapshot():
    """Every test starts without the matching engine's cached job snapshot (rolled-back rows send no signal)."""
    from jobcircle.matching import index

    index.invalidate()


@pytest.fixture(autouse=True)
def force_login_completes_the_second_factor(monkeypatch):
    """``client.force_login`` stands for a finished sign-in, second factor included.

    Tests of the sign-in itself post to the login form instead (tests/accounts/test_sign_in.py).
    """
    from jobcircle.accounts.security import SECOND_FACTOR_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SECOND_FACTOR_KEY] = user.pk
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def county(db):
    province = region("990000000000", "示范省", 1)
    city = region("990100000000", "示范市", 2, province)
    return region("990121000000", "三公里示范县", 3, city)


@pytest.fixture
def town(county):
    return region("990121001000", "城关街道", 4, county)


@pytest.fixture
def other_township(county):
    return region("990121101000", "李集镇", 4, county)


@pytest.fixture
def community(town):
    c = region("990121001001", "幸福社区", 5, town)
    station(c, 33.1600, 115.6200)
    return c


@pytest.fixture
def neighbour_community(town):
    c = region("990121001002", "和平社区", 5, town)
    station(c, 33.1600, 115.6415)
    return c


@pytest.fixture
def village(other_township):
    c = region("990121101201", "王庄村", 5, other_township)
    station(c, 33.3400, 115.6200)
    return c


@pytest.fixture
def county_admin(county):
    return make_user("county_admin", Role.COUNTY_ADMIN, area=county)


@pytest.fixture
def township_staff(town):
    return make_user("township_staff", Role.TOWNSHIP_STAFF, area=town)


@pytest.fixture
def other_township_staff(other_township):
    return make_user("other_township_staff", Role.TOWNSHIP_STAFF, area=other_township)


@pytest.fixture
def community_staff(community):
    return make_user("community_staff", Role.COMMUNITY_STAFF, area=community)


@pytest.fixture
def neighbour_staff(neighbour_community):
    return make_user("neighbour_staff", Role.COMMUNITY_STAFF, area=neighbour_community)


@pytest.fixture
def system_admin(db):
    """系统管理员 (manages accounts); administrators serve no area."""
    return make_user("system_admin", Role.SYSTEM_ADMIN)


@pytest.fixture
def audit_admin(db):
    """审计管理员 (reads the audit log)."""
    return make_user("audit_admin", Role.AUDIT_ADMIN)


@pytest.fixture
def security_admin(db):
    """安全管理员 (unlocks logins)."""
    return make_user("security_admin", Role.SECURITY_ADMIN)


@pytest.fixture
def resident(community):
    return ResidentFactory(community=community)


@pytest.fixture
def resident_user(resident):
    return make_user("resident_user", Role.RESIDENT, resident=resident)


@pytest.fixture
def employer(community):
    return EmployerFactory(community=community)


@pytest.fixture
def employer_user(employer):
    return make_user("employer_user", Role.EMPLOYER, employer=employer)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


# Transactional tests (live server, concurrency, backups) run after the others and empty every table
# when they finish; tests that need the migrated catalogues after such a flush ask for them here.
@pytest.fixture
def catalogues(transactional_db):
    """The 职业分类大典 and key groups, as the data migrations load them (reloaded after a flush)."""
    from django.core.management import call_command

    from jobcircle.classifications.models import Occupation
    from jobcircle.people.data_key_groups import KEY_GROUPS
    from jobcircle.people.models import KeyGroup

    if not Occupation.objects.exists():
        call_command("load_classifications", only="occupations", verbosity=0)
    if not KeyGroup.objects.exists():
        KeyGroup.objects.bulk_create(
            [KeyGroup(code=code, name=name, description=description, sort_order=order)
             for order, (code, name, description) in enumerate(KEY_GROUPS, start=1)]
        )  # fmt: skip
