"""Placeholder; replaced below."""


def scope_for_user(user):
    return None
