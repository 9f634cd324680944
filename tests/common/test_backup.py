import pytest
from django.core.management import call_command

from jobcircle.common.backup import make_backup, restore_drill, write_report
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_with_matching_counts_chain_and_decryptable_data(tmp_path, community, county_admin):
    from jobcircle.common.audit import log_action

    for _ in range(3):
        log_action("test.before_backup", obj=ResidentFactory(community=community), by=county_admin)
    backup = make_backup(tmp_path)
    result = restore_drill(backup)
    assert result["ok"], result["problems"]
    assert result["decrypt_sample"] == "3/3"
    assert result["audit_rows_verified"] >= 3
    report = write_report(result, tmp_path / "reports")
    assert "通过" in report.read_text(encoding="utf-8")


def test_a_corrupted_backup_fails_the_drill(tmp_path, community):
    ResidentFactory(community=community)
    backup = make_backup(tmp_path)
    with backup.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00corrupt")
    result = restore_drill(backup)
    assert not result["ok"]
    assert any("摘要" in problem for problem in result["problems"])


def test_the_commands_run_end_to_end(tmp_path, community, capsys):
    ResidentFactory(community=community)
    call_command("backup", "--dest", str(tmp_path))
    backup = next(p for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    call_command("restore_drill", "--backup", str(backup))
    assert "恢复演练报告" in capsys.readouterr().out
