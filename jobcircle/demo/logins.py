"""One demo login per role, created only by seed_demo (SEC-07: no default accounts otherwise)."""

import os

from jobcircle.accounts.enums import ADMIN_ROLES, STAFF_ROLES, Role
from jobcircle.accounts.models import User
from jobcircle.areas.models import Region
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident

from .generator import COUNTY_CODES


def demo_password():
    return os.environ.get("DEMO_PASSWORD", "Demo-jobcircle-2026")


def ensure_demo_logins():
    """Create or refresh the demo accounts, one per role; returns [(username, role label, area or record)]."""
    county = Region.objects.get(code=COUNTY_CODES[0] + "000000")
    township = county.children.order_by("code").first()
    community = township.children.order_by("code").first()
    resident = Resident.objects.filter(area_code=community.code, is_job_seeking=True).order_by("id").first()
    employer = Employer.objects.in_area(county).order_by("id").first()
    plan = [
        ("county_admin", Role.COUNTY_ADMIN, {"area": county}, county.name),
        ("township_staff", Role.TOWNSHIP_STAFF, {"area": township}, township.name),
        ("community_staff", Role.COMMUNITY_STAFF, {"area": community}, f"{township.name}{community.name}"),
        ("resident", Role.RESIDENT, {"resident": resident}, f"居民 {resident}"),
        ("employer", Role.EMPLOYER, {"employer": employer}, employer.name),
        # The three administrators (SEC-08), each with only their own back-office screen.
        ("system_admin", Role.SYSTEM_ADMIN, {}, "账号管理"),
        ("audit_admin", Role.AUDIT_ADMIN, {}, "审计日志"),
        ("security_admin", Role.SECURITY_ADMIN, {}, "登录锁定"),
    ]
    logins = []
    for username, role, links, where in plan:
        user, _ = User.objects.get_or_create(username=username, defaults={"role": role, **links})
        user.role = role
        for field, value in links.items():
            setattr(user, field, value)
        user.set_password(demo_password())
        if role in STAFF_ROLES | ADMIN_ROLES:  # they confirm a texted code; the console SMS backend prints it
            user.set_phone(f"1400000{len(logins) + 1:04d}")
        user.save()
        logins.append((username, role.label, where))
    return logins
