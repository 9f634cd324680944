"""职业技能培训 (providers, programmes, sessions, enrolments, attendance, certificates) and 就业见习 (bases,
positions, placements, monthly attendance). Write through training.services only (ADR docs/decisions/training.md)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from jobcircle.areas.models import LocatedModel, LocatedQuerySet
from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog

from .enums import (
    ACTIVE_ENROLMENT,
    BaseStatus,
    CertificateKind,
    EnrolmentSource,
    EnrolmentStatus,
    ExitReason,
    PlacementStatus,
    ProgrammeKind,
    ProgrammeStatus,
    ProviderKind,
    ProviderStatus,
    SkillLevel,
)

MONEY = {"max_digits": 10, "decimal_places": 2}  # 元, two places
ZERO = Decimal("0")


class TrainingProvider(TimeStampedModel, LocatedModel):
    """培训机构: a 定点培训机构, enterprise or 技工院校 approved for some trades."""

    name = models.CharField("机构名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("机构类型", max_length=20, choices=ProviderKind.choices)
    address = models.CharField("地址", max_length=200)
    community = models.ForeignKey(
        "areas.Region", verbose_name="所属社区/村", on_delete=models.PROTECT, related_name="training_providers"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    trades = models.ManyToManyField(
        "classifications.Occupation", verbose_name="核准培训职业（工种）", blank=True, related_name="+"
    )
    special_trades = models.JSONField("核准专项培训名称", default=list, blank=True, help_text="如：徽菜师傅")
    status = models.CharField("状态", max_length=16, choices=ProviderStatus.choices, default=ProviderStatus.ACTIVE)

    objects = LocatedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训机构"
        verbose_name_plural = "培训机构"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ProgrammeQuerySet(LocatedQuerySet):
    def open_for_enrolment(self):
        return self.filter(status=ProgrammeStatus.RECRUITING)


class Programme(TimeStampedModel, LocatedModel):
    """培训项目（期/班）: a provider's class of one trade and kind, with places, dates and a venue (its point puts it in
    the 3-km circle). Status 招生 → 开班 → 结业 → 核验 → 补贴申领 through ``services.PROGRAMME_WORKFLOW``."""

    provider = models.ForeignKey(
        TrainingProvider, verbose_name="培训机构", on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField("班级名称", max_length=100)
    occupation = models.ForeignKey(
        "classifications.Occupation", verbose_name="培训职业（工种）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    special_name = models.CharField("专项名称", max_length=40, blank=True, help_text="大典之外的专项，如：徽菜师傅")
    kind = models.CharField("培训类型", max_length=20, choices=ProgrammeKind.choices)
    level = models.CharField("培训等级", max_length=16, choices=SkillLevel.choices, default=SkillLevel.SPECIAL)
    target_groups = models.ManyToManyField(
        "people.KeyGroup", verbose_name="面向重点群体", blank=True, related_name="+", help_text="不选：面向所有人"
    )
    min_age = models.PositiveSmallIntegerField("最小年龄", default=16)
    max_age = models.PositiveSmallIntegerField("最大年龄", default=60)
    places = models.PositiveIntegerField("招生人数")
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期")
    schedule = models.CharField("上课安排", max_length=200, blank=True)
    venue = models.CharField("培训地点", max_length=200)
    community = models.ForeignKey(
        "areas.Region", verbose_name="培训地点所属社区/村", on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    subsidy_per_head = models.DecimalField("补贴标准（元/人）", default=ZERO, **MONEY, help_text="0：非补贴性培训")
    min_attendance_percent = models.PositiveSmallIntegerField("结业最低出勤率（%）", default=80)
    status = models.CharField(
        "状态", max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.RECRUITING, db_index=True
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "培训项目"
        verbose_name_plural = "培训项目"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(name="programme_dates_in_order", condition=Q(ends_on__gte=models.F("starts_on"))),
            models.CheckConstraint(name="programme_places_positive", condition=Q(places__gt=0)),
            models.CheckConstraint(name="programme_attendance_percent", condition=Q(min_attendance_percent__lte=100)),
            models.CheckConstraint(
                name="programme_has_trade", condition=Q(occupation__isnull=False) | ~Q(special_name="")
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def trade(self) -> str:
        """The trade as reports name it: the 大典 occupation, or the 专项 name."""
        return self.occupation.name if self.occupation_id else self.special_name

    @property
    def subsidised(self) -> bool:
        return self.subsidy_per_head > 0


class ProgrammeTransition(TransitionLog):
    programme = models.ForeignKey(
        Programme, verbose_name="培训项目", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=ProgrammeStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=ProgrammeStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "培训项目流转记录"
        verbose_name_plural = "培训项目流转记录"


class TrainingSession(models.Model):
    """One session (课次) of a programme; attendance is ticked per session."""

    programme = models.ForeignKey(Programme, verbose_name="培训项目", on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField("课次")
    held_on = models.DateField("上课日期")
    topic = models.CharField("内容", max_length=100, blank=True)

    class Meta:
        verbose_name = "培训课次"
        verbose_name_plural = "培训课次"
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="training_session_number_once")]

    def __str__(self):
        return f"第{self.number}次课（{self.held_on}）"


class Enrolment(TimeStampedModel):
    """报名/学员: one person in one programme, with the outcome (结业, exam, certificate).

    ``subsidy_level`` and ``subsidy_year`` copy the programme's level and start year for subsidised training, so a
    database constraint holds the once-a-year-per-level rule even under concurrent enrolments.
    """

    programme = models.ForeignKey(
        Programme, verbose_name="培训项目", on_delete=models.PROTECT, related_name="enrolments"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="学员", on_delete=models.PROTECT, related_name="training_enrolments"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    status = models.CharField(
        "状态", max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED, db_index=True
    )
    source = models.CharField("报名方式", max_length=16, choices=EnrolmentSource.choices)
    enrolled_on = models.DateField("报名日期")
    subsidised = models.BooleanField("补贴性培训", default=False, editable=False)
    subsidy_level = models.CharField("补贴等级", max_length=16, blank=True, editable=False)
    subsidy_year = models.PositiveSmallIntegerField("补贴年度", null=True, blank=True, editable=False)
    completed_on = models.DateField("结业日期", null=True, blank=True)
    attendance_percent = models.PositiveSmallIntegerField("出勤率（%）", null=True, blank=True)
    exam_passed = models.BooleanField("考核合格", null=True, blank=True)
    certificate_kind = models.CharField("证书类型", max_length=16, choices=CertificateKind.choices, blank=True)
    certificate_number = models.CharField("证书编号", max_length=40, blank=True)
    certificate_level = models.CharField("证书等级", max_length=16, choices=SkillLevel.choices, blank=True)
    certificate_date = models.DateField("发证日期", null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "培训学员"
        verbose_name_plural = "培训学员"
        ordering = ["programme", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "resident"],
                condition=Q(status__in=ACTIVE_ENROLMENT),
                name="training_enrolment_once_per_programme",
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["resident", "subsidy_level", "subsidy_year"],
                condition=Q(subsidised=True, status__in=ACTIVE_ENROLMENT),
                name="training_subsidised_once_per_level_year",
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.resident}"


class EnrolmentTransition(TransitionLog):
    enrolment = models.ForeignKey(Enrolment, verbose_name="学员", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=16, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=EnrolmentStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "培训学员流转记录"
        verbose_name_plural = "培训学员流转记录"


class Attendance(models.Model):
    """One trainee at one session: present or not (staff tick or QR check-in)."""

    session = models.ForeignKey(
        TrainingSession, verbose_name="课次", on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, verbose_name="学员", on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField("出勤")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField("记录时间", auto_now=True)

    class Meta:
        verbose_name = "培训考勤"
        verbose_name_plural = "培训考勤"
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="training_attendance_once")]

    def __str__(self):
        return f"{self.session} {'出勤' if self.present else '缺勤'}"


# --- 就业见习 ------------------------------------------------------------------------------------------


class InternshipBase(TimeStampedModel):
    """见习基地: an employer certified to host interns, with a capacity."""

    employer = models.OneToOneField(
        "employers.Employer", verbose_name="用工单位", on_delete=models.PROTECT, related_name="internship_base"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    certificate_number = models.CharField("认定文号", max_length=40)
    certified_on = models.DateField("认定日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    capacity = models.PositiveIntegerField("见习容量（人）")
    status = models.CharField("状态", max_length=16, choices=BaseStatus.choices, default=BaseStatus.CERTIFIED)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"employer": "employer_id"}

    class Meta:
        verbose_name = "见习基地"
        verbose_name_plural = "见习基地"
        ordering = ["-certified_on", "-id"]
        constraints = [models.CheckConstraint(name="internship_base_capacity_positive", condition=Q(capacity__gt=0))]

    def __str__(self):
        return f"{self.employer}（见习基地）"


class InternshipPosition(TimeStampedModel, LocatedModel):
    """见习岗位: places of one occupation at a base, for a term of 3–12 months with a monthly allowance."""

    base = models.ForeignKey(
        InternshipBase, verbose_name="见习基地", on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField("岗位名称", max_length=60)
    occupation = models.ForeignKey(
        "classifications.Occupation", verbose_name="职业", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    places = models.PositiveIntegerField("见习人数")
    term_months = models.PositiveSmallIntegerField("见习期限（月）")
    monthly_allowance = models.DecimalField("见习补助（元/月）", **MONEY)
    address = models.CharField("见习地点", max_length=200)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    raised_on = models.DateField("募集日期")
    is_open = models.BooleanField("招募中", default=True)

    objects = LocatedQuerySet.as_manager()
    scope_owner_fields = {"employer": "base__employer_id"}

    class Meta:
        verbose_name = "见习岗位"
        verbose_name_plural = "见习岗位"
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="internship_term_3_to_12", condition=Q(term_months__gte=3, term_months__lte=12)
            ),
            models.CheckConstraint(name="internship_places_positive", condition=Q(places__gt=0)),
            models.CheckConstraint(name="internship_allowance_positive", condition=Q(monthly_allowance__gte=0)),
        ]

    def __str__(self):
        return self.title


class InternshipApplication(TimeStampedModel):
    """见习报名: a resident asks for a position on the H5; staff then arrange the placement (``place_intern``)."""

    position = models.ForeignKey(
        InternshipPosition, verbose_name="见习岗位", on_delete=models.CASCADE, related_name="applications"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="报名人", on_delete=models.CASCADE, related_name="internship_applications"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False, help_text="见习岗位所在")
    applied_on = models.DateField("报名日期")
    placed = models.BooleanField("已安排见习", default=False)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "position__base__employer_id"}

    class Meta:
        verbose_name = "见习报名"
        verbose_name_plural = "见习报名"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "resident"], name="internship_application_once"),
        ]

    def __str__(self):
        return f"{self.position} {self.resident}"


class InternPlacementQuerySet(AreaQuerySet):
    def on_post(self, day):
        """Placements on post on ``day`` (a stock): started by then and not yet ended."""
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


class InternPlacement(TimeStampedModel):
    """见习人员: one person on one position from start to end (期满 or 提前退出), retained (留用) or not."""

    position = models.ForeignKey(
        InternshipPosition, verbose_name="见习岗位", on_delete=models.PROTECT, related_name="placements"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="见习人员", on_delete=models.PROTECT, related_name="intern_placements"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False, help_text="见习岗位所在")
    status = models.CharField("状态", max_length=16, choices=PlacementStatus.choices, default=PlacementStatus.ON_POST)
    started_on = models.DateField("见习开始日期")
    planned_end_on = models.DateField("约定结束日期")
    ended_on = models.DateField("实际结束日期", null=True, blank=True)
    exit_reason = models.CharField("提前退出原因", max_length=24, choices=ExitReason.choices, blank=True)
    retained = models.BooleanField("期满留用", null=True, blank=True)

    objects = InternPlacementQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "position__base__employer_id"}

    class Meta:
        verbose_name = "见习人员"
        verbose_name_plural = "见习人员"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(status=PlacementStatus.ON_POST), name="intern_one_placement_on_post"
            ),
            models.CheckConstraint(
                name="intern_dates_in_order",
                condition=Q(planned_end_on__gt=models.F("started_on"))
                & (Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on"))),
            ),
        ]

    def __str__(self):
        return f"{self.position} {self.resident}"


class InternPlacementTransition(TransitionLog):
    placement = models.ForeignKey(
        InternPlacement, verbose_name="见习人员", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=PlacementStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=PlacementStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "见习人员流转记录"
        verbose_name_plural = "见习人员流转记录"


class InternAttendance(models.Model):
    """一个见习人员一个月的出勤: days present of days required (the internship subsidy is per intern-month)."""

    placement = models.ForeignKey(
        InternPlacement, verbose_name="见习人员", on_delete=models.CASCADE, related_name="monthly_attendance"
    )
    month = models.DateField("月份", help_text="该月1日")
    days_present = models.PositiveSmallIntegerField("出勤天数")
    days_required = models.PositiveSmallIntegerField("应出勤天数")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "见习月度考勤"
        verbose_name_plural = "见习月度考勤"
        ordering = ["placement", "month"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="intern_attendance_once_a_month"),
            models.CheckConstraint(
                name="intern_attendance_days", condition=Q(days_present__lte=models.F("days_required"))
            ),
        ]

    def __str__(self):
        return f"{self.placement} {self.month:%Y-%m}"
