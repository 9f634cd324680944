"""Benchmark (issue 15): the bank's monthly repayment statement and the entrepreneurship figures.

On a scratch SQLite file (or BENCH_ENTREPRENEURSHIP_DATABASE_URL) seeded with the tiny demo county, LOANS more
disbursed loans (quarterly schedules) are written; then one statement of LOANS × 2 rows (the first two instalments
of each loan) is checked (dry run), applied, and imported again (nothing changes), and the figures behind
/api/v1/entrepreneurship/statistics and 逾期率 are computed for the county. Writes
bench/results/<date>-entrepreneurship.json and the "entrepreneurship" section of docs/performance.md.

    .venv/bin/python bench/entrepreneurship.py [LOANS]
"""

import datetime
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
if os.environ.get("BENCH_ENTREPRENEURSHIP_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_ENTREPRENEURSHIP_DATABASE_URL"]
else:
    bench_db = ROOT / "var" / "bench-entrepreneurship.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bench_db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from perfdoc import replace_section  # noqa: E402

from jobcircle.accounts.access import scope_for_user  # noqa: E402
from jobcircle.accounts.enums import Role  # noqa: E402
from jobcircle.accounts.models import User  # noqa: E402
from jobcircle.areas.codes import pad_code  # noqa: E402
from jobcircle.areas.models import Region  # noqa: E402
from jobcircle.demo.generator import COUNTY_CODES  # noqa: E402
from jobcircle.entrepreneurship import stats  # noqa: E402
from jobcircle.entrepreneurship.imports import import_repayments  # noqa: E402
from jobcircle.entrepreneurship.models import Instalment, Loan, LoanPolicy  # noqa: E402
from jobcircle.entrepreneurship.schedule import build_schedule  # noqa: E402
from jobcircle.people.models import Resident  # noqa: E402


def main(count):
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale="tiny", verbosity=0)
    county = Region.objects.get(code=pad_code(COUNTY_CODES[0]))  # the demo county
    admin = User.objects.create(username="bench_county", role=Role.COUNTY_ADMIN, area=county)
    policy = LoanPolicy.objects.get(code="personal")
    taken = set(Loan.objects.values_list("resident_id", flat=True))
    people = [r for r in Resident.objects.in_area(county).order_by("pk") if r.pk not in taken][:count]
    start = datetime.date.today() - datetime.timedelta(days=200)
    loans = Loan.objects.bulk_create([
        Loan(policy=policy, borrower_kind="person", resident=r, borrower=f"R{r.pk}", area_code=r.area_code,
             purpose="基准", amount_applied=Decimal(100000), amount_granted=Decimal(100000), term_months=12,
             bank="银行", contract_no=f"BENCH-{n:06d}", annual_rate=Decimal("0.04"), subsidy_share=Decimal("0.5"),
             disbursed_on=start, status="disbursed")
        for n, r in enumerate(people)
    ])  # fmt: skip
    lines = build_schedule(Decimal(100000), Decimal("0.04"), 12, start)
    Instalment.objects.bulk_create([
        Instalment(loan=loan, number=x.number, due_on=x.due_on, principal=x.principal, interest=x.interest)
        for loan in loans for x in lines
    ])  # fmt: skip
    book = Workbook(write_only=True)
    sheet = book.create_sheet("创业担保贷款还款对账单")
    sheet.append(["借款合同号", "还款日期", "还款本金（元）", "还款利息（元）", "银行流水号"])
    for loan in loans:
        for x in lines[:2]:
            sheet.append([loan.contract_no, x.due_on, 0, float(x.interest), f"{loan.contract_no}-{x.number}"])
    path = ROOT / "var" / "bench-statement.xlsx"
    book.save(path)
    rows = len(loans) * 2
    scope = scope_for_user(admin)
    timings = {}
    for name, apply in (("check", False), ("apply", True), ("reimport", True)):
        began = time.perf_counter()
        result = import_repayments(path, by=admin, scope=scope, apply=apply)
        timings[name] = round(time.perf_counter() - began, 2)
        assert not result.errors, result.errors[:3]
        timings[f"{name}_created"] = result.counts.created
    began = time.perf_counter()
    today = datetime.date.today()
    stats.loan_figures(county, today.replace(month=1, day=1), today)
    stats.startup_figures(county, today.replace(month=1, day=1), today)
    timings["statistics"] = round(time.perf_counter() - began, 3)
    began = time.perf_counter()
    stats.overdue_rate(county, today)
    timings["overdue_rate"] = round(time.perf_counter() - began, 3)
    result = {"database": connection.vendor, "loans": len(loans), "rows": rows, **timings}
    out = ROOT / "bench" / "results" / f"{today.isoformat()}-entrepreneurship.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    replace_section("entrepreneurship", [
        "## 创业担保贷款还款对账单导入与创业统计（issue 15，`bench/entrepreneurship.py`）", "",
        f"{connection.vendor}，{len(loans)} 笔贷款、对账单 {rows} 行（每笔前两期）；",
        "共享的2核机器，测量时全量测试同时在运行（时间偏长）。", "",
        "| 步骤 | 秒 |", "|---|---|",
        f"| 检查（预演，回滚） | {timings['check']} |", f"| 导入 | {timings['apply']} |",
        f"| 同一文件再次导入（0 笔新增） | {timings['reimport']} |",
        f"| 统计（贷款、创业实体，本县） | {timings['statistics']} |",
        f"| 逾期率（本县） | {timings['overdue_rate']} |", "",
        "每行一次 `record_repayment`（行锁、按期分配、状态流转、一条审计事件），逐行在保存点内执行；",
        "2026-12-05 的测量在系统负载约22时进行，约0.14秒/行，还未优化（可按贷款批量分配、批量写审计）。",
    ])  # fmt: skip
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
