"""Benchmark (issue 20): "今天/明天 附近零工" and confirming sign-ups, on a county's worth of gigs.

On a scratch database (a fresh SQLite file under var/, or BENCH_GIGS_DATABASE_URL): GIGS open gigs spread
over a 40 × 40 km county over the next two days, then
- nearby: ``gigs.services.nearby_gigs`` (3 km, tomorrow) from 300 random points: latency percentiles;
- confirm: sign-ups confirmed one after another through ``transition_signup`` (the gig row lock, the
  places count, the log and audit rows): latency percentiles.

    .venv/bin/python bench/gigs.py [GIGS]
"""

import datetime
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
if os.environ.get("BENCH_GIGS_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_GIGS_DATABASE_URL"]
else:
    bench_db = ROOT / "var" / "bench-gigs.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bench_db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.timing import percentiles, samples  # noqa: E402
from jobcircle.accounts.access import scope_for_user  # noqa: E402
from jobcircle.accounts.enums import Role  # noqa: E402
from jobcircle.accounts.models import User  # noqa: E402
from jobcircle.areas.enums import RegionLevel  # noqa: E402
from jobcircle.areas.models import Region  # noqa: E402
from jobcircle.classifications.models import Occupation  # noqa: E402
from jobcircle.demo.generator import SCALES, DemoBuilder, synthetic_id_number  # noqa: E402
from jobcircle.employers.models import Employer  # noqa: E402
from jobcircle.gigs import services  # noqa: E402
from jobcircle.gigs.enums import GigStatus, PayUnit, PosterKind  # noqa: E402
from jobcircle.gigs.models import Gig  # noqa: E402
from jobcircle.people.models import Resident  # noqa: E402

LAT, LNG, KM = 33.16, 115.62, 1 / 111.2


def county():
    province = Region.objects.create(code="990000000000", name="示范省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="990100000000", name="示范市", level=RegionLevel.CITY, parent=province)
    county = Region.objects.create(code="990121000000", name="示范县", level=RegionLevel.COUNTY, parent=city)
    town = Region.objects.create(code="990121001000", name="城关街道", level=RegionLevel.TOWNSHIP, parent=county)
    return Region.objects.create(code="990121001001", name="幸福社区", level=RegionLevel.COMMUNITY, parent=town)


def main(count=20_000):
    call_command("migrate", verbosity=0)
    rng = random.Random(20)
    community = county()
    builder = DemoBuilder(1, SCALES["tiny"])
    employer = Employer(name="基准用工单位", credit_code=builder.credit_code("990121", "1"), address="测试路",
                        community=community, area_code=community.code, contact_name="联系人")  # fmt: skip
    employer.set_contact_phone("14000000001")
    employer.set_location(LAT, LNG)
    employer.save()
    user = User(username="bench_employer", role=Role.EMPLOYER, employer=employer)
    user.save()
    occupation = Occupation.objects.filter(level=4).order_by("code").first()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    gigs = []
    for i in range(count):
        day = tomorrow - datetime.timedelta(days=i % 2)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + i % 10)))
        gig = Gig(poster_kind=PosterKind.EMPLOYER, employer=employer, title="搬运", description="搬运货物",
                  occupation=occupation, starts_at=start, ends_at=start + datetime.timedelta(hours=4), address="某地",
                  pay_unit=PayUnit.HOUR, pay_rate=30, headcount=1000, area_code=community.code,
                  status=GigStatus.OPEN, published_on=timezone.localdate())  # fmt: skip
        gig.set_location(LAT + rng.uniform(-20, 20) * KM, LNG + rng.uniform(-20, 20) * KM)
        gigs.append(gig)
    Gig.objects.bulk_create(gigs, batch_size=2000)
    points = [(LAT + rng.uniform(-18, 18) * KM, LNG + rng.uniform(-18, 18) * KM) for _ in range(300)]
    found = []
    nearby = samples(lambda p: found.append(len(services.nearby_gigs(*p, 3, day=tomorrow))), points)

    workers = []
    for i in range(300):
        resident = Resident(name=f"零工{i}", birth_date=datetime.date(1985, 1, 1), gender="M", community=community,
                            area_code=community.code)  # fmt: skip
        resident.set_id_number(synthetic_id_number(datetime.date(1985, 1, 1), i))
        resident.set_phone(f"140{i + 10:08d}")
        resident.set_location(LAT, LNG)
        workers.append(resident)
    Resident.objects.bulk_create(workers)
    gig = Gig.objects.order_by("id").first()
    signups = [services.sign_up(gig, worker, by=None) for worker in Resident.objects.all()]
    scope = scope_for_user(user)
    confirm = samples(lambda s: services.transition_signup(s, "confirmed", by=user, scope=scope), signups, warmup=0)
    result = {
        "benchmark": "gigs", "date": f"{timezone.localdate():%Y-%m-%d}", "database": connection.vendor,
        "gigs": count, "nearby_3km_tomorrow": {**percentiles(nearby), "mean_found": round(sum(found) / len(found), 1)},
        "confirm_signup": percentiles(confirm),
    }  # fmt: skip
    out = ROOT / "bench" / "results" / f"{result['date']}-{connection.vendor}-gigs.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
