from django import template

from jobcircle.accounts import security
from jobcircle.accounts.enums import Role
from jobcircle.accounts.navigation import admin_screens

register = template.Library()


@register.simple_tag
def admin_nav(user):
    """``{% admin_nav user as screens %}``: the administrator screens this user may open."""
    return admin_screens(user)


@register.filter
def role_label(code):
    """A role's Chinese name from its stored code (audit rows keep the code); unknown codes as they are."""
    return Role(code).label if code in Role.values else code


@register.inclusion_tag("accounts/_password_reminder.html", takes_context=True)
def password_reminder(context):
    """The back office's banner when the viewer's password must be changed soon, with the link to the page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    on_the_page = (
        request is not None and request.resolver_match and request.resolver_match.url_name == "password_change"
    )
    days = None if user is None or on_the_page else security.password_days_left(user)
    return {"days_left": days}
