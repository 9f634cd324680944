"""The accounts residents and employers create themselves (portal.signup)."""

import pytest

from jobcircle.common import pii
from jobcircle.portal import signup
from tests.factories import demo_phone


@pytest.mark.django_db
def test_a_registered_residents_phone_signs_in_to_their_own_account(resident):
    phone = demo_phone()
    resident.set_phone(phone)
    resident.save()
    user = signup.resident_user_for_phone(phone)
    assert user.resident == resident and user.role == "resident" and not user.has_usable_password()
    assert signup.resident_user_for_phone(phone) == user
    assert signup.resident_user_for_phone(demo_phone()) is None
    assert pii.blind_index("phone", phone) == resident.phone_hash
