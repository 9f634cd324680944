from django.conf import settings
from django.db import models

from jobcircle.areas.models import LocatedModel, LocatedQuerySet
from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common import pii
from jobcircle.common.models import TimeStampedModel

from .enums import (
    DifficultyCategory,
    Education,
    EmploymentEndReason,
    EmploymentStatus,
    Gender,
    IdType,
    KeyGroupChangeSource,
    UnemploymentEndReason,
    WorkType,
)


class KeyGroup(models.Model):
    """重点群体 tag; the list is data (loaded by migration, extensible in the admin)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "重点群体"
        verbose_name_plural = "重点群体"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class ResidentQuerySet(LocatedQuerySet):
    def job_seekers(self):
        return self.filter(is_job_seeking=True)

    def accepting_pushes(self, day):
        """Residents who take job pushes on ``day``: not stopped, not paused through that day."""
        return self.filter(push_stopped=False).filter(
            models.Q(push_paused_until__isnull=True) | models.Q(push_paused_until__lt=day)
        )

    def filter_by(self, *, area=None, key_group=None, is_job_seeking=None, employment_status=None, q=None):
        """The list filters shared by the API, back-office lists and exports (``area``: a region value)."""
        qs = self
        if area:
            qs = qs.in_area(area)
        if key_group:
            qs = qs.filter(key_groups__code=key_group)
        if is_job_seeking is not None:
            qs = qs.filter(is_job_seeking=is_job_seeking)
        if employment_status:
            qs = qs.filter(employment_status=employment_status)
        if q:
            qs = qs.filter(name__contains=q)
        return qs

    def by_id_number(self, id_number):
        """Look up by the blind index of an already normalised ID number."""
        return self.filter(id_number_hash=pii.blind_index("id_number", id_number))


def age_on(birth, day) -> int:
    """Age in whole years on ``day``: one more on each birthday (born on 29 February: on 1 March in
    common years). The one age rule: the matching snapshot and the welfare-post rules use it too."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class Resident(TimeStampedModel, LocatedModel):
    """Real-name record of a resident (居民/劳动者). Write through people.services only."""

    name = models.CharField("姓名", max_length=50)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number_encrypted = models.TextField("证件号码（密文）", editable=False)
    id_number_hash = models.CharField("证件号码索引", max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField("证件号码（脱敏）", max_length=32, editable=False)
    phone_encrypted = models.TextField("手机号（密文）", blank=True, editable=False)
    phone_hash = models.CharField("手机号索引", max_length=64, null=True, blank=True, unique=True, editable=False)
    phone_masked = models.CharField("手机号（脱敏）", max_length=16, blank=True, editable=False)
    birth_date = models.DateField("出生日期")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    community = models.ForeignKey(
        "areas.Region", verbose_name="所属社区/村", on_delete=models.PROTECT, related_name="residents"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    education = models.PositiveSmallIntegerField("文化程度", choices=Education.choices, default=Education.NONE)
    occupations = models.ManyToManyField(
        "classifications.Occupation", verbose_name="职业（技能）", blank=True, related_name="residents"
    )
    skills = models.JSONField("技能特长", default=list, blank=True)
    key_groups = models.ManyToManyField(KeyGroup, verbose_name="重点群体", blank=True, related_name="residents")
    employment_status = models.CharField(
        "就业状态", max_length=24, choices=EmploymentStatus.choices, default=EmploymentStatus.UNEMPLOYED
    )
    is_job_seeking = models.BooleanField("正在求职", default=False, db_index=True)
    # 精准送岗 preferences, set by the resident on H5 (services.set_push_preferences); db defaults
    # too: bulk writers (the ledger import, the demo) name only their own columns.
    push_paused_until = models.DateField("暂停岗位推送至", null=True, blank=True)
    push_stopped = models.BooleanField("不再接收岗位推送", default=False, db_default=False)
    push_sms_every_time = models.BooleanField("每次推送都发短信", default=False, db_default=False)

    objects = ResidentQuerySet.as_manager()
    scope_owner_fields = {"resident": "pk"}

    class Meta:
        verbose_name = "居民"
        verbose_name_plural = "居民"
        ordering = ["area_code", "id"]
        indexes = [models.Index(fields=["area_code", "is_job_seeking"])]

    def __str__(self):
        return pii.mask_name(self.name)

    # The encrypt / blind-index / mask triple of each personal number, declared once (common.pii.PIIField).
    set_id_number = pii.PIIField("id_number", mask=pii.mask_id_number)
    set_phone = pii.PIIField("phone", mask=pii.mask_phone, empty_hash=None)

    @property
    def age(self):
        from django.utils import timezone

        return age_on(self.birth_date, timezone.localdate())


class JobIntention(TimeStampedModel):
    """求职意向: what work the resident is looking for."""

    resident = models.OneToOneField(Resident, verbose_name="居民", on_delete=models.CASCADE, related_name="intention")
    occupations = models.ManyToManyField(
        "classifications.Occupation", verbose_name="意向职业", blank=True, related_name="+"
    )
    min_monthly_pay = models.PositiveIntegerField("期望月薪下限（元）", default=0)
    max_distance_km = models.DecimalField("最远通勤距离（公里）", max_digits=4, decimal_places=1, default=3)
    work_type = models.CharField("工作类型", max_length=16, choices=WorkType.choices, default=WorkType.FULL_TIME)
    available_from = models.DateField("可到岗日期", null=True, blank=True)

    class Meta:
        verbose_name = "求职意向"
        verbose_name_plural = "求职意向"
        constraints = [
            models.CheckConstraint(
                name="intention_distance_range", condition=models.Q(max_distance_km__gt=0, max_distance_km__lte=50)
            ),
        ]

    def __str__(self):
        return f"{self.resident} 的求职意向"


class EmploymentStatusChange(models.Model):
    """Dated history of a resident's employment status."""

    resident = models.ForeignKey(Resident, verbose_name="居民", on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField("就业状态", max_length=24, choices=EmploymentStatus.choices)
    changed_on = models.DateField("变更日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "就业状态变更"
        verbose_name_plural = "就业状态变更"
        ordering = ["resident", "changed_on", "id"]

    def __str__(self):
        return f"{self.changed_on} {self.get_status_display()}"


class KeyGroupChange(models.Model):
    """One change of a resident's key groups (重点群体认定/调整) with its evidence (认定依据).

    Written by people.services (staff form, API) and the 居民实名台账 import (the ledger file is the
    evidence, ``import_batch`` names it); never edited. Groups are kept by code (KeyGroup.code).
    """

    resident = models.ForeignKey(
        Resident, verbose_name="居民", on_delete=models.CASCADE, related_name="key_group_changes"
    )
    added = models.JSONField("新增重点群体", default=list, blank=True)
    removed = models.JSONField("移除重点群体", default=list, blank=True)
    evidence = models.CharField("认定依据", max_length=200)
    source = models.CharField("来源", max_length=16, choices=KeyGroupChangeSource.choices)
    import_batch = models.ForeignKey(
        "assistance.ImportBatch", verbose_name="导入批次", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.RESTRICT)
    changed_at = models.DateTimeField("变更时间", auto_now_add=True)

    class Meta:
        verbose_name = "重点群体变更记录"
        verbose_name_plural = "重点群体变更记录"
        ordering = ["resident", "-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="key_group_change_import_has_batch",
                condition=~models.Q(source=KeyGroupChangeSource.IMPORT) | models.Q(import_batch__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.resident} {self.changed_at:%Y-%m-%d} 重点群体变更"


class Placement(TimeStampedModel):
    """A resident employed through the platform (就业登记); the recruiting pipeline will create these."""

    resident = models.ForeignKey(Resident, verbose_name="居民", on_delete=models.PROTECT, related_name="placements")
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="用工单位", on_delete=models.PROTECT, related_name="placements"
    )
    job = models.ForeignKey(
        "employers.Job",
        verbose_name="岗位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    started_on = models.DateField("入职日期")
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "employer_id"}

    class Meta:
        verbose_name = "平台就业记录"
        verbose_name_plural = "平台就业记录"
        constraints = [
            models.UniqueConstraint(fields=["resident", "employer", "started_on"], name="placement_once_per_start"),
        ]

    def __str__(self):
        return f"{self.resident} → {self.employer}"


# --- formal registrations (就业登记, 失业登记, 就业困难人员认定): dated records, written by people.services


class RegistrationQuerySet(AreaQuerySet):
    def open_on(self, day):
        """Registrations in force on ``day``: begun by then and not ended by then."""
        return self.filter(registered_on__lte=day).filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day))


class EmploymentRegistration(models.Model):
    """就业登记: a resident began work on a date (ended when they left, retired or died)."""

    resident = models.ForeignKey(
        Resident, verbose_name="居民", on_delete=models.PROTECT, related_name="employment_registrations"
    )
    registered_on = models.DateField("就业日期")
    employer_name = models.CharField("就业单位", max_length=100, blank=True)
    is_urban = models.BooleanField("城镇就业", default=True)
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=16, choices=EmploymentEndReason.choices, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.RESTRICT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "就业登记"
        verbose_name_plural = "就业登记"
        ordering = ["resident", "-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="employment_registration_ends_after_start",
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("registered_on")),
            ),
        ]

    def __str__(self):
        return f"{self.resident} {self.registered_on} 就业登记"


class UnemploymentRegistration(models.Model):
    """失业登记: a resident registered as unemployed on a date (cancelled when employed, moved …)."""

    resident = models.ForeignKey(
        Resident, verbose_name="居民", on_delete=models.PROTECT, related_name="unemployment_registrations"
    )
    registered_on = models.DateField("失业登记日期")
    is_urban = models.BooleanField("城镇", default=True)
    ended_on = models.DateField("注销日期", null=True, blank=True)
    end_reason = models.CharField("注销原因", max_length=16, choices=UnemploymentEndReason.choices, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.RESTRICT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "失业登记"
        verbose_name_plural = "失业登记"
        ordering = ["resident", "-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="unemployment_registration_ends_after_start",
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("registered_on")),
            ),
        ]

    def __str__(self):
        return f"{self.resident} {self.registered_on} 失业登记"


class DifficultyCertificationQuerySet(AreaQuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


class DifficultyCertification(models.Model):
    """就业困难人员认定: a category, valid from one date to another (both inclusive; no end = until revoked)."""

    resident = models.ForeignKey(
        Resident, verbose_name="居民", on_delete=models.PROTECT, related_name="difficulty_certifications"
    )
    category = models.CharField("认定类别", max_length=32, choices=DifficultyCategory.choices)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止", null=True, blank=True)
    evidence = models.CharField("认定依据", max_length=200)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="认定人", on_delete=models.RESTRICT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DifficultyCertificationQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "就业困难人员认定"
        verbose_name_plural = "就业困难人员认定"
        ordering = ["resident", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                name="difficulty_certification_valid_range",
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self):
        return f"{self.resident} {self.get_category_display()}"


class UrbanEmployedBase(models.Model):
    """城镇从业人员（统计数）: the denominator of 城镇登记失业率, entered per area and year from statistics."""

    area_code = models.CharField("区划代码", max_length=12)
    year = models.PositiveSmallIntegerField("年度")
    employed = models.PositiveIntegerField("城镇从业人员（人）")
    source = models.CharField("数据来源", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.RESTRICT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "城镇从业人员基数"
        verbose_name_plural = "城镇从业人员基数"
        constraints = [models.UniqueConstraint(fields=["area_code", "year"], name="urban_employed_base_once")]

    def __str__(self):
        return f"{self.area_code} {self.year}年 {self.employed}人"
