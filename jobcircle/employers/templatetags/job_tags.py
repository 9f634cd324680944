"""Template tags of jobs (moved from common's ``jc``: common sits below the domain apps, issue 21)."""

from django import template

from jobcircle.classifications.models import Occupation
from jobcircle.employers.models import Job

register = template.Library()


@register.inclusion_tag("jc/occupation_datalist.html")
def occupation_datalist(which="all"):
    """The 职业分类大典 occupations as a <datalist> for the occupation inputs (type a name, pick a code).

    ``which="open_jobs"``: only the occupations of jobs open today (a short list for filters on phones).
    """
    occupations = Occupation.objects.leaves()
    if which == "open_jobs":
        occupations = occupations.filter(pk__in=Job.objects.open().values("occupation_id"))
    return {"occupations": occupations.values_list("code", "name")}
