"""Standards and officers for the 充分就业社区 tests, built through the services."""

import datetime

from jobcircle.communities import services
from jobcircle.communities.enums import Measure
from jobcircle.communities.models import CommunityOfficer

EVIDENCE = "佐证材料"


def one_criterion_standard(county, measure: Measure, threshold, *, by=None):
    """A county standard of the single criterion ``measure`` (so a test reads exactly that one)."""
    return services.new_standard_version(
        county, by=by, name="测试标准", valid_from=datetime.date(2000, 1, 1),
        criteria=[{"measure": measure, "threshold": threshold, "evidence": EVIDENCE}],
    )  # fmt: skip


def officer(community, name="张专干", *, appointed_on=datetime.date(2000, 1, 1), left_on=None):
    return CommunityOfficer.objects.create(community=community, name=name, appointed_on=appointed_on, left_on=left_on)
