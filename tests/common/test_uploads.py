"""SEC-28: the upload gate refuses oversized files, renamed executables, zip bombs and macros."""

import io
import os
import stat
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from jobcircle.common import uploads
from jobcircle.common.exports import Column, build_workbook, workbook_bytes


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.JOBCIRCLE_UPLOAD_ROOT = tmp_path / "uploads"
    return settings.JOBCIRCLE_UPLOAD_ROOT


def real_xlsx():
    return workbook_bytes(build_workbook([("名单", [Column("姓名", lambda r: r)], ["张三"])]))


def upload(content, name="台账.xlsx"):
    return SimpleUploadedFile(name, content)


def code_of(exc_info):
    return exc_info.value.code


def test_a_real_workbook_is_accepted_and_stored_under_a_generated_private_name(upload_root):
    content = real_xlsx()
    stored = uploads.store_upload(upload(content, "../../etc/台账.xlsx"))
    assert stored.original_name == "台账.xlsx"
    assert stored.name != stored.original_name and stored.name.endswith(".xlsx")
    assert stored.path.parent == upload_root
    assert stored.path.read_bytes() == content
    mode = stat.S_IMODE(os.stat(stored.path).st_mode)
    assert mode & 0o111 == 0 and mode & 0o077 == 0  # never executable, owner only


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.JOBCIRCLE_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload(real_xlsx()))
    assert code_of(exc) == "too_large"
    assert "文件过大" in exc.value.messages[0]


def test_a_renamed_executable_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload(exe, "台账.xlsx"))
    assert code_of(exc) == "signature"


def test_other_extensions_are_refused_even_with_valid_content():
    for name in ("台账.exe", "台账.xlsm", "台账", "台账.xlsx.exe"):
        with pytest.raises(ValidationError) as exc:
            uploads.check_upload(upload(real_xlsx(), name))
        assert code_of(exc) == "extension"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload(buffer.getvalue()))
    assert code_of(exc) == "not_xlsx"


def _bomb(**limits):
    """A workbook-shaped zip whose one sheet expands hugely from a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (limits.get("size", 50 * 1024 * 1024)))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    content = _bomb()
    assert len(content) < 200 * 1024
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload(content))
    assert code_of(exc) == "zip_bomb"


def test_a_zip_bomb_is_refused_by_its_total_uncompressed_size():
    policy = uploads.UploadPolicy(extensions=(".xlsx",), max_uncompressed_bytes=1024 * 1024, max_ratio=10**9)
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload(_bomb(size=2 * 1024 * 1024)), policy)
    assert code_of(exc) == "zip_bomb"


def test_a_zip_with_too_many_entries_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(30):
            archive.writestr(f"xl/media/{i}.bin", "x")
    policy = uploads.UploadPolicy(extensions=(".xlsx",), max_entries=20)
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload(buffer.getvalue()), policy)
    assert code_of(exc) == "zip_entries"


def test_macros_and_escaping_paths_are_refused():
    for extra, code in (("xl/vbaProject.bin", "macro"), ("../../evil.sh", "zip_path")):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr(extra, "x")
        with pytest.raises(ValidationError) as exc:
            uploads.check_upload(upload(buffer.getvalue()))
        assert code_of(exc) == code


def test_stored_files_are_found_only_by_generated_name_and_served_as_attachments(upload_root):
    stored = uploads.store_upload(upload(real_xlsx()))
    response = uploads.attachment_response(stored.name, "错误清单.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    response.file_to_stream.close()
    for bad in ("../settings.py", "x.xlsx", stored.name.replace(".xlsx", ".py")):
        with pytest.raises(Http404):
            uploads.stored_path(bad)


def test_expired_files_are_purged(upload_root):
    old = uploads.store_upload(upload(real_xlsx()))
    fresh = uploads.store_upload(upload(real_xlsx()))
    past = time.time() - 25 * 3600
    os.utime(old.path, (past, past))
    assert uploads.purge_expired() == 1
    assert not old.path.exists() and fresh.path.exists()
