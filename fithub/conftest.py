"""The fixed cast every test uses: two providers, two factories, two buyers, a programme owner.

Provider A works with factory A, provider B with factory B. The buyer sources from factory A
only, the second buyer from factory B only. Every access test asks both "who may" and "who must
not". The `cast_a2` fixture adds provider A's second factory, for the rule that a session two
factories of one provider share never shows one factory's people to the other's users.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User
from fithub.factories.models import BuyerRelationship, Factory
from fithub.programmes.models import Engagement, Programme

Kind = Organisation.Kind
Role = Membership.Role

# Timing belongs in bench/, not in tests: on a shared two-core machine hypothesis's deadline and
# "too slow" health check fail a correct property for the machine's load, not the code's.
hypothesis_settings.register_profile(
    "fithub", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("fithub")


@dataclass
class Cast:
    owner_org: Organisation
    provider_a: Organisation
    provider_b: Organisation
    buyer_org: Organisation
    programme: Programme
    factory_a: Factory
    factory_b: Factory
    engagement_a: Engagement
    engagement_b: Engagement
    owner: User  # programme owner administrator
    admin_a: User  # provider A administrator
    facilitator_a: User
    admin_b: User  # provider B administrator
    buyer: User
    coordinator_a: User  # factory A's FIT coordinator
    worker_rep_a: User
    outsider: User  # an account with no memberships at all
    superuser: User
    # Added for the later apps; every earlier test is unaffected by them.
    buyer_org_b: Organisation  # a second buyer, sourcing from factory B only
    assessor_a: User  # provider A's assessor
    manager_a: User  # factory A's manager
    coordinator_b: User  # factory B's FIT coordinator
    worker_rep_b: User
    buyer_b: User  # the second buyer's viewer

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def _user(email: str, name: str) -> User:
    return User.objects.create_user(email, "correct horse battery staple", name=name)


def make_cast() -> Cast:
    owner_org = Organisation.objects.create(name="ILO Test Office", kind=Kind.PROGRAMME_OWNER)
    provider_a = Organisation.objects.create(name="Provider A", kind=Kind.SERVICE_PROVIDER)
    provider_b = Organisation.objects.create(name="Provider B", kind=Kind.SERVICE_PROVIDER)
    buyer_org = Organisation.objects.create(name="Brand C", kind=Kind.BUYER)
    programme = Programme.objects.create(
        owner=owner_org,
        name="FIT pilot Testland",
        country="PK",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        target_enterprises=25,
    )
    programme.providers.set([provider_a, provider_b])
    factory_a = Factory.objects.create(
        name="Alpha Garments",
        country="PK",
        city="Karachi",
        sector="garments",
        registered_by=provider_a,
    )
    factory_b = Factory.objects.create(
        name="Beta Knit", country="BD", city="Gazipur", sector="knitwear", registered_by=provider_b
    )
    engagement_a = Engagement.objects.create(
        programme=programme, factory=factory_a, provider=provider_a, delivery_model="in_factory"
    )
    engagement_b = Engagement.objects.create(
        programme=programme, factory=factory_b, provider=provider_b, delivery_model="classroom"
    )
    BuyerRelationship.objects.create(buyer=buyer_org, factory=factory_a)

    owner = _user("owner@example.org", "Olga Owner")
    admin_a = _user("admin.a@example.org", "Amina Admin")
    facilitator_a = _user("facilitator.a@example.org", "Farid Facilitator")
    admin_b = _user("admin.b@example.org", "Bilal Admin")
    buyer = _user("buyer@example.org", "Chen Buyer")
    coordinator_a = _user("coordinator.a@example.org", "Rina Coordinator")
    worker_rep_a = _user("worker.a@example.org", "Sadia Worker")
    outsider = _user("outsider@example.org", "Oscar Outsider")
    superuser = User.objects.create_superuser("root@example.org", "correct horse battery staple")
    Membership.objects.create(user=owner, organisation=owner_org, role=Role.ADMIN)
    Membership.objects.create(user=admin_a, organisation=provider_a, role=Role.ADMIN)
    Membership.objects.create(user=facilitator_a, organisation=provider_a, role=Role.FACILITATOR)
    Membership.objects.create(user=admin_b, organisation=provider_b, role=Role.ADMIN)
    Membership.objects.create(user=buyer, organisation=buyer_org, role=Role.VIEWER)
    FactoryMembership.objects.create(
        user=coordinator_a, factory=factory_a, role=FactoryMembership.Role.COORDINATOR
    )
    FactoryMembership.objects.create(
        user=worker_rep_a, factory=factory_a, role=FactoryMembership.Role.WORKER_REP
    )
    buyer_org_b = Organisation.objects.create(name="Brand D", kind=Kind.BUYER)
    BuyerRelationship.objects.create(buyer=buyer_org_b, factory=factory_b)
    assessor_a = _user("assessor.a@example.org", "Asad Assessor")
    manager_a = _user("manager.a@example.org", "Mona Manager")
    coordinator_b = _user("coord.b@example.org", "Badal Coordinator")
    worker_rep_b = _user("worker.b@example.org", "Bina Worker")
    buyer_b = _user("buyer.b@example.org", "Dana Buyer")
    Membership.objects.create(user=assessor_a, organisation=provider_a, role=Role.ASSESSOR)
    Membership.objects.create(user=buyer_b, organisation=buyer_org_b, role=Role.VIEWER)
    for user, factory, role in [
        (manager_a, factory_a, FactoryMembership.Role.MANAGER),
        (coordinator_b, factory_b, FactoryMembership.Role.COORDINATOR),
        (worker_rep_b, factory_b, FactoryMembership.Role.WORKER_REP),
    ]:
        FactoryMembership.objects.create(user=user, factory=factory, role=role)
    return Cast(
        owner_org, provider_a, provider_b, buyer_org, programme, factory_a, factory_b,
        engagement_a, engagement_b, owner, admin_a, facilitator_a, admin_b, buyer,
        coordinator_a, worker_rep_a, outsider, superuser,
        buyer_org_b, assessor_a, manager_a, coordinator_b, worker_rep_b, buyer_b,
    )  # fmt: skip


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@dataclass
class FactoryA2:
    """Provider A's second factory, with its own engagement and coordinator."""

    factory: Factory
    engagement: Engagement
    coordinator: User
    worker_rep: User


def make_factory_a2(cast: Cast) -> FactoryA2:
    factory = Factory.objects.create(
        name="Alpha Two Denim",
        country="PK",
        city="Lahore",
        sector="denim",
        registered_by=cast.provider_a,
    )
    engagement = Engagement.objects.create(
        programme=cast.programme,
        factory=factory,
        provider=cast.provider_a,
        delivery_model="classroom",
    )
    coordinator = _user("coordinator.a2@example.org", "Zara Coordinator")
    worker_rep = _user("worker.a2@example.org", "Yusuf Worker")
    FactoryMembership.objects.create(
        user=coordinator, factory=factory, role=FactoryMembership.Role.COORDINATOR
    )
    FactoryMembership.objects.create(
        user=worker_rep, factory=factory, role=FactoryMembership.Role.WORKER_REP
    )
    return FactoryA2(factory, engagement, coordinator, worker_rep)


@pytest.fixture
def cast_a2(cast: Cast) -> FactoryA2:
    """Provider A's second factory: two factories of one provider, e.g. in one shared session."""
    return make_factory_a2(cast)


@pytest.fixture(autouse=True)
def _fast_tests(settings) -> None:  # type: ignore[no-untyped-def]
    # For speed: argon2 is deliberately slow, and tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
