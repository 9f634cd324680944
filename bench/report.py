"""Benchmark (`make bench`): a county's year work report (工作情况汇报) on the city demo (issue 16).

Goal: under 30 s. Builds the city demo (6 counties, a year of history) in a scratch database (a fresh
SQLite file under var/, or BENCH_REPORT_DATABASE_URL), then generates the year report of the demo county
exactly as the background task does (``insights.report.generate_work_report``: every registered figure for
the year, the previous year and the year before, each township, the .docx and the appendix), and records
the time of the whole generation and of one evaluation of the registry, per figure source.

    .venv/bin/python bench/report.py
"""

import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
from timing import use_scratch_database  # noqa: E402 - bench/ (this script's folder)

use_scratch_database(ROOT, "BENCH_REPORT_DATABASE_URL", "bench-report.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from jobcircle.accounts.models import User  # noqa: E402
from jobcircle.areas.models import Region  # noqa: E402
from jobcircle.insights import figures as registry  # noqa: E402
from jobcircle.insights.models import WorkReport  # noqa: E402
from jobcircle.insights.report import generate_work_report  # noqa: E402

COUNTY_CODE = "990121000000"  # the demo county (三公里示范县)
GOAL_SECONDS = 30
SCALE = os.environ.get("BENCH_REPORT_SCALE", "city")  # "county" for a quick look; the goal is on the city demo


def source_times(prefix, period):
    """Seconds per figure source for one evaluation of the registry (where the time goes)."""
    seconds, seen = defaultdict(float), set()
    for figure in registry.REGISTRY.values():
        if figure.source in seen:
            continue
        seen.add(figure.source)
        started = time.perf_counter()
        figure.source(prefix, period)
        seconds[figure.source.__name__] += time.perf_counter() - started
    return dict(sorted(((k, round(v, 3)) for k, v in seconds.items()), key=lambda kv: -kv[1]))


def main():
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", "--scale", SCALE, "--seed", "1", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_s = time.perf_counter() - started
    print(f"demo ({SCALE}) seeded in {seed_s:.0f} s", flush=True)
    county = Region.objects.get(code=COUNTY_CODE)
    period = registry.parse_period(str(timezone.localdate().year))
    admin = User.objects.filter(role="county_admin", area=county).first()
    report = WorkReport.objects.create(
        area_code=county.code, area_name=county.full_name or county.name, period_start=period.start,
        period_end=period.end, period_label=period.label, created_by=admin,
    )  # fmt: skip
    started = time.perf_counter()
    report = generate_work_report(report.pk)
    report_s = time.perf_counter() - started
    started = time.perf_counter()
    registry.evaluate(county.scope_prefix, period)
    evaluate_s = time.perf_counter() - started
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "database": connection.vendor,
        "scale": SCALE,
        "seed_seconds": round(seed_s, 1),
        "report": f"{report.area_name} {report.period_label}",
        "figures": len(registry.REGISTRY),
        "townships": report.figures.exclude(area_code=county.code).values("area_code").distinct().count(),
        "paragraphs": len(report.paragraphs),
        "report_seconds": round(report_s, 2),
        "one_evaluation_seconds": round(evaluate_s, 2),
        "slowest_sources_seconds": dict(list(source_times(county.scope_prefix, period).items())[:8]),
        "goal_seconds": GOAL_SECONDS,
        "within_goal": report_s <= GOAL_SECONDS,
        "machine": f"{os.cpu_count()} cores",
    }
    out = ROOT / "bench" / "results" / f"{result['date']}-{connection.vendor}-{SCALE}-work-report.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
