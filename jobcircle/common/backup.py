"""Backups and the restore drill (SEC-35). Commands: ``backup`` and ``restore_drill``.

- SQLite: the online backup API copies a consistent snapshot while the site runs.
- PostgreSQL: ``pg_dump -Fc`` (logical); production adds a base backup + WAL archive
  (docs/operations.md). Each backup gets a JSON manifest with row counts and SHA-256.
- The drill restores the newest backup into a scratch database, compares row counts
  with the manifest, verifies the audit chain, decrypts a sample of personal data,
  and writes a dated report.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from . import pii
from .audit import verify_chain

BACKUP_DIR = Path(settings.BASE_DIR) / "var" / "backups"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts(using="default") -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.using(using).count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _tool(name):
    """Full path of a PostgreSQL client program (Debian keeps version-specific ones here too)."""
    return shutil.which(name) or shutil.which(name, path="/usr/lib/postgresql/15/bin") or name


def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db, name=None):
    args = ["-h", db.get("HOST") or "localhost", "-U", db.get("USER") or "postgres"]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    return args + ["-d", name or db["NAME"]]


def make_backup(dest: Path = BACKUP_DIR) -> Path:
    """Write a backup and its manifest; return the backup file's path."""
    dest.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    db = settings.DATABASES["default"]
    counts = row_counts()
    if connection.vendor == "sqlite":
        target = dest / f"jobcircle-{stamp}.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as out:
            connection.connection.backup(out)
    elif connection.vendor == "postgresql":
        target = dest / f"jobcircle-{stamp}.pgdump"
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(target), *_pg_args(db)], check=True, env=_pg_env(db)
        )
    else:
        raise RuntimeError(f"不支持的数据库：{connection.vendor}")
    manifest = {"file": target.name, "vendor": connection.vendor, "created_at": stamp, "sha256": _sha256(target),
                "row_counts": counts}  # fmt: skip
    Path(f"{target}.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return target


def latest_backup(dest: Path = BACKUP_DIR) -> Path | None:
    candidates = sorted(p for p in dest.glob("jobcircle-*") if not p.name.endswith(".json"))
    return candidates[-1] if candidates else None


def _database_url(db, name) -> str:
    from urllib.parse import quote

    auth = quote(db.get("USER") or "postgres") + (":" + quote(db["PASSWORD"]) if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"


def _restore_scratch(backup: Path, vendor: str):
    """Restore into a scratch database; return (its DATABASE_URL, cleanup callable)."""
    db = settings.DATABASES["default"]
    if vendor == "sqlite":
        scratch = Path(tempfile.mkdtemp()) / "drill.sqlite3"
        shutil.copyfile(backup, scratch)
        return f"sqlite:///{scratch}", lambda: shutil.rmtree(scratch.parent, ignore_errors=True)
    name = f"jobcircle_drill_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    try:
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [_tool("pg_restore"), "--no-owner", "--exit-on-error", *_pg_args(db, name), str(backup)],
            check=True, env=_pg_env(db), capture_output=True,
        )  # fmt: skip
    except subprocess.CalledProcessError:
        drop()
        raise
    return _database_url(db, name), drop


def check_restored(sample_size: int = 20) -> dict:
    """Run inside the process whose default database is the restored copy (``manage.py drill_check``)."""
    # The residents are read through the app registry: common sits below people.
    Resident = apps.get_model("people", "Resident")
    checked, broken, reason = verify_chain()
    sample = list(Resident.objects.order_by("?")[:sample_size])
    decrypted = 0
    for resident in sample:
        try:
            decrypted += pii.mask_id_number(pii.decrypt(resident.id_number_encrypted)) == resident.id_number_masked
        except pii.PIIDecryptError:
            pass
    return {"row_counts": row_counts(), "audit": [checked, broken, reason], "decrypted": decrypted,
            "sample": len(sample)}  # fmt: skip


NOTHING_FOUND = {"row_counts": {}, "audit": [0, None, ""], "decrypted": 0, "sample": 0}


def _check_in_subprocess(url) -> tuple[dict, str | None]:
    """Run ``drill_check`` with the scratch database as default; (findings, problem or None)."""
    completed = subprocess.run(  # noqa: S603 - our own manage.py, fixed argv
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "drill_check"],
        env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        return NOTHING_FOUND, "恢复后的数据库无法读取：" + (completed.stderr.strip().splitlines() or ["未知错误"])[-1]
    return json.loads(completed.stdout.strip().splitlines()[-1]), None


def restore_drill(backup: Path | None = None) -> dict:
    """Restore the newest (or given) backup into a scratch database and check it in a separate process."""
    backup = backup or latest_backup()
    if backup is None:
        raise FileNotFoundError("没有找到备份文件，请先运行 manage.py backup")
    manifest = json.loads(Path(f"{backup}.json").read_text())
    started = time.monotonic()
    problems = ["备份文件摘要与清单不符"] if _sha256(backup) != manifest["sha256"] else []
    try:
        url, cleanup = _restore_scratch(backup, manifest["vendor"])
    except subprocess.CalledProcessError as exc:
        found, problem = NOTHING_FOUND, f"备份无法恢复（{Path(exc.cmd[0]).name} 退出码 {exc.returncode}）"
    else:
        try:
            found, problem = _check_in_subprocess(url)
        finally:
            cleanup()
    problems += [problem] if problem else []
    restored = found["row_counts"]
    mismatched = {k: (v, restored.get(k)) for k, v in manifest["row_counts"].items() if restored.get(k) != v}
    if restored and mismatched:
        problems.append(f"行数不符：{mismatched}")
    checked, broken, reason = found["audit"]
    if broken is not None:
        problems.append(f"审计链断裂于 #{broken}：{reason}")
    if found["decrypted"] != found["sample"]:
        problems.append(f"解密抽样失败：{found['sample'] - found['decrypted']}/{found['sample']}")
    return {
        "backup": backup.name, "vendor": manifest["vendor"], "backup_created_at": manifest["created_at"],
        "restore_seconds": round(time.monotonic() - started, 2), "tables": len(restored),
        "rows": sum(restored.values()), "audit_rows_verified": checked,
        "decrypt_sample": f"{found['decrypted']}/{found['sample']}", "problems": problems, "ok": not problems,
    }  # fmt: skip


def write_report(result: dict, directory: Path = BACKUP_DIR / "reports") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today().isoformat()
    path = directory / f"restore-drill-{today}-{result['vendor']}.md"
    lines = [
        f"# 恢复演练报告 {today}", "",
        f"- 结论：{'通过' if result['ok'] else '未通过'}",
        f"- 备份文件：{result['backup']}（{result['vendor']}，生成于 {result['backup_created_at']}）",
        f"- 恢复用时：{result['restore_seconds']} 秒；表 {result['tables']} 张，行 {result['rows']} 条",
        f"- 审计链校验：{result['audit_rows_verified']} 条完好",
        f"- 个人信息解密抽样：{result['decrypt_sample']}",
    ]  # fmt: skip
    lines += [f"- 问题：{p}" for p in result["problems"]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
