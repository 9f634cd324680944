"""Benchmark (`make bench`): importing a 居民实名台账 of 100,000 rows (issue 5).

Goal: under 60 s on SQLite and under 2 GB of memory. Measures, on a scratch database (a fresh SQLite
file under var/, or BENCH_IMPORT_DATABASE_URL), the same code path a staff upload takes through the worker:
the upload gate, the check (dry run: read, validate every row, plan), the apply (validate again,
upsert in one transaction), and a second import of the same rows in another file (0 created,
0 updated). Peak memory is the process's maximum resident set size.

    .venv/bin/python bench/import_residents.py [ROWS]
"""

import datetime
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
from timing import use_scratch_database  # noqa: E402 - bench/ (this script's folder)

# Its own empty database: BENCH_IMPORT_DATABASE_URL (e.g. a scratch PostgreSQL), else a fresh SQLite file.
use_scratch_database(ROOT, "BENCH_IMPORT_DATABASE_URL", "bench-import.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from jobcircle.accounts.enums import Role  # noqa: E402
from jobcircle.accounts.models import User  # noqa: E402
from jobcircle.areas.enums import RegionLevel  # noqa: E402
from jobcircle.assistance.enums import ImportKind  # noqa: E402
from jobcircle.assistance.imports.runner import run_import  # noqa: E402
from jobcircle.assistance.ledgers import RESIDENTS  # noqa: E402
from jobcircle.assistance.models import ImportBatch  # noqa: E402
from jobcircle.common.uploads import store_upload  # noqa: E402
from jobcircle.demo.generator import CITY_CODE, PROVINCE_CODE, SCALES, DemoBuilder, synthetic_id_number  # noqa: E402
from jobcircle.people.enums import Education, EmploymentStatus  # noqa: E402
from jobcircle.people.models import Resident  # noqa: E402

GROUPS = ["脱贫人口", "监测对象", "农民工", "高校毕业生", "退役军人", "就业困难人员", ""]


def write_ledger(path, rows, communities, seed=1):
    """A ledger as staff produce it: text ID and code cells, labels from the drop-downs (write-only, fast)."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(RESIDENTS.title)
    sheet.append([f.header for f in RESIDENTS.fields])
    births = datetime.date(1960, 1, 1)
    for i in range(rows):
        birth = births + datetime.timedelta(days=i // 400)  # 400 people per birth date, unique sequence each
        sequence = (i % 400) * 2 + rng.randint(0, 1)
        groups = "、".join(sorted({rng.choice(GROUPS), rng.choice(GROUPS)} - {""}))
        sheet.append([
            f"测试{i:06d}", synthetic_id_number(birth, sequence), f"140{i:08d}", rng.choice(communities),
            rng.choice(Education.labels[1:]), rng.choice(EmploymentStatus.labels), rng.choice(("是", "否")), groups,
        ])  # fmt: skip
    workbook.save(path)


def submit(path, user):
    with open(path, "rb") as handle:
        stored = store_upload(File(handle, name=path.name))
    return ImportBatch.objects.create(
        kind=ImportKind.RESIDENTS, sha256=stored.sha256, original_name=stored.original_name,
        stored_name=stored.name, size=stored.size, area_code=user.area.code, created_by=user,
    )  # fmt: skip


CPU = {}


def timed(fn, name=None):
    """Wall-clock seconds; the process's CPU seconds are kept in CPU[name] (the machine may be shared)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    if name:
        CPU[name] = round(time.process_time() - cpu, 1)
    return result, round(time.perf_counter() - started, 1)


def main(rows=100_000):
    call_command("migrate", verbosity=0)
    settings.JOBCIRCLE_UPLOAD_MAX_BYTES = 100 * 1024 * 1024
    builder = DemoBuilder(1, SCALES["county"])
    province = builder.region(PROVINCE_CODE, "示范省", RegionLevel.PROVINCE, None)
    county, stations = builder.build_county(0, builder.region(CITY_CODE, "示范市", RegionLevel.CITY, province))
    admin = User.objects.create_user("bench_admin", password=None, role=Role.COUNTY_ADMIN, area=county)
    communities = [s.area_code for s in stations]
    ledger = ROOT / "var" / "bench-residents.xlsx"
    _, write_s = timed(lambda: write_ledger(ledger, rows, communities))
    batch = submit(ledger, admin)
    checked, check_s = timed(lambda: run_import(batch.pk, apply=False), "check")
    applied, apply_s = timed(lambda: run_import(batch.pk, apply=True), "apply")
    assert applied.state == "applied" and applied.created_count == rows, applied.message
    copy = ROOT / "var" / "bench-residents-copy.xlsx"
    write_ledger(copy, rows, communities)  # same rows, a different file (new SHA-256)
    again = submit(copy, admin)
    run_import(again.pk, apply=False)
    assert checked.state == "previewed", checked.message
    repeated, repeat_s = timed(lambda: run_import(again.pk, apply=True), "reimport")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "database": connection.vendor,
        "rows": rows,
        "file_mb": round(ledger.stat().st_size / 1048576, 1),
        "write_xlsx_seconds": write_s,
        "check_seconds": check_s,
        "apply_seconds": apply_s,
        "check_plus_apply_seconds": round(check_s + apply_s, 1),
        "reimport_same_rows_seconds": repeat_s,
        "reimport_created_updated_unchanged": [
            repeated.created_count,
            repeated.updated_count,
            repeated.unchanged_count,
        ],
        "residents_in_database": Resident.objects.count(),
        "peak_rss_mb": round(peak_mb),
        "cpu_seconds": CPU,
        "load_average_1m_at_end": round(os.getloadavg()[0], 1),
        "goal": "check + apply < 60 s on SQLite, < 2 GB",
        "machine": f"{os.cpu_count()} cores",
        "checked_state": checked.state,
    }
    ledger.unlink(missing_ok=True)
    copy.unlink(missing_ok=True)
    out = ROOT / "bench" / "results" / f"{result['date']}-{connection.vendor}-import-residents.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
