"""Chinese labels for the codes the audit log and the history tables store (one place).

The log keeps codes — dotted action codes (``accounts.login.failed``), results (``failure``) and model
field names (``employment_status``) — and exports keep them too; screens show these labels instead.
An action reads as 对象·动作: the noun from its middle part, the verb from its last part. A code
without a label is shown as it is, so nothing is hidden; ``tests/common/test_labels.py`` checks that
every code the code base writes has one.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

NOUNS = {
    "login": "登录", "login_code": "短信验证码", "mfa": "二次验证", "password": "密码", "token": "API令牌",
    "totp": "身份验证器", "user": "用户账号", "station": "就业服务站", "case": "帮扶对象",
    "import": "台账导入", "ledger": "台账", "monitoring": "月度监测", "monitoring_policy": "监测范围",
    "template": "导入模板", "welfare_placement": "公益性岗位安置", "welfare_post": "公益性岗位",
    "welfare_subsidy": "公益性岗位补贴", "workshop": "就业帮扶车间", "audit": "审计日志", "backup": "数据备份",
    "pii": "个人信息加密", "employer": "用人单位", "job": "岗位", "push": "精准送岗", "intention": "求职意向",
    "resident": "居民", "application": "求职申请", "job_fair": "招聘会", "liaison": "人社专员",
    "employment_registration": "就业登记", "unemployment_registration": "失业登记",
    "difficulty_certification": "就业困难人员认定", "urban_employed_base": "城镇从业人员基数",
    "target": "目标任务", "key_task": "重点任务", "cadence": "推送频次",
    "schedule": "定时任务",
}  # fmt: skip

VERBS = {
    "created": "新建", "updated": "修改", "saved": "保存", "exported": "导出", "status_changed": "状态变更",
    "failed": "失败", "locked_out": "锁定", "succeeded": "成功", "unlocked": "解锁", "ip_ceiling": "超出IP上限",
    "rejected": "被拒绝", "send_failed": "发送失败", "sent": "发送", "verified": "校验通过", "reset": "重置",
    "changed": "修改", "issued": "签发", "enrolled": "绑定", "enrolment_failed": "绑定失败",
    "enrolment_started": "开始绑定", "deactivated": "停用", "opened": "纳入帮扶", "service_recorded": "记录服务",
    "transitioned": "状态变更", "applied": "入库", "confirmed": "确认", "duplicate": "重复提交",
    "submitted": "提交", "overdue_reminded": "逾期提醒", "recorded": "记录", "tasks_generated": "生成任务",
    "downloaded": "下载", "exited": "退出", "started": "上岗", "disbursed": "发放", "checked": "核查",
    "read": "查阅", "purged": "清理", "restore_drill": "恢复演练", "keys_rotated": "密钥轮换",
    "key_groups_changed": "重点群体变更", "pii_reveal_throttled": "查看完整信息被限流",
    "pii_revealed": "查看完整信息", "employer_added": "添加用人单位", "signed_in": "签到", "assigned": "指派",
    "ended": "结束", "recommended": "推荐岗位", "visited": "走访", "approved": "审核通过", "returned": "退回修改",
    "closed": "结束签到", "reminded": "提醒", "set": "设定", "split": "分解", "noted": "记录进展",
    "push_preferences_set": "推送设置",
    "run_now": "立即运行",
}  # fmt: skip

# Whole codes whose parts would read wrongly (the pipeline's steps take the status's own label).
ACTIONS = {
    "accounts.login.succeeded": "登录成功", "accounts.login.failed": "登录失败",
    "common.audit.verified": "审计日志·校验哈希链",
}  # fmt: skip

RESULTS = {"success": "成功", "failure": "失败"}

# data keys written beside the changed fields
DATA_KEYS = {
    "from": "原状态", "to": "新状态", "note": "说明", "reason": "原因", "rows": "行数", "filter": "筛选条件",
    "filters": "筛选条件", "fields": "字段", "count": "数量", "month": "月份", "source": "来源", "batch": "批次",
    "created": "新增", "existing": "已有", "page": "页码", "exported": "导出", "username": "用户名",
}  # fmt: skip


# Input names of the services' write tables and their labels (accounts.permissions registers its own
# at start-up: common sits below accounts, so it is told rather than importing it).
INPUT_LABELS: dict[str, str] = {}


def _application_steps():
    # Read through the app registry, not an import: common sits below recruiting.
    status = apps.get_model("recruiting", "Application")._meta.get_field("status")
    return {f"recruiting.application.{value}": f"求职申请·{label}" for value, label in status.choices}


def action_label(code: str) -> str:
    """``people.resident.updated`` → 居民·修改; a code without a label stays as it is."""
    code = code or ""
    if code in ACTIONS:
        return ACTIONS[code]
    steps = _application_steps()
    if code in steps:
        return steps[code]
    parts = code.split(".")
    if len(parts) == 3 and parts[1] in NOUNS and parts[2] in VERBS:
        return f"{NOUNS[parts[1]]}·{VERBS[parts[2]]}"
    return code


def has_label(code: str) -> bool:
    return action_label(code) != code


def result_label(code: str) -> str:
    return RESULTS.get(code, code)


def field_label(object_type: str, name: str) -> str:
    """A model field's verbose_name (``people.resident`` + ``employment_status`` → 就业状态)."""
    try:
        model = apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        model = None
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return INPUT_LABELS.get(name) or DATA_KEYS.get(name, name)


def field_labels(object_type: str, names) -> list[str]:
    return [field_label(object_type, name) for name in names or ()]
