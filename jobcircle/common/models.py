from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Append-only, hash-chained record of a business or security event (SEC-12/13/14).

    Never holds plaintext PII. Each row stores the previous row's hash and its own,
    so ``manage.py verify_audit_chain`` finds the first edited or deleted row. On
    PostgreSQL a trigger rejects UPDATE and DELETE; users with history are
    deactivated, never deleted (PROTECT).
    """

    created_at = models.DateTimeField("时间（UTC）", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_role = models.CharField("角色", max_length=32, blank=True)
    source_ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    request_id = models.CharField("请求ID", max_length=36, blank=True)
    action = models.CharField("动作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    area_code = models.CharField("所属区划", max_length=12, blank=True, db_index=True)
    result = models.CharField("结果", max_length=16, default="success")
    changed_fields = models.JSONField("变更字段", default=list, blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)
    prev_hash = models.CharField("前一条摘要", max_length=64, default="0" * 64)
    row_hash = models.CharField("本条摘要", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class AuditChainHead(models.Model):
    """The chain's tip (serialises appends) and its anchor after a retention purge."""

    last_hash = models.CharField("最新摘要", max_length=64, default="0" * 64)
    last_id = models.BigIntegerField("最新记录ID", default=0)
    anchor_id = models.BigIntegerField("链起点之前的记录ID", default=0)
    anchor_hash = models.CharField("链起点的前一条摘要", max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self):
        return f"{self.last_id} {self.last_hash[:12]}"


class TaskProgress(models.Model):
    """Progress of a long job a person waits on (import, batch push, report), shown by the UI."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("任务类型", max_length=50)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    area_code = models.CharField("区划代码", max_length=12, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "后台任务进度"
        verbose_name_plural = "后台任务进度"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.kind} {self.done}/{self.total}"

    @property
    def percent(self):
        return 100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0
