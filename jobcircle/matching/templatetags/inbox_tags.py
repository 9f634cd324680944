"""Template tags of the resident's inbox (moved from common's ``jc``: common sits below the domain apps, issue 21)."""

from django import template

from jobcircle.matching.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context):
    """The signed-in resident's unread inbox messages (the 消息 badge); 0 for anyone else."""
    request = context.get("request")
    resident_id = getattr(getattr(request, "scope", None), "resident_id", None)
    return unread_count(resident_id) if resident_id else 0
