import pytest
from django.db import connection

from jobcircle.accounts.access import scope_for_user
from jobcircle.common import pii
from jobcircle.people.services import register_resident
from tests.factories import demo_id_number, demo_phone


def test_encrypted_value_decrypts_to_the_original():
    token = pii.encrypt("990000199001011234")
    assert "990000199001011234" not in token
    assert pii.decrypt(token) == "990000199001011234"


def test_encrypting_twice_gives_different_ciphertexts():
    assert pii.encrypt("14000000001") != pii.encrypt("14000000001")


def test_flipping_one_byte_of_the_ciphertext_is_detected():
    token = pii.encrypt("14000000001")
    head, payload = token.rsplit(":", 1)
    tampered = head + ":" + payload[:-6] + ("A" if payload[-6] != "A" else "B") + payload[-5:]
    with pytest.raises(pii.PIIDecryptError):
        pii.decrypt(tampered)


def test_old_key_still_decrypts_after_rotation(settings):
    token = pii.encrypt("14000000001")
    settings.JOBCIRCLE_PII_OLD_KEYS = [settings.JOBCIRCLE_PII_KEY]
    settings.JOBCIRCLE_PII_KEY = "a-new-key-for-rotation"
    assert pii.decrypt(token) == "14000000001"
    assert pii.needs_reencryption(token)
    assert not pii.needs_reencryption(pii.encrypt("14000000001"))


def test_blind_index_differs_between_deployments_with_different_keys(settings):
    first = pii.blind_index("id_number", "990000199001011234")
    settings.JOBCIRCLE_PII_KEY = "another-deployment"
    assert pii.blind_index("id_number", "990000199001011234") != first


def test_blind_index_separates_kinds_of_value():
    assert pii.blind_index("id_number", "14000000001") != pii.blind_index("phone", "14000000001")


@pytest.mark.parametrize(
    "masker, value, expected",
    [
        (pii.mask_id_number, "34122219900101123X", "3412**********123X"),
        (pii.mask_phone, "13812345678", "138****5678"),
        (pii.mask_name, "张三", "张*"),
        (pii.mask_name, "欧阳小明", "欧**明"),
        (pii.mask_id_number, "", ""),
    ],
)
def test_masks_show_only_the_agreed_digits(masker, value, expected):
    assert masker(value) == expected


def _dump_database_text():
    """Every text value of every table, read with raw SQL (what a stolen database file would show)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from introspection
            chunks.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return "\n".join(chunks)


@pytest.mark.django_db
def test_raw_database_holds_no_plaintext_id_number_or_phone(community, county_admin):
    id_number, phone = demo_id_number(), demo_phone()
    data = {"name": "李四", "id_number": id_number, "phone": phone, "community_code": community.code}
    register_resident(by=county_admin, scope=scope_for_user(county_admin), data=data)
    dump = _dump_database_text()
    assert "李四" in dump  # the dump really contains the resident's row
    assert id_number not in dump
    assert phone not in dump
    assert id_number[-8:] not in dump  # not even the birth date + sequence


@pytest.mark.django_db
def test_key_rotation_re_encrypts_so_the_old_key_can_be_retired(settings, community):
    from django.core.management import call_command

    from jobcircle.people.models import Resident
    from tests.factories import EmployerFactory, ResidentFactory, Role, make_user

    id_number = demo_id_number()
    resident = ResidentFactory(community=community, id_number=id_number)
    employer = EmployerFactory(community=community)
    staff = make_user("rotating_staff", Role.COMMUNITY_STAFF, area=community)  # second-factor codes go to this phone
    before = {
        "employer": pii.decrypt(employer.contact_phone_encrypted), "staff": pii.decrypt(staff.phone_encrypted),
    }  # fmt: skip
    old_key = settings.JOBCIRCLE_PII_KEY
    settings.JOBCIRCLE_PII_KEY, settings.JOBCIRCLE_PII_OLD_KEYS = "the-new-key", [old_key]
    call_command("rotate_pii_keys")
    settings.JOBCIRCLE_PII_OLD_KEYS = []  # old key retired
    resident.refresh_from_db()
    employer.refresh_from_db()
    staff.refresh_from_db()
    assert pii.decrypt(resident.id_number_encrypted) == id_number
    assert list(Resident.objects.by_id_number(id_number)) == [resident]
    assert pii.decrypt(employer.contact_phone_encrypted) == before["employer"]
    assert pii.decrypt(staff.phone_encrypted) == before["staff"]


@pytest.mark.parametrize(
    ("model", "name"),
    [("people.Resident", "id_number"), ("people.Resident", "phone"), ("employers.Employer", "contact_phone"),
     ("accounts.User", "phone")],
)  # fmt: skip
def test_each_personal_number_declares_its_encrypt_index_mask_triple_once(model, name):
    from django.apps import apps

    declared = getattr(apps.get_model(model), f"set_{name}")
    assert isinstance(declared, pii.PIIField)
    assert declared.columns == (f"{name}_encrypted", f"{name}_hash", f"{name}_masked")


@pytest.mark.parametrize(("empty_hash", "expected"), [("", ""), (None, None)])
def test_a_declared_field_writes_ciphertext_blind_index_and_mask_together(empty_hash, expected):
    class Holder:
        set_phone = pii.PIIField("phone", mask=pii.mask_phone, empty_hash=empty_hash)

    holder, phone = Holder(), demo_phone()
    holder.set_phone(phone)
    assert pii.decrypt(holder.phone_encrypted) == phone
    assert holder.phone_hash == pii.blind_index("phone", phone)
    assert holder.phone_masked == pii.mask_phone(phone)
    holder.set_phone("")
    assert (holder.phone_encrypted, holder.phone_hash, holder.phone_masked) == ("", expected, "")


def test_fields_of_one_kind_share_the_blind_index():
    from jobcircle.employers.models import Employer
    from jobcircle.people.models import Resident

    resident, employer, phone = Resident(), Employer(), demo_phone()
    resident.set_phone(phone)
    employer.set_contact_phone(phone)
    assert resident.phone_hash == employer.contact_phone_hash


def test_the_reveal_permission_is_spelled_as_accounts_spells_it():
    """common.pii cannot import accounts (a lower layer): its copy of the permission's name must match."""
    from jobcircle.accounts.permissions import REVEAL_PII

    assert pii.REVEAL_PII == REVEAL_PII
