"""The one place that decides which organisations and memberships a user sees or administers."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Role, roles_of


def organisations_for(user: User | AnonymousUser, *, admin: bool = False) -> QuerySet[Organisation]:
    """Return the organisations the user belongs to (or, with admin=True, administers).

    Every member sees their organisation and its members; only its administrators invite and
    remove. A superuser sees and administers every organisation.
    """
    r = roles_of(user)
    if r.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=r.orgs(roles=(Role.ADMIN,) if admin else None))


def my_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Return the organisations the user is a member of, superuser or not (their own list)."""
    return Organisation.objects.filter(pk__in=roles_of(user).orgs())
