"""Reasons a person can read, built from the score components of one seeker–job pair."""

from functools import lru_cache

from jobcircle.classifications.models import Occupation

from .snapshot import normalize_skill

NEW_JOB_DAYS = 7


@lru_cache(maxsize=1)
def occupation_names() -> dict:
    """职业分类大典 names by code (a static catalogue, read once per process)."""
    return dict(Occupation.objects.values_list("code", "name"))


def distance_text(distance_m) -> str:
    return f"距离{distance_m / 1000:.1f}公里" if distance_m >= 1000 else f"距离{distance_m:.0f}米"


def matched_skills(seeker_skills, job_skills) -> list[str]:
    """The job's required skills the seeker has, in the job's wording and order."""
    have = {normalize_skill(s) for s in seeker_skills or []}
    return [s for s in job_skills or [] if normalize_skill(s) in have]


def explain(*, distance_m, occupation_level, occupation_code, skills=(), skill_count=0, pay_fit, min_pay=0,
            pay_max=0, days_open=None, key_group=False) -> list[str]:  # fmt: skip
    """Reasons, most important first:

    - 距离X公里 (always);
    - 职业对口：<职业> (same occupation), 相近职业：<职业> (同小类), 同类职业：<中类> (同中类);
    - 技能匹配：<skills> (or the count when the names are not at hand);
    - 薪资符合期望 when the seeker asked for a minimum the job reaches, 薪资低于期望 otherwise;
    - 新发布 for jobs open at most a week; 重点群体优先 when a key-group boost applied.
    """
    reasons = [distance_text(distance_m)]
    names = occupation_names()
    if occupation_level == 3:
        reasons.append(f"职业对口：{names.get(occupation_code, occupation_code)}")
    elif occupation_level == 2:
        reasons.append(f"相近职业：{names.get(occupation_code, occupation_code)}")
    elif occupation_level == 1:
        middle = occupation_code[:4]
        reasons.append(f"同类职业：{names.get(middle, middle)}")
    if skills:
        reasons.append(f"技能匹配：{'、'.join(skills)}")
    elif skill_count:
        reasons.append(f"技能匹配{skill_count}项")
    if min_pay > 0:
        reasons.append("薪资符合期望" if pay_fit else f"薪资低于期望（最高{pay_max}元）")
    if days_open is not None and days_open <= NEW_JOB_DAYS:
        reasons.append("新发布")
    if key_group:
        reasons.append("重点群体优先")
    return reasons
