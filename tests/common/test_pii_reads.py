"""One reveal door (issue 21 step 3): a person's plaintext number is read only through people's reveal
services, or by the machine-internal readers listed in docs/decisions/one-writer.md."""

import ast
from pathlib import Path

import jobcircle

ROOT = Path(jobcircle.__file__).resolve().parent

# Module (path under jobcircle/; a name without .py: that module or the package it may be split into) → why.
DECRYPT_ALLOWED = {
    "common/pii.py": "the cipher itself and key rotation (reencrypt_with_current_key)",
    "people/services.py": "the reveal door: reveal_resident_pii, reveal_residents_pii_for_export",
    "accounts/models.py": "a TOTP secret of an authenticator app, not a person's number",
    "accounts/security.py": "a staff second-factor code texted to the staff member's own phone",
    "accounts/services.py": "security alerts texted to staff on their own phones (text_users)",
    "matching/push_writing.py": "the daily job-push SMS to the resident's own phone",
    "recruiting/services.py": "an interview/offer SMS to the applicant's own phone",
    "employers/services.py": "update_employer re-validates the stored contact phone with the patch; never shown",
    "portal/views/resident.py": "the phone a person has just verified, held encrypted in their own session",
    "common/backup.py": "the restore drill checks sampled ID numbers decrypt to their stored mask; never shown",
    "subsidies/services.py": "bank_account_of: the payee's account, into the payout bank file only (audited)",
    "gigs/contacts.py": "other_side_phone: a gig's poster and its confirmed worker see each other's phone (audited)",
}


def decrypt_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "decrypt":
                calls.append(node.lineno)
    return calls


def allowed(relative: str) -> bool:
    """A listed module, or for a name without ``.py`` that module or the package it may become."""
    return any(relative == module or relative in (f"{module}.py",) or relative.startswith(f"{module}/")
               for module in DECRYPT_ALLOWED)  # fmt: skip


def test_plaintext_is_read_only_through_the_reveal_doors_or_listed_machine_readers():
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        lines = decrypt_calls(path)
        if lines and not allowed(relative):
            found[relative] = lines
    assert found == {}, (
        "decrypt() outside the reveal doors: read a resident's number through people.services.reveal_resident_pii"
        " (or reveal_residents_pii_for_export), or list a machine-internal reader here and in"
        " docs/decisions/one-writer.md with why"
    )


def test_the_allow_list_names_only_modules_that_still_decrypt():
    def still_decrypts(module):
        paths = (
            [ROOT / module] if module.endswith(".py") else [*ROOT.glob(f"{module}.py"), *ROOT.glob(f"{module}/**/*.py")]
        )
        return any(decrypt_calls(path) for path in paths if path.exists())

    stale = [module for module in DECRYPT_ALLOWED if not still_decrypts(module)]
    assert stale == []


def test_the_scan_sees_a_new_decrypt_call(tmp_path):
    module = tmp_path / "export.py"
    module.write_text("from jobcircle.common import pii\n\ndef rows(r):\n    return pii.decrypt(r.phone_encrypted)\n")
    assert decrypt_calls(module) == [4]
