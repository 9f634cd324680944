"""Eligibility as a list of named checks (the training and internship rules share this shape).

Each check says what the rule asks, whether it holds and what the person's record shows, so a refusal names every
failing condition and a screen can explain a near miss — like the subsidy rules' explanations.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Check:
    label: str  # what the rule asks, in Chinese
    holds: bool
    detail: str = ""  # what the record shows

    def as_dict(self) -> dict:
        return {"label": self.label, "holds": self.holds, "detail": self.detail}

    def __str__(self):
        return f"{self.label}（{self.detail}）" if self.detail else self.label


def failing(checks) -> list[Check]:
    return [check for check in checks if not check.holds]


def raise_unless_eligible(checks, *, field: str, what: str) -> None:
    """Refuse (ValidationError on ``field``) naming each failing condition; nothing is written."""
    failed = failing(checks)
    if failed:
        raise ValidationError({field: [f"不符合{what}条件：{check}" for check in failed]})
