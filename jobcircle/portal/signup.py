"""Accounts residents and employers create themselves (H5 sign-up, employer portal, phone sign-in).

They sit here, above the domain apps, because each writes a resident or an employer record through
its own service (``people.services.register_resident``, ``employers.services.register_employer``)
and then the login (``accounts``), together or not at all (issue 21: accounts sits below the domain).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jobcircle.accounts.enums import Role
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.employers.services import register_employer
from jobcircle.people.models import Resident
from jobcircle.people.services import register_resident


def resident_user_for_phone(phone):
    """The login of the resident registered with this phone, created on first sign-in; None if unregistered."""
    resident = Resident.objects.filter(phone_hash=pii.blind_index("phone", phone)).select_related("user").first()
    if resident is None:
        return None
    return getattr(resident, "user", None) or _create_resident_user(resident)


def _create_resident_user(resident):
    user = get_user_model()(username=f"resident-{resident.pk}", role=Role.RESIDENT, resident=resident)
    user.set_unusable_password()
    user.save()
    log_action("accounts.user.created", obj=user, data={"role": Role.RESIDENT})
    return user


@transaction.atomic
def sign_up_resident(*, phone, data) -> object:
    """A resident registers themselves after proving their phone.

    - the real-name record goes through people.services.register_resident (same validation as staff and API).
    - the verified phone is the record's phone; any community may be chosen (the QR code preselects one).
    """
    resident = register_resident(by=None, scope=None, data={**data, "phone": phone}, self_service=True)
    user = _create_resident_user(resident)
    resident.registration_user = user
    return resident


@transaction.atomic
def sign_up_employer(*, data, username, password):
    """An employer registers itself: the unit (credit code validated) and its login, together or not at all."""
    User = get_user_model()
    errors = {}
    if not username or User.objects.filter(username=username).exists():
        errors["username"] = ["用户名：不能为空或已被使用"]
    try:
        validate_password(password, User(username=username or ""))
    except ValidationError as exc:
        errors["password"] = exc.messages
    try:
        employer = register_employer(by=None, scope=None, data=data, self_service=True)
    except ValidationError as exc:
        raise ValidationError({**errors, **exc.message_dict}) from exc
    if errors:
        raise ValidationError(errors)
    user = User(username=username, role=Role.EMPLOYER, employer=employer)
    user.set_password(password)
    user.save()
    log_action("accounts.user.created", by=user, obj=user, data={"role": Role.EMPLOYER})
    return user
