"""Field rules shared by the casework seams (monitoring, cases, welfare, workshops, imports).

Each seam keeps its own writes in ``<seam>/services.py``; what two or more of them need lives here
once: money, whole numbers, yes/no, a choice given by code or label, today's date, the audit actor
and the default assignee of a community.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.accounts.models import User
from jobcircle.people.enums import EmploymentStatus

CENT = Decimal("0.01")
MAX_MONEY = Decimal("100000000")
WORKING = (EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE)
YES = {"是", "有", "y", "yes", "true", "1", "√"}
NO = {"否", "无", "n", "no", "false", "0", "×"}


def actor(by):
    return by if getattr(by, "pk", None) else None


def today():
    return timezone.localdate()


# --- small field rules shared by forms and imports ------------------------------------


def clean_money(value, label) -> Decimal:
    """Money in yuan: a number ≥ 0 with at most two decimals (stored as Decimal, never float)."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise ValidationError(f"{label}：应为金额数字（元）", code="money") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{label}：不能为负数", code="money")
    if amount != amount.quantize(CENT) or amount >= MAX_MONEY:
        raise ValidationError(f"{label}：最多两位小数且小于1亿元", code="money")
    return amount.quantize(CENT)


def clean_count(value, label, *, maximum=None, required=True) -> int | None:
    """A whole number ≥ 0 (people, months)."""
    if value in (None, ""):
        if required:
            raise ValidationError(f"{label}：不能为空", code="required")
        return None
    try:
        number = Decimal(str(value).strip())
        if number != number.to_integral_value():
            raise InvalidOperation
        number = int(number)
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}：应为整数", code="integer") from None
    if number < 0:
        raise ValidationError(f"{label}：不能为负数", code="integer")
    if maximum is not None and number > maximum:
        raise ValidationError(f"{label}：不能大于{maximum}", code="integer")
    return number


def parse_yes_no(value, label) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(f"{label}：请填“是”或“否”（收到“{value}”）", code="yes_no")


def clean_required_texts(errors, data: dict, fields) -> dict:
    """Required text fields given as (field, label, most characters): trimmed; blank or too long is named."""
    out = {}
    for field, label, limit in fields:
        value = str(data.get(field) or "").strip()
        if not value:
            errors.add(field, f"{label}：不能为空")
        elif len(value) > limit:
            errors.add(field, f"{label}：不能超过{limit}个字")
        out[field] = value
    return out


def clean_choice(errors, field, label, value, choices, *, required=False):
    """A choice given as its code or its Chinese label; returns the code ("" when blank)."""
    if value in (None, ""):
        if required:
            errors.add(field, f"{label}：不能为空")
        return ""
    text = str(value).strip()
    for code, name in choices.choices:
        if text in (str(code), str(name)):
            return code
    errors.add(field, f"{label}取值无效：{text}（可选：{'、'.join(str(n) for n in choices.labels)}）")
    return ""


def community_staff_for(area_codes) -> dict[str, int]:
    """The first active community staff member of each community (the default assignee)."""
    staff = {}
    rows = (
        User.objects.filter(role=Role.COMMUNITY_STAFF, is_active=True, area__code__in=set(area_codes))
        .order_by("id")
        .values_list("area__code", "id")
    )
    for code, user_id in rows:
        staff.setdefault(code, user_id)
    return staff
