"""The ONE gate every uploaded file passes through (SEC-28).

- Size is capped before anything else is read (``JOBCIRCLE_UPLOAD_MAX_BYTES``, 30 MB by default;
  a policy may lower it).
- The extension must be on the policy's list AND the first bytes must be that format's
  signature, so a renamed ``.exe`` (``MZ``…) is refused whatever its name.
- An ``.xlsx`` is a zip: the central directory is inspected without extracting anything, and
  the file is refused when it holds too many entries, too many uncompressed bytes, an entry
  compressed suspiciously well (zip bomb), a path escaping the archive, macros
  (``vbaProject.bin``) or lacks the parts every workbook has.
- Accepted files are stored outside the web root (``JOBCIRCLE_UPLOAD_ROOT``, default
  ``var/uploads``) under a generated name, owner read/write only, never executed and served only
  as attachments (``attachment_response``).
- Stored files are temporary: ``purge_expired`` (command ``purge_uploads``) deletes anything older
  than 24 hours.
"""

import hashlib
import os
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
DEFAULT_TTL_SECONDS = 24 * 3600
CHUNK = 64 * 1024

# Extension → accepted leading bytes.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (b"PK\x03\x04",),
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


@dataclass(frozen=True)
class UploadPolicy:
    """What one kind of upload may be."""

    extensions: tuple[str, ...]
    max_bytes: int | None = None  # None: the site-wide cap
    # Zip containers (xlsx): limits on what the archive would expand to.
    max_entries: int = 500
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    max_ratio: int = 200  # uncompressed/compressed per entry; real sheets compress 5–30×

    @property
    def size_cap(self) -> int:
        site_cap = int(getattr(settings, "JOBCIRCLE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))
        return min(self.max_bytes, site_cap) if self.max_bytes else site_cap


XLSX_POLICY = UploadPolicy(extensions=(".xlsx",))
ATTACHMENT_POLICY = UploadPolicy(extensions=(".pdf", ".png", ".jpg", ".jpeg", ".xlsx"), max_bytes=10 * 1024 * 1024)


@dataclass(frozen=True)
class StoredUpload:
    name: str  # generated file name under the upload root (what the database keeps)
    original_name: str
    size: int
    sha256: str

    @property
    def path(self) -> Path:
        return stored_path(self.name)


def upload_root() -> Path:
    return Path(getattr(settings, "JOBCIRCLE_UPLOAD_ROOT", None) or Path(settings.BASE_DIR) / "var" / "uploads")


def _extension(name: str) -> str:
    return os.path.splitext(str(name or ""))[1].lower()


def _reject(message: str, code: str):
    raise ValidationError(message, code=code)


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(position)
    return size


def check_upload(upload, policy: UploadPolicy = XLSX_POLICY) -> str:
    """Validate an uploaded file (Django ``UploadedFile`` or any binary file object); return its extension.

    - over the size cap → "文件过大";
    - extension not on the policy → "只接受 … 文件";
    - leading bytes not the extension's signature → "文件内容与扩展名不符";
    - xlsx: entry count, uncompressed total, per-entry ratio, path safety, macros, required parts.
    """
    extension = _extension(getattr(upload, "name", ""))
    if extension not in policy.extensions:
        _reject(f"只接受 {'、'.join(policy.extensions)} 文件（收到“{extension or '无扩展名'}”）", "extension")
    size = _size_of(upload)
    if size > policy.size_cap:
        _reject(f"文件过大：{size / 1048576:.1f} MB，上限 {policy.size_cap / 1048576:.0f} MB", "too_large")
    if size == 0:
        _reject("文件是空的", "empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        _reject("文件内容与扩展名不符（可能是改了扩展名的其他文件），已拒绝", "signature")
    if extension == ".xlsx":
        _check_xlsx(upload, policy)
        upload.seek(0)
    return extension


def _check_xlsx(upload, policy: UploadPolicy):
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        _reject("不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传", "not_xlsx")
    with archive:
        entries = archive.infolist()
        if len(entries) > policy.max_entries:
            _reject(f"Excel 文件结构异常：包含 {len(entries)} 个部件，超过上限 {policy.max_entries}", "zip_entries")
        total = 0
        names = set()
        for entry in entries:
            name = entry.filename
            if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                _reject("Excel 文件结构异常：包含非法路径", "zip_path")
            total += entry.file_size
            if total > policy.max_uncompressed_bytes:
                _reject("Excel 文件解压后过大（疑似压缩炸弹），已拒绝", "zip_bomb")
            if entry.file_size > 1024 * 1024 and entry.file_size > policy.max_ratio * max(entry.compress_size, 1):
                _reject("Excel 文件压缩比异常（疑似压缩炸弹），已拒绝", "zip_bomb")
            names.add(name)
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            _reject("不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传", "not_xlsx")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            _reject("文件包含宏，已拒绝；请另存为不含宏的 .xlsx", "macro")


def store_upload(upload, policy: UploadPolicy = XLSX_POLICY) -> StoredUpload:
    """Check, then copy the file under a generated name outside the web root; returns what was stored."""
    extension = check_upload(upload, policy)
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex}{extension}"
    digest, size = hashlib.sha256(), 0
    target = root / name
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never executable
    with os.fdopen(fd, "wb") as out:
        upload.seek(0)
        while chunk := upload.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    upload.seek(0)
    original = os.path.basename(str(getattr(upload, "name", "") or ""))[:200]
    return StoredUpload(name=name, original_name=original, size=size, sha256=digest.hexdigest())


def store_generated(content: bytes, extension: str = ".xlsx") -> str:
    """Keep a file the system produced (e.g. an import's error workbook); returns its generated name."""
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex}{extension}"
    fd = os.open(root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    return name


def stored_path(name: str) -> Path:
    """The path of a stored file; only generated names are accepted (no traversal)."""
    base, extension = os.path.splitext(str(name or ""))
    if len(base) != 32 or not all(c in "0123456789abcdef" for c in base) or extension not in SIGNATURES:
        raise Http404("文件不存在")
    return upload_root() / f"{base}{extension}"


def attachment_response(name: str, download_name: str) -> FileResponse:
    """Serve a stored file as a download (never inline), or 404 when it has expired."""
    path = stored_path(name)
    if not path.is_file():
        raise Http404("文件不存在或已过期（临时文件保留24小时）")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=download_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def delete_stored(name: str):
    if name:
        stored_path(name).unlink(missing_ok=True)


def purge_expired(max_age_seconds: int = DEFAULT_TTL_SECONDS, now: float | None = None) -> int:
    """Delete stored files older than ``max_age_seconds``; returns how many were removed."""
    root = upload_root()
    if not root.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - max_age_seconds
    removed = 0
    for path in root.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
