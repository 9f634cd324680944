import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

from tests.factories import make_user

ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["123", "password", "12345678901234", "zhangsan-employer-1", "aaaaaaaaaaaa"])
def test_every_password_validator_answers_in_chinese(password):
    user = make_user("zhangsan-employer", "employer")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    for message in exc.value.messages:
        assert not ENGLISH_WORD.search(message), message
        assert re.search(r"[\u4e00-\u9fff]", message), message


def test_password_help_texts_are_chinese():
    for text in password_validators_help_texts():
        assert not ENGLISH_WORD.search(text), text
