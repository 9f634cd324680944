"""The staff "推荐岗位" / "推荐人选" panels, embedded in the resident and job pages of the apps below matching.

``people`` and ``employers`` sit below ``matching`` (docs/decisions/layers-and-areas.md), so their views
cannot call ``matching.services``; their templates name these tags instead, and the panel is computed
here, in the same request and with the same content as before (issue 21).
"""

from django import template
from django.utils import timezone

from jobcircle.matching.cadence import person_cadence
from jobcircle.matching.services import recommend_candidates, recommend_jobs

register = template.Library()


@register.inclusion_tag("matching/_recommended_jobs.html")
def recommended_jobs(resident):
    """The 5 best jobs for a job-seeking resident (the caller shows the panel only for job seekers)."""
    return {"recommendations": recommend_jobs(resident, k=5)}


@register.inclusion_tag("matching/_recommended_candidates.html", takes_context=True)
def recommended_candidates(context, job):
    """The 10 nearest job seekers for ``job`` inside the caller's scope (``request.scope``)."""
    return {"candidates": recommend_candidates(job, context["request"].scope, k=10)}


@register.inclusion_tag("matching/_push_cadence.html")
def push_cadence(resident):
    """精准送岗 for staff on the resident's page: cadence, last push, next due day, the resident's choices."""
    return {"cadence": person_cadence(resident, today=timezone.localdate())}
