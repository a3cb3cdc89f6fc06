"""The one place that decides who sees and who changes the module catalogue and adaptations."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.catalogue.models import Adaptation, Module


def can_edit_catalogue(user: User | AnonymousUser) -> bool:
    """Whether the user edits the catalogue: administrators of a programme owner."""
    r = roles_of(user)
    return r.superuser or bool(r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,)))


def sees_catalogue(user: User | AnonymousUser) -> bool:
    """Whether the user sees the catalogue: programme and provider staff, factory staff.

    Buyers do not: they run no training, and what reaches them goes through a release.
    """
    r = roles_of(user)
    return (
        r.superuser
        or r.factory_staff
        or bool(r.orgs(kind=Kind.PROGRAMME_OWNER) or r.orgs(kind=Kind.SERVICE_PROVIDER))
    )


def modules_for(user: User | AnonymousUser) -> QuerySet[Module]:
    """Return the modules the user may see; inactive ones only to those who edit them."""
    if can_edit_catalogue(user):
        return Module.objects.all()
    if sees_catalogue(user):
        return Module.objects.filter(is_active=True)
    return Module.objects.none()


def adaptations_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Adaptation]:
    """Return the adaptations the user may see (or, with write=True, change).

    - service provider staff: their organisation's adaptations; its administrators change them;
    - programme owner staff: every adaptation (read only);
    - factory staff: the adaptations of the providers engaged with their factory (read only).
    """
    r = roles_of(user)
    if r.superuser:
        return Adaptation.objects.all()
    if not sees_catalogue(user):
        return Adaptation.objects.none()
    if not write and r.orgs(kind=Kind.PROGRAMME_OWNER):
        return Adaptation.objects.all()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,) if write else None)
    q = Q(provider__in=providers)
    if not write and (factories := r.factories()):
        engaged = Organisation.objects.filter(engagements__factory__in=factories)
        q |= Q(provider__in=engaged.values("pk"))
    return Adaptation.objects.filter(q)
