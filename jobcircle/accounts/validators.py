"""Password rules beyond Django's own (SEC-02)."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = [("小写字母", r"[a-z]"), ("大写字母", r"[A-Z]"), ("数字", r"[0-9]"), ("符号", r"[^A-Za-z0-9]")]


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if sum(bool(re.search(pattern, password)) for _, pattern in CLASSES) < self.min_classes:
            raise ValidationError(
                f"密码：需包含小写字母、大写字母、数字、符号中的至少{self.min_classes}类", code="password_classes"
            )

    def get_help_text(self):
        return f"密码需包含小写字母、大写字母、数字、符号中的至少{self.min_classes}类。"


class MaximumLengthValidator:
    """Long pass-phrases are welcome; only absurd lengths are refused."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(f"密码：不能超过{self.max_length}个字符", code="password_too_long")

    def get_help_text(self):
        return f"密码不超过{self.max_length}个字符。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, answered in Chinese: Django 5.2 reworded the message and its zh_Hans
    catalogue has no translation for the new wording, so the English sentence leaked to users."""

    def get_error_message(self):
        return f"密码：太短，至少需要{self.min_length}个字符"

    def get_help_text(self):
        return f"密码至少{self.min_length}个字符。"
