"""零工市场 (day jobs near home, 零工驿站) and 共享员工 (employee sharing between enterprises): DESIGN.md §10."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.areas.models import LocatedModel, LocatedQuerySet
from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog
from jobcircle.employers.models import Employer

from .enums import (
    AgreementStatus,
    CheckMethod,
    Consent,
    ContactPreference,
    GigStatus,
    Party,
    PayUnit,
    PosterKind,
    SharingStatus,
    SignupStatus,
    WalkInPurpose,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


class GigStation(TimeStampedModel):
    """零工驿站: a service of an existing 就业服务站 (areas.ServiceStation) with hours, staff and a QR code."""

    station = models.OneToOneField(
        "areas.ServiceStation", verbose_name="就业服务站", on_delete=models.PROTECT, related_name="gig_station"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    hours = models.CharField("服务时间", max_length=100)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="驿站工作人员", blank=True, related_name="+")
    # The station's QR code carries only this id; a check-in token is signed and dated (gigs.checkin).
    is_active = models.BooleanField("在运营", default=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "零工驿站"
        verbose_name_plural = "零工驿站"
        ordering = ["area_code", "id"]

    def __str__(self):
        return f"{self.station.name}（零工驿站）"


class WalkIn(models.Model):
    """One visit to a 零工驿站 (来访登记): who came (a registered resident where known) and why."""

    gig_station = models.ForeignKey(
        GigStation, verbose_name="零工驿站", on_delete=models.PROTECT, related_name="walk_ins"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visitor_name = models.CharField("来访人", max_length=50)
    purpose = models.CharField("来访事由", max_length=16, choices=WalkInPurpose.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    visited_at = models.DateTimeField("来访时间", default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "驿站来访登记"
        verbose_name_plural = "驿站来访登记"
        ordering = ["-visited_at", "-id"]

    def __str__(self):
        return f"{self.visited_at:%Y-%m-%d} {self.get_purpose_display()}"


class GigWorker(TimeStampedModel):
    """A resident who opted in to 零工: skills, the days they are free and how far they will travel."""

    resident = models.OneToOneField(
        "people.Resident", verbose_name="居民", on_delete=models.CASCADE, related_name="gig_worker"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    skills = models.JSONField("零工技能", default=list, blank=True)
    occupations = models.ManyToManyField(
        "classifications.Occupation", verbose_name="可做工种", blank=True, related_name="+"
    )
    weekdays = models.JSONField("可接单日（0=周一）", default=list, blank=True)
    max_distance_km = models.DecimalField("最远出行距离（公里）", max_digits=4, decimal_places=1, default=3)
    is_active = models.BooleanField("接单中", default=True)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "零工人员"
        verbose_name_plural = "零工人员"
        constraints = [
            models.CheckConstraint(
                name="gig_worker_distance_range", condition=models.Q(max_distance_km__gt=0, max_distance_km__lte=50)
            ),
        ]

    def __str__(self):
        return f"{self.resident} 零工"


class GigQuerySet(LocatedQuerySet):
    def open(self, now=None):
        """Gigs a worker can sign up for: 招募中 and not yet over (a gig expires at its end time)."""
        return self.filter(status=GigStatus.OPEN, ends_at__gt=now or timezone.now())

    def published_between(self, start, end):
        """Gigs first opened (published) on local days ``start``..``end``: 发布零工 for a period."""
        return self.filter(published_on__gte=start, published_on__lte=end)


class Gig(TimeStampedModel, LocatedModel):
    """零工: a task for a day or a few, posted by an employer, a registered household or a 零工驿站."""

    poster_kind = models.CharField("发布方类型", max_length=16, choices=PosterKind.choices)
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="用工单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="gigs",
    )  # fmt: skip
    poster_resident = models.ForeignKey(
        "people.Resident", verbose_name="发布人（个人/家庭）", null=True, blank=True, on_delete=models.PROTECT,
        related_name="posted_gigs",
    )  # fmt: skip
    gig_station = models.ForeignKey(
        GigStation, verbose_name="服务驿站", null=True, blank=True, on_delete=models.PROTECT, related_name="gigs"
    )
    title = models.CharField("零工任务", max_length=60)
    description = models.TextField("工作内容", max_length=1000)
    occupation = models.ForeignKey(
        "classifications.Occupation", verbose_name="工种", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间", db_index=True)
    address = models.CharField("工作地点", max_length=200)
    pay_unit = models.CharField("计酬方式", max_length=8, choices=PayUnit.choices)
    pay_rate = models.DecimalField("报酬标准（元）", **MONEY)
    headcount = models.PositiveSmallIntegerField("需要人数")
    requirements = models.TextField("要求", max_length=1000, blank=True)
    contact_preference = models.CharField(
        "联系方式偏好", max_length=16, choices=ContactPreference.choices, default=ContactPreference.PHONE
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    status = models.CharField("状态", max_length=16, choices=GigStatus.choices, default=GigStatus.REVIEW, db_index=True)
    review_result = models.CharField("合规审查结果", max_length=16, default="passed")
    review_hits = models.JSONField("合规审查命中", default=list, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人账号", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = GigQuerySet.as_manager()
    scope_owner_fields = {"employer": "employer_id", "resident": "poster_resident_id"}

    class Meta:
        verbose_name = "零工"
        verbose_name_plural = "零工"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "h3_r7"]), models.Index(fields=["status", "h3_r5"])]
        constraints = [
            models.CheckConstraint(name="gig_headcount_positive", condition=models.Q(headcount__gt=0)),
            models.CheckConstraint(name="gig_pay_not_negative", condition=models.Q(pay_rate__gte=0)),
            models.CheckConstraint(name="gig_window", condition=models.Q(ends_at__gt=models.F("starts_at"))),
            models.CheckConstraint(
                name="gig_one_poster",
                condition=(
                    models.Q(poster_kind=PosterKind.EMPLOYER, employer__isnull=False, poster_resident__isnull=True)
                    | models.Q(poster_kind=PosterKind.RESIDENT, employer__isnull=True, poster_resident__isnull=False)
                    | models.Q(
                        poster_kind=PosterKind.STATION,
                        employer__isnull=True,
                        poster_resident__isnull=True,
                        gig_station__isnull=False,
                    )
                ),
            ),  # fmt: skip
        ]

    def __str__(self):
        return self.title

    @property
    def poster_name(self) -> str:
        if self.employer_id:
            return self.employer.name
        if self.poster_resident_id:
            return str(self.poster_resident)  # masked name (Resident.__str__)
        return str(self.gig_station) if self.gig_station_id else ""

    @property
    def is_over(self) -> bool:
        return self.ends_at <= timezone.now()


class GigTransition(TransitionLog):
    """One change of a gig's status, written only through gigs.services (common.workflow)."""

    gig = models.ForeignKey(Gig, verbose_name="零工", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=16, choices=GigStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=GigStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "零工状态变更"
        verbose_name_plural = "零工状态变更"


class GigSignupQuerySet(AreaQuerySet):
    def in_scope(self, scope):
        """Staff their area; a resident their own sign-ups and those to gigs they posted; an employer those
        to its gigs."""
        if scope.region is None and scope.role == Role.RESIDENT and scope.owner_id:
            return self.filter(models.Q(worker_id=scope.owner_id) | models.Q(gig__poster_resident_id=scope.owner_id))
        return super().in_scope(scope)


class GigSignup(TimeStampedModel):
    """A worker's sign-up for a gig, from 报名 to 完工 with the pay recorded and the two ratings."""

    gig = models.ForeignKey(Gig, verbose_name="零工", on_delete=models.PROTECT, related_name="signups")
    worker = models.ForeignKey(
        "people.Resident", verbose_name="零工人员", on_delete=models.PROTECT, related_name="gig_signups"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    status = models.CharField(
        "状态", max_length=16, choices=SignupStatus.choices, default=SignupStatus.APPLIED, db_index=True
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, db_index=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    check_in_method = models.CharField("签到方式", max_length=16, choices=CheckMethod.choices, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    check_out_method = models.CharField("签退方式", max_length=16, choices=CheckMethod.choices, blank=True)
    completed_on = models.DateField("完工日期", null=True, blank=True, db_index=True)
    days_worked = models.PositiveSmallIntegerField("工作天数", null=True, blank=True)
    quantity = models.DecimalField("计酬数量（小时/天/件）", max_digits=8, decimal_places=2, null=True, blank=True)
    pay_amount = models.DecimalField("报酬（元）", null=True, blank=True, **MONEY)
    worker_score = models.PositiveSmallIntegerField("发布方对零工的评分", null=True, blank=True)
    worker_score_reason = models.CharField("评分理由（对零工）", max_length=100, blank=True)
    poster_score = models.PositiveSmallIntegerField("零工对发布方的评分", null=True, blank=True)
    poster_score_reason = models.CharField("评分理由（对发布方）", max_length=100, blank=True)
    disputed = models.BooleanField("有争议", default=False, db_index=True)
    dispute_note = models.CharField("争议说明", max_length=200, blank=True)
    dispute_resolution = models.CharField("驿站处理结果", max_length=200, blank=True)

    objects = GigSignupQuerySet.as_manager()
    scope_owner_fields = {"resident": "worker_id", "employer": "gig__employer_id"}

    class Meta:
        verbose_name = "零工报名"
        verbose_name_plural = "零工报名"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["gig", "worker"], name="gig_signup_once"),
            models.CheckConstraint(
                name="gig_signup_scores_1_to_5",
                condition=(models.Q(worker_score__isnull=True) | models.Q(worker_score__gte=1, worker_score__lte=5))
                & (models.Q(poster_score__isnull=True) | models.Q(poster_score__gte=1, poster_score__lte=5)),
            ),
            models.CheckConstraint(
                name="gig_signup_pay_not_negative",
                condition=models.Q(pay_amount__isnull=True) | models.Q(pay_amount__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.worker} → {self.gig}"


class GigSignupTransition(TransitionLog):
    """One change of a sign-up's status, written only through gigs.services (common.workflow)."""

    signup = models.ForeignKey(GigSignup, verbose_name="零工报名", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=16, choices=SignupStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=SignupStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "零工报名状态变更"
        verbose_name_plural = "零工报名状态变更"


# --- 共享员工 (employee sharing) ------------------------------------------------------------------


class SharingPost(TimeStampedModel):
    """An enterprise's declaration: people it can lend (offer, 富余员工) or people it needs (need, 缺工)."""

    employer = models.ForeignKey(
        "employers.Employer", verbose_name="用工单位", on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    headcount = models.PositiveSmallIntegerField("人数")
    occupation = models.ForeignKey(
        "classifications.Occupation", verbose_name="工种", on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField("技能", default=list, blank=True)
    start_date = models.DateField("期间起")
    end_date = models.DateField("期间止")
    conditions = models.CharField("条件说明", max_length=500, blank=True)
    status = models.CharField("状态", max_length=8, choices=SharingStatus.choices, default=SharingStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"employer": "employer_id"}

    class Meta:
        abstract = True
        ordering = ["start_date", "id"]

    def __str__(self):
        return f"{self.employer} {self.headcount}人"


class SharingOffer(SharingPost):
    class Meta(SharingPost.Meta):
        verbose_name = "共享员工（富余人员）"
        verbose_name_plural = "共享员工（富余人员）"
        constraints = [
            models.CheckConstraint(
                name="sharing_offer_period", condition=models.Q(end_date__gte=models.F("start_date"))
            ),
            models.CheckConstraint(name="sharing_offer_headcount", condition=models.Q(headcount__gt=0)),
        ]


class SharingNeed(SharingPost):
    class Meta(SharingPost.Meta):
        verbose_name = "共享员工（缺工需求）"
        verbose_name_plural = "共享员工（缺工需求）"
        constraints = [
            models.CheckConstraint(
                name="sharing_need_period", condition=models.Q(end_date__gte=models.F("start_date"))
            ),
            models.CheckConstraint(name="sharing_need_headcount", condition=models.Q(headcount__gt=0)),
        ]


class AgreementQuerySet(AreaQuerySet):
    def in_scope(self, scope):
        """Staff see agreements either side of which is in their area; an employer those it is a party to."""
        if scope.region is not None:
            employers = Employer.objects.in_area(scope.region).values("pk")
            return self.filter(models.Q(lender__in=employers) | models.Q(borrower__in=employers))
        if scope.role == Role.EMPLOYER and scope.owner_id:
            return self.filter(models.Q(lender_id=scope.owner_id) | models.Q(borrower_id=scope.owner_id))
        if scope.role == Role.RESIDENT and scope.owner_id:
            return self.filter(workers__resident_id=scope.owner_id).distinct()
        return self.none()


class SharingAgreement(TimeStampedModel):
    """共享用工协议: a lending and a borrowing enterprise, named consenting people, period, pay and insurance."""

    lender = models.ForeignKey(
        "employers.Employer", verbose_name="原用工单位（调出方）", on_delete=models.PROTECT, related_name="+"
    )
    borrower = models.ForeignKey(
        "employers.Employer", verbose_name="缺工单位（调入方）", on_delete=models.PROTECT, related_name="+"
    )
    offer = models.ForeignKey(
        SharingOffer,
        verbose_name="富余人员登记",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    need = models.ForeignKey(
        SharingNeed,
        verbose_name="缺工需求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    area_code = models.CharField("区划代码（调出方）", max_length=12, db_index=True, editable=False)
    start_date = models.DateField("借调期间起")
    end_date = models.DateField("借调期间止")
    pay_arrangement = models.CharField("报酬约定", max_length=300)
    payer = models.CharField("报酬支付方", max_length=8, choices=Party.choices)
    insurance_party = models.CharField("工伤保险责任方", max_length=8, choices=Party.choices)
    status = models.CharField("状态", max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = "共享用工协议"
        verbose_name_plural = "共享用工协议"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(name="agreement_period", condition=models.Q(end_date__gte=models.F("start_date"))),
            models.CheckConstraint(name="agreement_two_parties", condition=~models.Q(lender=models.F("borrower"))),
        ]

    def __str__(self):
        return f"{self.lender} → {self.borrower}"


class AgreementTransition(TransitionLog):
    agreement = models.ForeignKey(
        SharingAgreement, verbose_name="共享用工协议", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=AgreementStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=AgreementStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "共享用工协议状态变更"
        verbose_name_plural = "共享用工协议状态变更"


class SharedWorker(models.Model):
    """One named person of an agreement and their own consent (confirmed on H5)."""

    agreement = models.ForeignKey(
        SharingAgreement, verbose_name="共享用工协议", on_delete=models.CASCADE, related_name="workers"
    )
    resident = models.ForeignKey("people.Resident", verbose_name="员工", on_delete=models.PROTECT, related_name="+")
    consent = models.CharField("本人确认", max_length=8, choices=Consent.choices, default=Consent.PENDING)
    answered_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "共享员工"
        verbose_name_plural = "共享员工"
        ordering = ["agreement", "id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "resident"], name="shared_worker_once")]

    def __str__(self):
        return f"{self.resident} · {self.agreement}"
