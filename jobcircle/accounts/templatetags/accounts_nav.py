from django import template

from jobcircle.accounts.navigation import admin_screens

register = template.Library()


@register.simple_tag
def admin_nav(user):
    """``{% admin_nav user as screens %}``: the administrator screens this user may open."""
    return admin_screens(user)
