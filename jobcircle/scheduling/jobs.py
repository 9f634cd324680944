"""The recurring jobs the scheduler knows (定时任务目录): what each runs, for whom, and its default time.

Each job is a thin call of the service its command already runs (the commands stay, for a person at a
terminal); it returns one line for the run's 结果. A job ``per_county`` gets one schedule entry per
county the deployment serves (enabled and timed per county); the others one entry for the whole
deployment. A later app's recurring work (e.g. risk warnings) is one more ``Job`` here.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from jobcircle.areas.codes import Area
from jobcircle.assistance.monitoring.services import generate_monitoring_tasks, remind_overdue_monitoring
from jobcircle.common import audit, backup, uploads
from jobcircle.entrepreneurship.services import mark_overdue_loans
from jobcircle.gigs.services import expire_gigs
from jobcircle.households.services import sync_zero_employment
from jobcircle.matching.push import purge_old_pushes, start_push
from jobcircle.recruiting.services import remind_upcoming_fairs
from jobcircle.risk.services import run_daily as run_risk_warnings


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    description: str
    default_cron: str
    per_county: bool
    run: Callable[[str, datetime.datetime], str]  # (county code or "", the slot in local time) → 结果


def _monitoring_tasks(county, slot):
    result = generate_monitoring_tasks(slot.date(), region=Area(county))
    return f"{slot:%Y-%m} 月度监测任务：新生成 {result['created']} 条，已有 {result['existing']} 条"


def _overdue_reminders(county, slot):
    per_staff = remind_overdue_monitoring(region=Area(county))
    return f"逾期监测任务提醒：{sum(per_staff.values())} 条任务，{len(per_staff)} 位责任人"


def _fair_reminders(county, slot):
    counts = remind_upcoming_fairs(area_code=Area(county).scope_prefix)
    return f"招聘会提醒：{counts['fairs']} 场招聘会，新增 {counts['reminded']} 条站内信"


def _daily_push(county, slot):
    run = start_push(area_code=county, enqueue=True)
    return f"{run.pushed_on} 精准送岗：{run.partitions.count()} 个分区已交给后台任务"


def _purge_pushes(county, slot):
    counts = purge_old_pushes()
    return f"已删除 {counts['before']} 之前的推送 {counts['pushes']} 条、站内信 {counts['messages']} 条"


def _purge_uploads(county, slot):
    return f"已删除过期文件 {uploads.purge_expired()} 个"


def _zero_employment(county, slot):
    result = sync_zero_employment(Area(county), on=slot.date())
    return f"零就业家庭：新认定 {result['found']} 户，清零 {result['cleared']} 户，新开帮扶 {result['cases_opened']} 人"


def _risk_warnings(county, slot):
    counts = run_risk_warnings(county)
    return f"风险预警：新增 {counts['raised']} 条，逾期升级 {counts['escalated']} 条"


def _overdue_loans(county, slot):
    return f"创业担保贷款逾期：新转逾期 {mark_overdue_loans(Area(county), as_of=slot.date())} 笔"


def _expire_gigs(county, slot):
    return f"已结束过期零工 {expire_gigs()} 个"


def _purge_audit_log(county, slot):
    return f"已清理过期审计日志 {audit.purge_expired(dry_run=False)} 条"


def _backup(county, slot):
    path = backup.make_backup(backup.BACKUP_DIR)
    audit.log_action("common.backup.created", data={"file": path.name})
    return f"备份完成：{path.name}"


def _verify_audit_chain(county, slot):
    checked, broken_id, reason = audit.verify_chain()
    if broken_id is not None:
        raise RuntimeError(f"审计链断裂：记录 #{broken_id}，{reason}（此前 {checked} 条完好）")
    return f"审计链完好：共校验 {checked} 条"


JOBS: dict[str, Job] = {
    job.key: job
    for job in (
        Job("monitoring_tasks", "生成月度监测任务", "每月一监测一更新：当月任务，完成期限为本县设定的每月完成日",
            "10 0 1 * *", True, _monitoring_tasks),
        Job("overdue_reminders", "逾期监测提醒", "逾期未完成的月度监测任务，每位责任人一条短信",
            "0 9 * * *", True, _overdue_reminders),
        Job("fair_reminders", "招聘会提醒", "招聘会前一天，给辖区求职居民发站内信", "30 9 * * *", True,
            _fair_reminders),
        Job("daily_push", "精准送岗", "每天的批量推送，每个分区一个后台任务", "30 1 * * *", True, _daily_push),
        Job("purge_pushes", "清理过期推送", "超过保留期的推送与推送站内信", "30 5 * * *", False, _purge_pushes),
        Job("purge_uploads", "清理过期上传文件", "超过24小时的上传与生成文件", "15 * * * *", False, _purge_uploads),
        Job("zero_employment_households", "零就业家庭动态清零", "认定、清零零就业家庭，为其未就业成员开启帮扶",
            "40 1 * * *", True, _zero_employment),
        Job("risk_warnings", "风险预警", "按规则生成新预警（每个情形一次），逾期未处置的升级", "50 1 * * *", True,
            _risk_warnings),
        Job("overdue_loans", "创业担保贷款逾期", "有还款计划逾期超过规定天数的贷款转为逾期（记入流转记录）",
            "20 1 * * *", True, _overdue_loans),
        Job("expire_gigs", "结束过期零工", "结束时间已过的零工（招募中、已招满）转为已结束", "20 * * * *", False,
            _expire_gigs),
        Job("purge_audit_log", "清理过期审计日志", "超过保存期限的审计日志（PostgreSQL 上需表属主权限）",
            "0 3 * * *", False, _purge_audit_log),
        Job("backup", "数据库备份", "SQLite 在线备份 / PostgreSQL pg_dump，附清单", "0 2 * * *", False, _backup),
        Job("verify_audit_chain", "校验审计链", "报告第一条被修改或删除的审计记录", "0 6 * * *", False,
            _verify_audit_chain),
    )
}  # fmt: skip
