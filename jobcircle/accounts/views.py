from django.shortcuts import redirect

from .enums import STAFF_ROLES, Role


def landing(request):
    """After signing in, each role goes to its own front: staff → 工作台, employer → portal, resident → H5."""
    role = request.user.role
    if role in STAFF_ROLES:
        return redirect("insights:dashboard")
    if role == Role.EMPLOYER:
        return redirect("portal:employer_home")
    return redirect("portal:m_home")
