from django.db import models


class Measure(models.TextChoices):
    """What a criterion measures (the code each measure function in ``measures`` answers to)."""

    UNEMPLOYMENT_RATE = "unemployment_rate", "城镇登记失业率（%，不高于）"
    ZERO_HOUSEHOLDS = "zero_households", "零就业家庭户数（户，不多于；动态清零为0）"
    DIFFICULTY_EMPLOYED = "difficulty_employed", "就业困难人员就业率（%，不低于）"
    STATION_OFFICER = "station_officer", "有就业服务站且有在岗专干（个，不少于）"
    MONITORING_ON_TIME = "monitoring_on_time", "月度监测按时完成率（%，不低于）"
    FAIRS_HELD = "fairs_held", "年内举办招聘会（场，不少于）"
    STATION_REACH = "station_reach", "居住在服务站3公里内的居民占比（%，不低于）"
    JOBS_PUBLISHED = "jobs_published", "年内发布岗位信息（个，不少于）"


# The measures a lower value satisfies (value ≤ threshold); every other passes at value ≥ threshold.
AT_MOST = {Measure.UNEMPLOYMENT_RATE, Measure.ZERO_HOUSEHOLDS}


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", "社区填报中"
    SUBMITTED = "submitted", "社区已申报"
    TOWNSHIP_PASSED = "township", "乡镇初审通过"
    COUNTY_PASSED = "county", "县审核通过"
    CERTIFIED = "certified", "市级认定"
    RETURNED = "returned", "已退回"


CERTIFICATION_MOVES = {
    CertificationStatus.DRAFT: {CertificationStatus.SUBMITTED},
    CertificationStatus.SUBMITTED: {CertificationStatus.TOWNSHIP_PASSED, CertificationStatus.RETURNED},
    CertificationStatus.TOWNSHIP_PASSED: {CertificationStatus.COUNTY_PASSED, CertificationStatus.RETURNED},
    CertificationStatus.COUNTY_PASSED: {CertificationStatus.CERTIFIED, CertificationStatus.RETURNED},
    CertificationStatus.RETURNED: {CertificationStatus.SUBMITTED},
}
