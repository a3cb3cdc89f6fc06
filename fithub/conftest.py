"""The fixed cast every test uses: two providers, two factories, a buyer, a programme owner.

Provider A works with factory A, provider B with factory B. The buyer sources from factory A
only. Every access test asks both "who may" and "who must not".
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User
from fithub.factories.models import BuyerRelationship, Factory
from fithub.programmes.models import Engagement, Programme

Kind = Organisation.Kind
Role = Membership.Role


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
    return Cast(
        owner_org, provider_a, provider_b, buyer_org, programme, factory_a, factory_b,
        engagement_a, engagement_b, owner, admin_a, facilitator_a, admin_b, buyer,
        coordinator_a, worker_rep_a, outsider, superuser,
    )  # fmt: skip


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture(autouse=True)
def _fast_tests(settings) -> None:  # type: ignore[no-untyped-def]
    # For speed: argon2 is deliberately slow, and tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
