"""Applying to jobs. The recruiting pipeline (interview, offer, hire) builds on this."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobcircle.common.audit import log_action
from jobcircle.employers.models import Job

from .models import Application


@transaction.atomic
def apply_to_job(resident, job, *, by) -> Application:
    """A resident applies to a job (投递).

    - only a job open today can be applied to (open status, inside its validity).
    - one application per resident and job: applying again is refused with a clear message.
    - the application belongs to the job's area; the event is audited.
    """
    job = Job.objects.select_for_update(of=("self",)).select_related("employer").get(pk=job.pk)
    if not job.is_open:
        raise ValidationError({"job": ["该岗位已暂停或结束招聘，不能投递"]})
    if Application.objects.filter(resident=resident, job=job).exists():
        raise ValidationError({"job": ["您已投递过该岗位，请在“我的申请”中查看"]})
    application = Application(resident=resident, job=job, area_code=job.area_code)
    application.created_by = by if getattr(by, "pk", None) else None
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a double click racing itself
        raise ValidationError({"job": ["您已投递过该岗位，请在“我的申请”中查看"]}) from exc
    log_action("recruiting.application.created", by=by, obj=application, data={"job": job.pk})
    return application
