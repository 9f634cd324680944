from django import template

register = template.Library()


@register.filter
def distance(metres):
    """1234.5 → "1.2公里"; under a kilometre in metres, e.g. "850米"."""
    if metres is None:
        return ""
    metres = float(metres)
    return f"{metres:.0f}米" if metres < 1000 else f"{metres / 1000:.1f}公里"


@register.filter
def pay(job):
    """A job's monthly pay range, e.g. "3000–4500元/月"."""
    if job.pay_min == job.pay_max:
        return f"{job.pay_min}元/月"
    return f"{job.pay_min}–{job.pay_max}元/月"


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column header that sorts by ``field`` (again: reverses), keeping the other filters."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    params["sort"] = f"-{field}" if current == field else field
    params.pop("page", None)
    arrow = " ↑" if current == field else " ↓" if current == f"-{field}" else ""
    from django.utils.html import format_html

    return format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def page_link(context, number):
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.inclusion_tag("jc/occupation_datalist.html")
def occupation_datalist(which="all"):
    """The 职业分类大典 occupations as a <datalist> for the occupation inputs (type a name, pick a code).

    ``which="open_jobs"``: only the occupations of jobs open today (a short list for filters on phones).
    """
    from jobcircle.classifications.models import Occupation
    from jobcircle.employers.models import Job

    occupations = Occupation.objects.leaves()
    if which == "open_jobs":
        occupations = occupations.filter(pk__in=Job.objects.open().values("occupation_id"))
    return {"occupations": occupations.values_list("code", "name")}


ACTION_LABELS = {
    "created": "新建", "updated": "修改", "status_changed": "状态变更", "exported": "导出", "saved": "保存",
}  # fmt: skip


@register.filter
def action_label(action):
    """ "people.resident.updated" → "修改" (unknown actions are shown as they are)."""
    return ACTION_LABELS.get((action or "").rsplit(".", 1)[-1], action)


@register.simple_tag(takes_context=True)
def inbox_unread(context):
    """The signed-in resident's unread inbox messages (the 消息 badge); 0 for anyone else."""
    from jobcircle.matching.services import unread_count

    request = context.get("request")
    resident_id = getattr(getattr(request, "scope", None), "resident_id", None)
    return unread_count(resident_id) if resident_id else 0
