from django import template

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
