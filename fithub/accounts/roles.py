"""What a user is, in each organisation and factory: the facts every scoping rule starts from."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User

Kind = Organisation.Kind
Role = Membership.Role
FactoryRole = FactoryMembership.Role


@dataclass(frozen=True)
class Roles:
    superuser: bool = False
    # organisation id -> (organisation kind, role in it)
    org: dict[int, tuple[str, str]] = field(default_factory=dict)
    # factory id -> role in it
    factory: dict[int, str] = field(default_factory=dict)

    def orgs(self, *, kind: str | None = None, roles: tuple[str, ...] | None = None) -> list[int]:
        return [
            pk
            for pk, (k, r) in self.org.items()
            if (kind is None or k == kind) and (roles is None or r in roles)
        ]

    def factories(self, *, roles: tuple[str, ...] | None = None) -> list[int]:
        return [pk for pk, r in self.factory.items() if roles is None or r in roles]

    @property
    def provider_admin(self) -> bool:
        return bool(self.orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,)))

    @property
    def provider_staff(self) -> bool:
        return bool(self.orgs(kind=Kind.SERVICE_PROVIDER))

    @property
    def programme_owner(self) -> bool:
        return bool(self.orgs(kind=Kind.PROGRAMME_OWNER))

    @property
    def buyer(self) -> bool:
        return bool(self.orgs(kind=Kind.BUYER))

    @property
    def factory_staff(self) -> bool:
        return bool(self.factory)

    @property
    def can_register_factories(self) -> bool:
        # A factory is always registered on behalf of a provider, so a superuser without a
        # provider has nobody to register it for (that is what the Django admin is for).
        return self.provider_admin

    @property
    def sees_audit(self) -> bool:
        return self.superuser or bool(self.orgs(roles=(Role.ADMIN,)))


def roles_of(user: User | AnonymousUser) -> Roles:
    """Return the user's roles, read once per request (two queries) and kept on the user."""
    if not user.is_authenticated:
        return Roles()
    cached: Roles | None = getattr(user, "_fithub_roles", None)
    if cached is not None:
        return cached
    roles = Roles(
        superuser=user.is_superuser,
        org={
            m.organisation_id: (m.organisation.kind, m.role)
            for m in Membership.objects.filter(user=user).select_related("organisation")
        },
        factory=dict(FactoryMembership.objects.filter(user=user).values_list("factory_id", "role")),
    )
    # Cached on the user object, which lives as long as the request.
    user._fithub_roles = roles  # type: ignore[union-attr,attr-defined]
    return roles
