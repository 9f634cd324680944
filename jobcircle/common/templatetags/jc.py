from django import template

from jobcircle.common import labels, pii

register = template.Library()


# Masking in templates (SEC-19): the maskers of common.pii, so a view never masks by hand.
# A stored mask (``resident.phone_masked``) is shown as it is; these are for a number a view holds.
register.filter("mask_phone", pii.mask_phone)
register.filter("mask_id", pii.mask_id_number)
register.filter("mask_name", pii.mask_name)


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


NOT_FILTERS = ("page", "sort", "export", "upto")


@register.simple_tag(takes_context=True)
def filters_applied(context, *ignored):
    """True when the list's query string narrows it (``{% filters_applied "month" as filtered %}``).

    Paging, sorting and the names in ``ignored`` (a list's own period, say) do not count: an empty list
    then means there is nothing at all, not that nothing matches (jc/empty.html tells them apart).
    """
    request = context.get("request")
    if request is None:
        return False
    return any(value.strip() for key, values in request.GET.lists() if key not in NOT_FILTERS + ignored
               for value in values)  # fmt: skip


@register.simple_tag(takes_context=True)
def page_link(context, number):
    params = context["request"].GET.copy()
    for key, value in context.get("page_anchor", {}).items():  # e.g. the audit log's ``upto``
        params[key] = value
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def action_label(action):
    """ "people.resident.updated" → "居民·修改" (common.labels; an unknown code is shown as it is)."""
    return labels.action_label(action)


@register.filter
def result_label(result):
    """ "failure" → "失败"."""
    return labels.result_label(result)


@register.filter
def field_labels(event):
    """An audit event's changed fields as their Chinese names, joined with 、."""
    return "、".join(labels.field_labels(event.object_type, event.changed_fields))


@register.filter
def object_label(object_type):
    """ "people.resident" → "居民" (the model's verbose_name)."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name) if object_type else ""
    except (LookupError, ValueError):
        return object_type


@register.filter
def data_items(event):
    """An audit event's extra data as (Chinese label, value) pairs; a status code reads as its label."""
    return [
        (labels.field_label(event.object_type, key), labels.action_label(value) if key == "action" else value)
        for key, value in (event.data or {}).items()
    ]
