"""Input rules of the API (SEC-29, issue 22 items 4, 5, 13): paging, text, body size, errors as JSON, the schema."""

import re

import pytest
from django.conf import settings
from pydantic import BaseModel

from jobcircle.api.api import api
from jobcircle.api.schemas import MAX_OFFSET, InputSchema
from jobcircle.employers.models import Job
from jobcircle.employers.services import clean_job_input
from tests.factories import JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def _schema():
    return api.get_openapi_schema()


def _operations():
    for path, item in _schema()["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _list_routes():
    """Every GET operation that pages (takes ``limit``), with its path ids filled in."""
    routes = []
    for path, method, operation in _operations():
        names = {p["name"] for p in operation.get("parameters", [])}
        if method == "get" and "limit" in names:
            routes.append((re.sub(r"\{\w+\}", "1", path), "offset" in names))
    return routes


def test_the_list_routes_include_residents_employers_jobs_and_the_audit_log():
    paths = {path for path, _ in _list_routes()}
    assert {"/api/v1/residents", "/api/v1/employers", "/api/v1/jobs", "/api/v1/admin/audit/events"} <= paths


@pytest.mark.parametrize(
    ("params", "field", "label"),
    [
        ({"offset": -1}, "offset", "起始位置"),
        ({"offset": 2**63}, "offset", "起始位置"),  # bigint out of range on PostgreSQL
        ({"offset": MAX_OFFSET + 1}, "offset", "起始位置"),
        ({"limit": 0}, "limit", "每页条数"),
        ({"limit": -5}, "limit", "每页条数"),
        ({"limit": 10**30}, "limit", "每页条数"),
    ],
)
def test_every_list_refuses_paging_out_of_range_with_a_chinese_field_error(
    client, county_admin, audit_admin, params, field, label
):
    checked = 0
    for path, pages in _list_routes():
        if field == "offset" and not pages:
            continue
        # each list asked by a role that may use it: the role check comes before the paging check
        client.force_login(audit_admin if path.startswith("/api/v1/admin/audit/") else county_admin)
        response = client.get(path, {"lat": 33.16, "lng": 115.62, **params})
        assert response.status_code == 422, (path, response.content)
        (item,) = [item for item in response.json()["detail"] if item["field"] == field]
        assert item["message"].startswith(f"{label}：不能"), (path, item)
        checked += 1
    assert checked >= 5


def test_the_deepest_page_allowed_answers_an_empty_page(client, county_admin, audit_admin, resident):
    client.force_login(county_admin)
    for path in ("/api/v1/residents", "/api/v1/employers", "/api/v1/jobs", "/api/v1/recruiting/applications"):
        response = client.get(path, {"offset": MAX_OFFSET, "limit": 100})
        assert response.status_code == 200, (path, response.content)
        assert response.json()["items"] == []
    client.force_login(audit_admin)
    assert client.get("/api/v1/admin/audit/events", {"offset": MAX_OFFSET}).json()["items"] == []


def _job_body(**overrides):
    from tests.api.test_jobs_api import job_payload

    return job_payload(**overrides)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "门店\x00理货员", "岗位名称：不能包含控制字符或换行"),
        ("title", "门店\x1f理货员", "岗位名称：不能包含控制字符或换行"),
        ("title", "门店\n理货员", "岗位名称：不能包含控制字符或换行"),
        ("description", "服装缝制\x00", "工作内容：不能包含控制字符（如NUL、换页符）"),
        ("work_address", "工" * 201, "工作地点：不能超过200个字"),
        ("title", "岗" * 101, "岗位名称：不能超过100个字"),
    ],
)
def test_text_fields_refuse_control_characters_and_overlong_text(client, employer_user, field, value, message):
    client.force_login(employer_user)
    response = client.post("/api/v1/jobs", _job_body(**{field: value}), content_type="application/json")
    assert response.status_code == 422, response.content
    assert {"field": field, "message": message} in response.json()["detail"]
    assert not Job.objects.exists()


def test_multi_line_fields_keep_their_line_breaks_and_tabs(client, employer_user):
    client.force_login(employer_user)
    description = "1. 服装缝制\n2.\t熨烫"
    response = client.post("/api/v1/jobs", _job_body(description=description), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Job.objects.get().description == description


def test_a_query_string_with_a_nul_is_a_field_error(client, county_admin):
    client.force_login(county_admin)
    for path in ("/api/v1/residents", "/api/v1/employers", "/api/v1/jobs"):
        response = client.get(path, {"q": "张\x00"})
        assert response.status_code == 422, path
        assert response.json()["detail"] == [{"field": "q", "message": "关键词：不能包含控制字符或换行"}]


def test_the_service_applies_the_same_rule_to_the_web_forms(employer):
    """The back-office and portal forms post through clean_job_input, which uses common.validators."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        clean_job_input(_job_body(title="门店\x1f理货员", work_address="工" * 201), employer=employer)
    assert caught.value.message_dict["title"] == ["岗位名称：不能包含控制字符或换行"]
    assert caught.value.message_dict["work_address"] == ["工作地点：不能超过200个字"]


def test_every_request_model_is_an_input_schema():
    """Query and body models of every operation derive from InputSchema, so no string escapes the text rule."""
    checked = 0
    for router_prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for name, field in model.model_fields.items():
                        annotation = field.annotation
                        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                            assert issubclass(annotation, InputSchema), (router_prefix, operation.view_func, name)
                            checked += 1
                        assert annotation is not str, (router_prefix, operation.view_func, name)
    assert checked >= 30


def test_a_body_over_the_upload_limit_is_413_json_under_api(client, county_admin):
    client.force_login(county_admin)
    body = b'{"name": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'
    response = client.post("/api/v1/employers", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "提交的内容过大"}


def test_a_form_over_the_upload_limit_is_a_chinese_413_page(client, county_admin):
    client.force_login(county_admin)
    response = client.post("/accounts/login/", {"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/residents/abc", "/api/v1/jobs/1x/status", "/api/v1/no-such-route"])
def test_unknown_paths_and_non_numeric_ids_are_json_404s(client, county_admin, path):
    client.force_login(county_admin)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到该接口或记录"}


def test_a_method_a_route_does_not_take_is_a_json_405_with_allow(client, county_admin):
    client.force_login(county_admin)
    response = client.delete("/api/v1/residents")
    assert response.status_code == 405
    assert response.json() == {"detail": "该接口不支持此请求方法"}
    assert "GET" in response["Allow"]


def test_a_server_error_under_the_api_is_json_without_details(client, county_admin, monkeypatch):
    from jobcircle.api import stats

    def broken(prefix):
        raise RuntimeError("boom")

    monkeypatch.setattr(stats, "overview", broken)
    client.force_login(county_admin)
    client.raise_request_exception = False
    response = client.get("/api/v1/stats/overview")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，请稍后重试"}


def test_outside_the_api_a_404_is_still_the_chinese_page(client, county_admin):
    client.force_login(county_admin)
    response = client.get("/backoffice/no-such-page/")
    assert response.status_code == 404
    assert "没有找到这个页面" in response.content.decode()


def test_every_operation_documents_its_error_responses():
    for path, method, operation in _operations():
        responses = {int(status) for status in operation["responses"]}
        expected = {400}
        if operation.get("security"):
            expected |= {401, 403}
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add(422)
        if operation.get("requestBody"):
            expected.add(413)
        if "{" in path:
            expected.add(404)
        assert expected <= responses, (method, path, expected - responses)
    reveal = _schema()["paths"]["/api/v1/residents/{resident_id}/reveal"]["post"]
    assert 429 in {int(status) for status in reveal["responses"]}


def test_the_schema_carries_lengths_from_the_models_and_numeric_ranges():
    components = _schema()["components"]["schemas"]

    def prop(name, field):
        schema = components[name]["properties"][field]
        return next((s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"), schema)

    assert prop("JobIn", "work_address")["maxLength"] == Job._meta.get_field("work_address").max_length
    assert prop("JobIn", "description")["maxLength"] == Job._meta.get_field("description").max_length
    assert prop("JobIn", "headcount")["minimum"] == 1
    assert prop("ResidentIn", "lat")["maximum"] == 90
    assert prop("ResidentIn", "community_code")["pattern"] == "^[0-9]{12}$"
    paging = {p["name"]: p["schema"] for p in _schema()["paths"]["/api/v1/jobs"]["get"]["parameters"]}
    assert paging["offset"]["minimum"] == 0 and paging["offset"]["maximum"] == MAX_OFFSET


def test_every_string_in_a_request_body_has_a_length_or_a_pattern():
    components = _schema()["components"]["schemas"]
    bodies = set()
    for _, _, operation in _operations():
        ref = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in ref:
            bodies.add(ref["$ref"].rsplit("/", 1)[-1])

    def strings(schema):
        for option in schema.get("anyOf", [schema]):
            if option.get("type") == "string" and option.get("format") not in ("date", "date-time"):
                yield option
            if option.get("type") == "array":
                yield from strings(option["items"])

    assert bodies
    for name in bodies:
        for field, schema in components[name]["properties"].items():
            for option in strings(schema):
                assert "maxLength" in option or "pattern" in option, (name, field)


def test_staff_reading_a_row_stored_with_a_control_character_still_get_json(client, county_admin, employer):
    """Rows stored before the rule (bypassing validation) are still served; output is never re-validated."""
    job = JobFactory(employer=employer)
    Job.objects.filter(pk=job.pk).update(title="门店\x1f理货员")
    ResidentFactory(community=employer.community)
    client.force_login(county_admin)
    response = client.get(f"/api/v1/jobs/{job.pk}")
    assert response.status_code == 200
    assert response.json()["title"] == "门店\x1f理货员"


def test_an_overlong_description_is_refused_before_the_compliance_checker_runs(client, employer_user, monkeypatch):
    from jobcircle.employers import services

    calls = []
    monkeypatch.setattr(services, "review_posting", lambda fields, **kw: calls.append(fields) or [])
    limit = Job._meta.get_field("description").max_length
    client.force_login(employer_user)
    response = client.post("/api/v1/jobs", _job_body(description="x" * 1_000_000), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "description", "message": f"工作内容：不能超过{limit}个字"}]
    assert calls == []


def test_the_service_checks_lengths_before_the_compliance_checker(employer, monkeypatch):
    from django.core.exceptions import ValidationError

    from jobcircle.employers import services

    calls = []
    monkeypatch.setattr(services, "review_posting", lambda fields, **kw: calls.append(fields) or [])
    with pytest.raises(ValidationError) as caught:
        clean_job_input(_job_body(description="缝" * 1_000_000), employer=employer)
    assert "description" in caught.value.message_dict
    assert all("description" not in fields for fields in calls)
