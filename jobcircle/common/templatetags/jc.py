from django import template

register = template.Library()


@register.filter
def distance(metres):
    """1234.5 → "1.2公里"; under a kilometre in metres, e.g. "850米"."""
    if metres is None:
        return ""
    metres = float(metres)
    return f"{metres:.0f}米" if metres < 1000 else f"{metres / 1000:.1f}公里"
