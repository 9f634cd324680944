"""Chinese messages for request-shape errors caught by the schemas before any service runs."""

from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import JobIntention, Resident

# Fields of the API that are not model fields, or whose API name differs.
EXTRA_LABELS = {
    "id_number": "证件号码", "phone": "手机号", "community_code": "社区代码", "occupation_code": "职业代码",
    "occupation_codes": "职业代码", "key_groups": "重点群体", "industry_code": "行业代码", "contact_phone": "联系电话",
    "lat": "纬度", "lng": "经度", "coord": "坐标系", "crs": "坐标系", "radius_km": "搜索半径", "limit": "每页条数",
    "offset": "起始位置", "employer_id": "用工单位", "publish": "是否发布", "intention": "求职意向",
    "fields": "查看字段", "reason": "查看原因", "k": "推荐数量", "area": "区划代码", "q": "关键词",
    "skills": "技能", "status": "状态", "username": "用户名", "password": "密码", "role": "角色",
    "actor": "操作人", "actor_id": "操作人", "action": "动作", "result": "结果", "since": "起始日期",
    "until": "截止日期", "job_id": "岗位", "resident_id": "求职者", "officer_id": "人社服务专员",
    "area_code": "区划代码", "token": "签到码", "note": "备注", "max_distance_km": "最远通勤距离",
    "min_monthly_pay": "期望月薪下限", "key_group_evidence": "认定依据",
}  # fmt: skip
TYPE_MESSAGES = {
    "missing": "必填", "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字", "bool_parsing": "应为是或否（true/false）",
    "bool_type": "应为是或否（true/false）", "date_parsing": "应为日期，格式如2026-12-31",
    "date_from_datetime_parsing": "应为日期，格式如2026-12-31", "date_type": "应为日期，格式如2026-12-31",
    "string_type": "应为文本", "list_type": "应为列表", "model_attributes_type": "格式不正确",
    "json_invalid": "请求内容不是有效的JSON", "greater_than_equal": "不能小于{ge}", "less_than_equal": "不能大于{le}",
    "greater_than": "应大于{gt}", "less_than": "应小于{lt}", "string_too_long": "不能超过{max_length}个字",
    "string_too_short": "至少{min_length}个字", "too_long": "最多{max_length}项", "finite_number": "应为有限数字",
    "string_pattern_mismatch": "格式不正确", "dict_type": "格式不正确", "int_parsing_size": "数值超出范围",
}  # fmt: skip
# Errors whose message is already the Chinese reason (common.validators' text rule).
OWN_MESSAGE_TYPES = {"text_invalid"}
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
        kind = error.get("type")
        if kind in OWN_MESSAGE_TYPES:
            reason = error.get("msg", "格式不正确")
        elif kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
            reason = "不能为空"
        else:
            reason = TYPE_MESSAGES.get(kind, "格式不正确").format(**error.get("ctx", {}))
        items.append({"field": field, "message": f"{label}：{reason}"})
    return items


# --- Error responses in the OpenAPI schema (SEC-29) -------------------------------------------------
# Every operation documents the errors it can answer with, all shaped as ErrorOut ({"detail": ...}):
ERROR_RESPONSES = {
    400: "请求无法解析（如查询参数过多）",
    401: "未登录或访问令牌无效",
    403: "当前角色无权使用该接口",
    404: "记录或区划不存在，或不在您的管辖范围内",
    409: "与当前状态冲突",
    413: "请求体过大",
    422: "输入有误：detail 列出每个字段及其中文说明",
    429: "请求过于频繁，请稍后再试",
}
THROTTLED_OPERATIONS = {"reveal_resident"}  # view names whose calls are rate-limited (SEC-12)


def _resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref", "")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else ref_or_schema


def _error_statuses(schema, operation) -> set[int]:
    """Where each error can occur: by authentication, path parameters, query and body, and area filters."""
    params = operation.get("parameters", [])
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    body_fields = set(_resolve(schema, body).get("properties", {})) if body else set()
    names = {p["name"] for p in params} | body_fields
    statuses = {400}
    if operation.get("security"):
        statuses |= {401, 403}
    if params or body:
        statuses.add(422)
    if body:
        statuses.add(413)
    if any(p["in"] == "path" for p in params) or names & {"area", "area_code", "token"}:
        statuses.add(404)
    if any(operation["operationId"].endswith("_" + name) for name in THROTTLED_OPERATIONS):
        statuses.add(429)
    return statuses


def document_error_responses(schema):
    """Add the error responses of every operation to the OpenAPI schema (kept where already declared)."""
    error_ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status in sorted(_error_statuses(schema, operation)):
                responses.setdefault(status, {"description": ERROR_RESPONSES[status], **error_ref})
    return schema
