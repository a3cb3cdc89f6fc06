"""The one place that decides which organisations and memberships a user sees or administers."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, Role, roles_of


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


def organisations_of_kind(
    user: User | AnonymousUser, kind: Kind, *, admin: bool = False
) -> QuerySet[Organisation]:
    """Return the organisations of a kind the user belongs to (or administers), by name."""
    orgs = roles_of(user).orgs(kind=kind, roles=(Role.ADMIN,) if admin else None)
    return Organisation.objects.filter(pk__in=orgs).order_by("name", "pk")


def administered(user: User | AnonymousUser, kind: Kind) -> QuerySet[Organisation]:
    """Return the organisations of a kind that the user administers, by name."""
    return organisations_of_kind(user, kind, admin=True)


def acting_organisation(
    user: User | AnonymousUser, kind: Kind, chosen: int | str | None = None
) -> Organisation:
    """Return the organisation the user acts for: the one of this kind they administer or,
    when they administer several, the one they chose (never one picked for them)."""
    mine = list(administered(user, kind))
    if chosen not in (None, ""):
        found = next((o for o in mine if str(o.pk) == str(chosen)), None)
        if found is None:
            raise ValidationError(_("You do not administer this organisation."), code="not_yours")
        return found
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise ValidationError(_("You administer no such organisation."), code="none")
    raise ValidationError(
        _("You administer several organisations: choose the one you act for."), code="choose"
    )
