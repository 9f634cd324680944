"""Project-wide invariants: scoping on every area-owned model, no mass assignment, synthetic data only."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from jobcircle.areas.querysets import AreaQuerySet

ROOT = Path(settings.BASE_DIR)
SOURCE_FILES = [p for p in (ROOT / "jobcircle").rglob("*.py") if "migrations" not in p.parts]


def test_every_area_owned_model_has_the_scoped_manager():
    owned = [m for m in apps.get_models() if any(f.name == "area_code" for f in m._meta.fields)]
    assert owned, "expected area-owned models"
    for model in owned:
        # common sits below areas (tests/test_layers.py): its rows are read through what owns them
        # (the audit screen is for the 审计管理员; a task's progress through its scoped batch or run).
        if model._meta.label in {"common.AuditEvent", "common.TaskProgress"}:
            continue
        assert isinstance(model._default_manager.all(), AreaQuerySet), model._meta.label


def test_no_form_or_schema_uses_all_fields_or_exclude():
    """SEC-11: fields are listed explicitly."""
    offenders = []
    for path in SOURCE_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                names = {t.id for t in node.targets if isinstance(t, ast.Name)}
                if "fields" in names and isinstance(node.value, ast.Constant) and node.value.value == "__all__":
                    offenders.append(f"{path}:{node.lineno}")
                if "exclude" in names and "class Meta" in path.read_text(encoding="utf-8"):
                    offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_no_url_takes_an_id_number_or_phone_in_its_path():
    """SEC-20: plaintext identifiers never travel in URLs."""
    patterns = []

    def walk(items, prefix=""):
        for p in items:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                patterns.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    assert not [p for p in patterns if re.search(r"id_number|idcard|phone|mobile", p)]


# SEC-43: every ID number or mobile phone literal in our code and tests is synthetic.
ID_LITERAL = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])", re.ASCII)
PHONE_LITERAL = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)", re.ASCII)
# Published test vectors (REQUIREMENTS.md): documented sample numbers, not people.
ID_VECTORS = {"11010519491231002X", "360426199101010071", "33010619900101123X", "310115198001010016",
              "110229201601010010", "34122219900101123X"}  # fmt: skip
# Well-known example numbers used in documentation, never assigned to a person by us.
EXAMPLE_PHONES = {"13812345678", "13800138000", "13912345678", "19912345678"}


def _literals(pattern):
    for path in [*SOURCE_FILES, *(ROOT / "tests").rglob("*.py")]:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            yield path.relative_to(ROOT), match.group()


def _checksum_valid(number):
    from stdnum.cn import ric

    return ric.calc_check_digit(number) == number[-1].upper()


def test_id_number_literals_carry_the_generator_marker_or_are_published_vectors():
    """Literals are synthetic (990000…), published vectors, or checksum-invalid (nobody's number)."""
    bad = [
        (p, v)
        for p, v in _literals(ID_LITERAL)
        if not v.startswith("990000") and v.upper() not in ID_VECTORS and _checksum_valid(v)
    ]
    assert bad == []


def test_phone_literals_are_in_the_reserved_test_range():
    bad = [(p, v) for p, v in _literals(PHONE_LITERAL) if not v.startswith("140") and v not in EXAMPLE_PHONES]
    assert bad == []


def test_production_settings_reject_synthetic_identities(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("JOBCIRCLE_PII_KEY", "prod-test")
    prod = importlib.import_module("config.settings.prod")
    assert prod.JOBCIRCLE_DEMO_ID_PREFIXES == []
    assert prod.DEBUG is False


def test_every_encrypted_column_is_rotated_with_the_key():
    """SEC-17: rotate_pii_keys re-encrypts every *_encrypted column of ours (pii.ENCRYPTED_COLUMNS)."""
    from jobcircle.common.pii import ENCRYPTED_COLUMNS

    encrypted = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("jobcircle.")
        for field in model._meta.concrete_fields
        if field.name.endswith("_encrypted")
    }
    assert encrypted == {f"{label}.{name}_encrypted" for label, names in ENCRYPTED_COLUMNS.items() for name in names}


def test_every_migration_of_ours_can_be_reversed():
    """SEC-36: data and SQL operations carry their reverse (scripts/migration-drill.py runs them in CI)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)  # the files only, no database
    one_way = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if migration.__module__.startswith("jobcircle.")
        for operation in migration.operations
        if not operation.reversible
    ]
    assert one_way == []


@pytest.mark.django_db
def test_a_fresh_database_has_no_user_accounts():
    """SEC-07: no default accounts; demo logins exist only after seed_demo."""
    from jobcircle.accounts.models import User

    assert User.objects.count() == 0


@pytest.mark.django_db
def test_usernames_are_unique_in_the_database():
    from django.db import IntegrityError, transaction

    from jobcircle.accounts.models import User

    User.objects.create(username="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="same")


@pytest.mark.django_db
def test_postgres_leg_marker():
    """Leaves proof for .ci/run that the suite really ran on PostgreSQL 15."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite run")
    major = connection.cursor().connection.info.server_version // 10000
    assert major == 15
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "ci-postgres-leg.txt").write_text(f"ran on PostgreSQL {major}\n")


def test_templates_load_nothing_from_other_hosts():
    """The system runs on intranets: no script, style or font from a CDN."""
    pattern = re.compile(r"""(src|href)\s*=\s*["'](https?:)?//""", re.I)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "jobcircle" / "templates").rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


PI_FIELD_NAME = re.compile(r"id_number|phone|mobile|bank|address|disab", re.I)


def test_every_personal_data_field_is_in_the_inventory():
    """SEC-21: a field named like personal data must be declared in the PI inventory."""
    import json

    inventory = json.loads((ROOT / "jobcircle" / "common" / "data" / "pi_inventory.json").read_text(encoding="utf-8"))
    declared = inventory["fields"]
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("jobcircle.")
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and PI_FIELD_NAME.search(field.name)
        and f"{model._meta.label}.{field.name}" not in declared
    ]
    assert missing == []
    for name, entry in declared.items():
        assert {"purpose", "legal_basis", "sensitivity", "retention", "masking"} <= set(entry), name


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs", "/api/v1/openapi.json", "/admin/login/"])
def test_docs_and_admin_do_not_exist_on_the_public_host(client, settings, path):
    """SEC-30."""
    settings.JOBCIRCLE_PUBLIC_HOSTS = ["h5.example.gov.cn"]
    settings.ALLOWED_HOSTS = ["h5.example.gov.cn", "testserver"]
    assert client.get(path, HTTP_HOST="h5.example.gov.cn").status_code == 404
    assert client.get(path, follow=True).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/docs"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    """SEC-27: no unsafe-inline or unsafe-eval for scripts; framing and plugins refused."""
    policy = client.get(path, follow=True)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    # Only our own files, plus the per-request nonce when a page uses one.
    assert all(token == "'self'" or token.startswith("'nonce-") for token in directives["script-src"].split())
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_image_sources_allow_exactly_the_configured_tile_hosts():
    from config.settings.base import _tile_hosts

    url = "https://t{s}.tianditu.gov.cn/DataServer?T={layer}_w&x={x}&y={y}&l={z}&tk={key}"
    assert _tile_hosts(url, "01") == ["https://t0.tianditu.gov.cn", "https://t1.tianditu.gov.cn"]
    assert _tile_hosts("", "01") == []
