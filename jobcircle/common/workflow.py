"""One shape for every pipeline (issue 21): a transition table, who may act, one log row, one audit event.

A pipeline declares a ``Workflow`` (its model, state field, states, the legal ``(from, to)`` moves with
who may make each, its log model) and moves a record only through ``transition``. Its log model
subclasses ``TransitionLog``, so every pipeline keeps its own queryable table of the same shape.

``common`` sits at the bottom: it knows no roles or permissions. Who may act is a predicate
``(record, by, scope) -> bool`` that the pipeline's app writes with ``accounts`` (ADR docs/decisions/workflow.md);
``scope`` is the caller's, handed through ``transition(..., scope=)`` (None for a system move).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from .audit import log_action

REFUSED = "无权执行此操作"


def anyone(record, by, scope=None) -> bool:
    """The move is a system rule (the caller already decided it may happen)."""
    return True


@dataclass(frozen=True)
class Move:
    """One legal move: who may make it and how long its reason must be (0: none needed)."""

    who: Callable[[Any, Any, Any], bool] = anyone
    refused: str = REFUSED
    min_reason: int = 0
    reason_error: str = ""


@dataclass(frozen=True)
class Workflow:
    """A pipeline's declaration.

    - ``moves``: every legal ``(from, to)`` pair and its ``Move``; anything else is refused;
    - ``log`` / ``subject``: the ``TransitionLog`` subclass and its foreign key to the record;
    - ``action``: the audit action, a format string over ``to`` or a callable ``(record, from, to)``;
    - ``label``: how the messages name the state (岗位状态, 申请状态);
    - ``related``: relations fetched with the locked row (read by the predicates).
    """

    model: type[models.Model]
    states: type[models.TextChoices]
    moves: Mapping[tuple[str, str], Move]
    log: type["TransitionLog"]
    subject: str
    action: str | Callable[[Any, str, str], str]
    field: str = "status"
    label: str = "状态"
    related: tuple[str, ...] = ()

    def targets(self, state) -> list[str]:
        """The states a record in ``state`` may move to, in the order of the states' declaration."""
        return [to for to in self.states.values if (state, to) in self.moves]

    def state_of(self, value) -> models.TextChoices:
        if value not in self.states.values:
            raise ValidationError({self.field: [f"状态取值无效：{value}"]})
        return self.states(value)

    def move(self, current, target) -> Move:
        move = self.moves.get((current, target))
        if move is None:
            raise ValidationError({self.field: [f"{self.label}不能从“{current.label}”改为“{target.label}”"]})
        return move


def moves_from(table: Mapping[str, Iterable[str]], rule: Callable[[str, str], Move] = lambda frm, to: Move()):
    """The moves of a ``{from: {to, …}}`` table, each given its ``Move`` by ``rule(from, to)``."""
    return {(frm, to): rule(frm, to) for frm, targets in table.items() for to in targets}


def _actor(by):
    return by if getattr(by, "pk", None) else None


@transaction.atomic
def transition(workflow: Workflow, record, to_state, *, by, scope=None, reason="", prepare=None, data=None):
    """Move ``record`` to ``to_state`` — the one door for a pipeline's state changes.

    - an unknown state, or a move not in the table, is refused naming both states (ValidationError);
    - ``scope`` is the caller's (``request.scope``; None where no person acts) and goes to the move's
      predicate ``who(record, by, scope)``; an actor it refuses gets PermissionDenied;
    - a reason shorter than the move asks is refused;
    - the row is locked first (select_for_update), so of two moves from the same state only one succeeds;
      the other sees the new state and is refused;
    - ``prepare(record, from, to)`` runs the pipeline's own checks and field changes after those rules
      and returns the extra fields it changed;
    - the state is saved, ONE log row (from, to, who, why, when) and ONE audit event are written —
      all in one transaction: a refusal writes nothing.
    Returns the locked, updated record.
    """
    target = workflow.state_of(to_state)
    record = workflow.model.objects.select_for_update(of=("self",)).select_related(*workflow.related).get(pk=record.pk)
    current = workflow.states(getattr(record, workflow.field))
    move = workflow.move(current, target)
    if not move.who(record, by, scope):
        raise PermissionDenied(move.refused)
    reason = (reason or "").strip()[:200]
    if len(reason) < move.min_reason:
        raise ValidationError({"reason": [move.reason_error or f"原因：至少{move.min_reason}个字"]})
    changed = list(prepare(record, current, target) or ()) if prepare else []
    setattr(record, workflow.field, target)
    stamped = ["updated_at"] if any(f.name == "updated_at" for f in record._meta.fields) else []
    record.save(update_fields=[workflow.field, *changed, *stamped])
    workflow.log.objects.create(
        **{workflow.subject: record}, from_status=current, to_status=target, by=_actor(by), reason=reason
    )
    action = workflow.action(record, current, target) if callable(workflow.action) else workflow.action
    log_action(
        action.format(to=target.value),
        by=by,
        obj=record,
        changed_fields=[workflow.field, *changed],
        data={"from": current.value, "to": target.value, "reason": reason, **(data or {})},
    )
    return record


def log_created(workflow: Workflow, records, *, by=None, reason: str | Callable[[Any], str] = ""):
    """Log rows for records created straight into a state (imports, demo data): from "" to their state.

    - ``reason`` is one text for all, or ``reason(record)`` for each (e.g. a case's opening reason);
    - no audit event here: the caller audits the creation itself (one event per batch or record).
    """
    why = reason if callable(reason) else (lambda record: reason)
    workflow.log.objects.bulk_create(
        [
            workflow.log(
                **{workflow.subject: record},
                from_status="",
                to_status=getattr(record, workflow.field),
                by=_actor(by),
                reason=why(record)[:200],
            )
            for record in records
        ],
        batch_size=2000,
    )


class TransitionLog(models.Model):
    """The shape of every pipeline's transition log (流转记录): from, to, who, why, when.

    A subclass adds the foreign key to its record (``related_name="transitions"``) and, for readable
    labels, may redeclare the two state fields with its states as choices. ``from_status`` is empty
    for a record created straight into a state. The actor is kept (RESTRICT); None for system moves.
    """

    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.RESTRICT,
        related_name="+",
    )  # fmt: skip
    reason = models.CharField("原因", max_length=200, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"
