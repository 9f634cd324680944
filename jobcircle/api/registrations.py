"""Formal registrations of a resident (就业登记, 失业登记, 就业困难人员认定): read and recorded by staff.

Every write goes through people.services (which validates, naming the field, and audits); the
resident is fetched through the caller's scope, so another area's resident is 404.
"""

import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.people import services
from jobcircle.people.models import EmploymentRegistration, Resident, UnemploymentRegistration

from .auth import access
from .schemas import Code, ErrorOut, InputSchema, Text

router = Router(tags=["就业失业登记 registrations"], auth=access(CASEWORK))
PATH = "/{int:resident_id}/registrations"
DateText = Text(10)  # YYYY-MM-DD; the service parses it and names the field when it is wrong


class EmploymentOut(Schema):
    id: int
    registered_on: datetime.date
    employer_name: str
    is_urban: bool
    ended_on: datetime.date | None
    end_reason: str


class UnemploymentOut(Schema):
    id: int
    registered_on: datetime.date
    is_urban: bool
    ended_on: datetime.date | None
    end_reason: str


class DifficultyOut(Schema):
    id: int
    category: str
    category_label: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    evidence: str

    @staticmethod
    def resolve_category_label(obj):
        return obj.get_category_display()


class RegistrationsOut(Schema):
    employment: list[EmploymentOut]
    unemployment: list[UnemploymentOut]
    difficulty: list[DifficultyOut]


class EmploymentIn(InputSchema):
    registered_on: DateText | None = None
    employer_name: Text(100) | None = None
    is_urban: bool = True


class UnemploymentIn(InputSchema):
    registered_on: DateText | None = None
    is_urban: bool = True


class EndIn(InputSchema):
    ended_on: DateText | None = None
    end_reason: Code | None = None


class DifficultyIn(InputSchema):
    category: Code | None = None
    valid_from: DateText | None = None
    valid_to: DateText | None = None
    evidence: Text(200) | None = None


def _resident(request, resident_id):
    return get_in_scope_or_404(Resident.objects.all(), request.scope, pk=resident_id)


def _in_force(queryset, resident, message):
    registration = queryset.filter(resident=resident, ended_on__isnull=True).first()
    if registration is None:
        raise ValidationError({"ended_on": [message]})
    return registration


@router.get(PATH, response=RegistrationsOut, summary="居民的就业登记、失业登记和就业困难人员认定")
def list_registrations(request, resident_id: int):
    resident = _resident(request, resident_id)
    return {
        "employment": list(resident.employment_registrations.all()),
        "unemployment": list(resident.unemployment_registrations.all()),
        "difficulty": list(resident.difficulty_certifications.all()),
    }


@router.post(PATH + "/employment", response={201: EmploymentOut, 422: ErrorOut}, summary="就业登记")
def record_employment(request, resident_id: int, payload: EmploymentIn):
    registration = services.record_employment_registration(
        _resident(request, resident_id), by=request.user, data=payload.dict()
    )
    return 201, registration


@router.post(PATH + "/employment/end", response={200: EmploymentOut, 422: ErrorOut}, summary="就业登记终止")
def end_employment(request, resident_id: int, payload: EndIn):
    resident = _resident(request, resident_id)
    registration = _in_force(EmploymentRegistration.objects, resident, "终止日期：该居民没有未终止的就业登记")
    return services.end_employment_registration(registration, by=request.user, data=payload.dict())


@router.post(PATH + "/unemployment", response={201: UnemploymentOut, 422: ErrorOut}, summary="失业登记")
def record_unemployment(request, resident_id: int, payload: UnemploymentIn):
    registration = services.record_unemployment_registration(
        _resident(request, resident_id), by=request.user, data=payload.dict()
    )
    return 201, registration


@router.post(PATH + "/unemployment/end", response={200: UnemploymentOut, 422: ErrorOut}, summary="注销失业登记")
def end_unemployment(request, resident_id: int, payload: EndIn):
    resident = _resident(request, resident_id)
    registration = _in_force(UnemploymentRegistration.objects, resident, "注销日期：该居民没有未注销的失业登记")
    return services.end_unemployment_registration(registration, by=request.user, data=payload.dict())


@router.post(PATH + "/difficulty", response={201: DifficultyOut, 422: ErrorOut}, summary="就业困难人员认定")
def certify_difficulty(request, resident_id: int, payload: DifficultyIn):
    certification = services.certify_employment_difficulty(
        _resident(request, resident_id), by=request.user, data=payload.dict()
    )
    return 201, certification
