"""Chinese messages for request-shape errors caught by the schemas before any service runs."""

from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import JobIntention, Resident

# Fields of the API that are not model fields, or whose API name differs.
EXTRA_LABELS = {
    "id_number": "证件号码", "phone": "手机号", "community_code": "社区代码", "occupation_code": "职业代码",
    "occupation_codes": "职业代码", "key_groups": "重点群体", "industry_code": "行业代码", "contact_phone": "联系电话",
    "lat": "纬度", "lng": "经度", "coord": "坐标系", "crs": "坐标系", "radius_km": "搜索半径", "limit": "每页条数",
    "offset": "起始位置", "employer_id": "用工单位", "publish": "是否发布", "intention": "求职意向",
    "fields": "查看字段", "reason": "查看原因", "key_group_evidence": "认定依据",
}  # fmt: skip
TYPE_MESSAGES = {
    "missing": "必填", "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字", "bool_parsing": "应为是或否（true/false）",
    "bool_type": "应为是或否（true/false）", "date_parsing": "应为日期，格式如2026-12-31",
    "date_from_datetime_parsing": "应为日期，格式如2026-12-31", "date_type": "应为日期，格式如2026-12-31",
    "string_type": "应为文本", "list_type": "应为列表", "model_attributes_type": "格式不正确",
    "json_invalid": "请求内容不是有效的JSON",
}  # fmt: skip
IGNORED_LOC = {"body", "query", "path", "payload", "filters"}


def _label(name):
    for model in (Resident, JobIntention, Employer, Job):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: S112 - not a field of this model, try the next
            continue
    return EXTRA_LABELS.get(name, name)


def schema_error_items(errors) -> list[dict]:
    items = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in IGNORED_LOC]
        field = ".".join(loc) or "__all__"
        label = _label(loc[-1]) if loc else "请求"
        reason = TYPE_MESSAGES.get(error.get("type"), "格式不正确")
        items.append({"field": field, "message": f"{label}：{reason}"})
    return items
