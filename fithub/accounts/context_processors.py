from django.conf import settings
from django.http import HttpRequest

from fithub.accounts.roles import roles_of


def roles(request: HttpRequest) -> dict[str, object]:
    """Expose the user's roles to templates, so navigation shows only what the user may use."""
    return {"roles": roles_of(request.user), "fithub_version": settings.VERSION}
