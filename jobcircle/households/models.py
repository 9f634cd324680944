"""Households (家庭户): a head (户主) and members with their relation, an address and a community.

A resident belongs to at most one household at a time: each membership is a dated row (joined on, left
on), and a partial unique constraint holds one open row per resident. The 零就业家庭 spells record when a
household was found with nobody in work and when it was cleared (动态清零). Write through
``households.services`` (and the ledger import, ``households.imports``) only.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel

from .enums import Relation


class HouseholdQuerySet(AreaQuerySet):
    pass


class Household(TimeStampedModel):
    """家庭户: identified by its number (户编号) in the county's household ledger."""

    number = models.CharField("户编号", max_length=32, unique=True)
    community = models.ForeignKey(
        "areas.Region", verbose_name="所属社区/村", on_delete=models.PROTECT, related_name="households"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    address = models.CharField("家庭住址", max_length=200, blank=True)
    has_business_income = models.BooleanField(
        "有经营性或财产性收入", default=False, help_text="有的家庭不计为零就业家庭（指标口径）"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭户"
        verbose_name_plural = "家庭户"
        ordering = ["area_code", "number"]

    def __str__(self):
        return f"户{self.number}"


class MembershipQuerySet(AreaQuerySet):
    def on(self, day):
        """Memberships in force on ``day``: joined by then and not yet left (``left_on`` is the first day away)."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def current(self):
        return self.filter(left_on__isnull=True)


class HouseholdMembership(models.Model):
    """One resident in one household from one date to another (history kept; never deleted)."""

    household = models.ForeignKey(
        Household, verbose_name="家庭户", on_delete=models.PROTECT, related_name="memberships"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="household_memberships"
    )
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices)
    joined_on = models.DateField("入户日期")
    left_on = models.DateField("离户日期", null=True, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(left_on__isnull=True), name="household_one_at_a_time"
            ),
            models.UniqueConstraint(
                fields=["household"], condition=Q(left_on__isnull=True, relation="head"), name="household_one_head"
            ),
            models.CheckConstraint(
                name="household_membership_leaves_after_joining",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
            ),
        ]

    def __str__(self):
        return f"{self.household} {self.get_relation_display()}"


class ZeroSpellQuerySet(AreaQuerySet):
    def open_on(self, day):
        """Spells found by ``day`` and not cleared by then."""
        return self.filter(found_on__lte=day).filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=day))


class ZeroEmploymentSpell(models.Model):
    """A household on the 零就业家庭 list from the day it was found to the day it was cleared (动态清零)."""

    household = models.ForeignKey(
        Household, verbose_name="家庭户", on_delete=models.PROTECT, related_name="zero_employment_spells"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    found_on = models.DateField("认定日期")
    cleared_on = models.DateField("清零日期", null=True, blank=True)
    cleared_reason = models.CharField("清零原因", max_length=100, blank=True)

    objects = ZeroSpellQuerySet.as_manager()

    class Meta:
        verbose_name = "零就业家庭记录"
        verbose_name_plural = "零就业家庭记录"
        ordering = ["area_code", "found_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(cleared_on__isnull=True), name="zero_employment_one_open_spell"
            ),
            models.CheckConstraint(
                name="zero_employment_cleared_after_found",
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=F("found_on")),
            ),
        ]

    def __str__(self):
        return f"{self.household} 零就业（{self.found_on}起）"

    @property
    def name(self):
        """How lists of records behind a figure name the spell: its household (select_related it)."""
        return str(self.household)
