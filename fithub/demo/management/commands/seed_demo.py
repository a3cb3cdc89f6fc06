"""Load fictional, clearly labelled demo data modelled on the FIT pilots (Pakistan, Bangladesh)."""

import random
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User
from fithub.demo import data, seed_committees, seed_compliance
from fithub.demo.data import DemoFactory
from fithub.factories.models import BuyerRelationship, Factory
from fithub.factories.services import (
    FactoryDetails,
    TeamMemberDetails,
    factory_create,
    team_member_add,
)
from fithub.programmes.models import Engagement, Programme
from fithub.programmes.services import (
    EngagementDetails,
    ProgrammeDetails,
    engagement_create,
    programme_create,
)

Kind = Organisation.Kind
Role = Membership.Role
FactoryRole = FactoryMembership.Role
Status = Engagement.Status

# Delivery model and status per factory, in list order. Pakistan's pilot ran in-factory.
PK_ENGAGEMENTS = [
    ("in_factory", Status.ACTIVE), ("in_factory", Status.ACTIVE), ("in_factory", Status.COMPLETED),
    ("in_factory", Status.ACTIVE), ("blended", Status.ACTIVE), ("in_factory", Status.COMPLETED),
    ("in_factory", Status.ACTIVE), ("classroom", Status.ACTIVE), ("blended", Status.PROSPECT),
    ("in_factory", Status.ACTIVE), ("in_factory", Status.WITHDRAWN),
]  # fmt: skip
BD_ENGAGEMENTS = [
    ("in_factory", Status.ACTIVE), ("classroom", Status.ACTIVE), ("blended", Status.ACTIVE),
    ("in_factory", Status.COMPLETED), ("laissez_faire", Status.ACTIVE),
    ("classroom", Status.PROSPECT), ("blended", Status.COMPLETED), ("in_factory", Status.ACTIVE),
    ("laissez_faire", Status.WITHDRAWN), ("classroom", Status.ACTIVE),
    ("in_factory", Status.ACTIVE), ("blended", Status.PROSPECT),
]  # fmt: skip

# (team role, departments to pick from)
TEAM_SHAPE = [
    ("coordinator", ["compliance", "hr", "management"]),
    ("manager", ["management", "sewing", "quality"]),
    ("supervisor", ["sewing", "cutting", "finishing", "quality"]),
    ("worker_rep", ["sewing", "finishing"]),
    ("worker", ["sewing", "storeroom", "finishing", "cutting"]),
    ("supervisor", ["storeroom", "maintenance", "finishing"]),
    ("worker", ["sewing", "quality", "cutting"]),
]


def _email(name: str) -> str:
    slug = re.sub(r"[^a-z ]", "", name.lower()).split()
    return ".".join(slug) + f"@{data.DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Load demo data (fictional, labelled '(demo)') and print the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any organisation exists (used by ./dev start).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        demo_exists = Organisation.objects.filter(name=data.OWNER_ORG).exists()
        if if_empty and Organisation.objects.exists():
            if demo_exists:
                self.print_logins()
            return
        if demo_exists:
            raise CommandError(
                "Demo data already exists (found the organisation "
                f"{data.OWNER_ORG!r}); nothing was written."
            )
        with transaction.atomic():
            self.seed()
        self.print_logins()

    def print_logins(self) -> None:
        existing = set(
            User.objects.filter(email__endswith=f"@{data.DEMO_DOMAIN}").values_list(
                "email", flat=True
            )
        )
        rows = [
            (login.role, login.email, data.DEMO_PASSWORD, login.language, login.where)
            for login in data.LOGINS
            if login.email in existing
        ]
        if not rows:
            return
        head = ("role", "e-mail", "password", "lang", "where")
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins (fictional demo data):"))
        self.stdout.write(("  " + line.format(*head)).rstrip())
        self.stdout.write("  " + "  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(("  " + line.format(*row)).rstrip())
        self.stdout.write(
            f"  The demo facilitators (...@{data.DEMO_DOMAIN}) use the same password."
        )

    # --- creation -----------------------------------------------------------------------

    def seed(self) -> None:
        rng = random.Random(2021)
        today = date.today()
        # Argon2 is slow on purpose: hash the shared demo password once for every demo user.
        password = make_password(data.DEMO_PASSWORD)

        def user(email: str, name: str, language: str = "en", **extra: Any) -> User:
            return User.objects.create(
                email=email, name=name, language=language, password=password, **extra
            )

        def login_user(role: str, name: str) -> User:
            login = next(lo for lo in data.LOGINS if lo.role == role)
            return user(login.email, name, login.language)

        owner_org = Organisation.objects.create(name=data.OWNER_ORG, kind=Kind.PROGRAMME_OWNER)
        buyer_org = Organisation.objects.create(name=data.BUYER_ORG, kind=Kind.BUYER)
        Membership.objects.create(
            user=login_user("Programme owner", "Olivia Mensah"),
            organisation=owner_org,
            role=Role.ADMIN,
        )
        Membership.objects.create(
            user=login_user("Viewer", "Viktor Lindqvist"), organisation=owner_org, role=Role.VIEWER
        )
        Membership.objects.create(
            user=login_user("Buyer", "Beatriz Navarro"), organisation=buyer_org, role=Role.VIEWER
        )
        user(f"admin@{data.DEMO_DOMAIN}", "Demo Administrator", is_staff=True, is_superuser=True)

        pk_providers = self._providers(data.PK_PROVIDERS, "PK", "en", user)
        bd_providers = self._providers(data.BD_PROVIDERS, "BD", "bn", user)
        Membership.objects.create(
            user=login_user("Provider admin", "Shahzad Hussain"),
            organisation=pk_providers[0],
            role=Role.ADMIN,
        )
        Membership.objects.create(
            user=login_user("Assessor", "Amna Rashid"),
            organisation=pk_providers[1],
            role=Role.ASSESSOR,
        )

        pk_programme = programme_create(
            owner=owner_org,
            providers=pk_providers,
            details=ProgrammeDetails(
                name=data.PK_PROGRAMME,
                country="PK",
                starts_on=today - timedelta(days=240),
                ends_on=today + timedelta(days=300),
                target_enterprises=25,
                target_modules_per_enterprise=4,
                is_demo=True,
            ),
        )
        bd_programme = programme_create(
            owner=owner_org,
            providers=bd_providers,
            details=ProgrammeDetails(
                name=data.BD_PROGRAMME,
                country="BD",
                starts_on=today - timedelta(days=300),
                ends_on=today + timedelta(days=240),
                target_enterprises=15,
                target_modules_per_enterprise=5,
                is_demo=True,
            ),
        )

        # Pakistan's garment workforce is mostly men (unlike Bangladesh's), so its share of
        # women is set lower: the demo should not contradict what pilot users know.
        pk_factories = [
            self._factory(f, "PK", pk_providers[i // 6], rng, (0.15, 0.40), today, score=True)
            for i, f in enumerate(data.PK_FACTORIES)
        ]
        bd_factories = [
            self._factory(f, "BD", bd_providers[i // 3], rng, (0.60, 0.80), today, score=False)
            for i, f in enumerate(data.BD_FACTORIES)
        ]

        coordinator = login_user("Factory coordinator", "Nida Farooqui")
        workerrep = login_user("Worker representative", "Shabana Bibi")
        manager = login_user("Factory manager", "Md. Habibur Rahman")
        FactoryMembership.objects.create(
            user=coordinator, factory=pk_factories[0], role=FactoryRole.COORDINATOR
        )
        FactoryMembership.objects.create(
            user=workerrep, factory=pk_factories[0], role=FactoryRole.WORKER_REP
        )
        FactoryMembership.objects.create(
            user=manager, factory=bd_factories[0], role=FactoryRole.MANAGER
        )

        for factories, programme, shapes, people in (
            (pk_factories, pk_programme, PK_ENGAGEMENTS, data.PK_PEOPLE),
            (bd_factories, bd_programme, BD_ENGAGEMENTS, data.BD_PEOPLE),
        ):
            for i, (factory, (model, status)) in enumerate(zip(factories, shapes, strict=True)):
                is_coordinated = factory == pk_factories[0]
                self._engagement(
                    factory,
                    programme,
                    model,
                    status,
                    i,
                    today,
                    coordinator if is_coordinated else None,
                )
                # The factory logins also sit on their factory's improvement team.
                named: dict[int, tuple[str, str]] = {}
                if is_coordinated:
                    named = {0: (coordinator.name, "female"), 3: (workerrep.name, "female")}
                elif factory == bd_factories[0]:
                    named = {1: (manager.name, "male")}
                self._team(factory, people, rng, named)

        BuyerRelationship.objects.create(
            buyer=buyer_org, factory=pk_factories[3], since=today - timedelta(days=3 * 365)
        )
        BuyerRelationship.objects.create(
            buyer=buyer_org, factory=bd_factories[1], since=today - timedelta(days=5 * 365)
        )
        seed_committees.seed(bd_factory=bd_factories[0], pk_factory=pk_factories[0], today=today)
        seed_compliance.seed(owner=owner_org, factories=pk_factories + bd_factories, today=today)

    def _providers(
        self, spec: list[tuple[str, list[tuple[str, str]]]], country: str, language: str, user: Any
    ) -> list[Organisation]:
        orgs = []
        for org_name, facilitators in spec:
            org = Organisation.objects.create(
                name=org_name, kind=Kind.SERVICE_PROVIDER, country=country
            )
            orgs.append(org)
            for name, _sex in facilitators:
                email = _email(name)
                # The first Pakistani facilitator is the documented facilitator login.
                if name == data.PK_PROVIDERS[0][1][0][0]:
                    email = f"facilitator@{data.DEMO_DOMAIN}"
                u = user(email, name, language)
                Membership.objects.create(user=u, organisation=org, role=Role.FACILITATOR)
        return orgs

    def _factory(
        self,
        f: DemoFactory,
        country: str,
        provider: Organisation,
        rng: random.Random,
        women: tuple[float, float],
        today: date,
        *,
        score: bool,
    ) -> Factory:
        headcount = rng.randrange(250, 2400, 10)
        female = round(headcount * rng.uniform(*women))
        return factory_create(
            registered_by=provider,
            by=None,
            details=FactoryDetails(
                name=f.name,
                os_id=f.os_id,
                country=country,
                city=f.city,
                address=f.address,
                latitude=Decimal(f.lat),
                longitude=Decimal(f.lng),
                sector=f.sector,
                product_types=f.product_types,
                tier="direct" if rng.random() < 0.75 else "subcontractor",
                workers_female=female,
                workers_male=headcount - female,
                score_graduate=score,
                better_work=country == "BD" and rng.random() < 0.5,
                consent_date=today - timedelta(days=rng.randrange(120, 330)),
            ),
        )

    def _engagement(
        self,
        factory: Factory,
        programme: Programme,
        model: str,
        status: str,
        i: int,
        today: date,
        coordinator: User | None,
    ) -> None:
        starts = None if status == Status.PROSPECT else today - timedelta(days=200 - 7 * i)
        ends = None
        if status == Status.COMPLETED:
            ends = today - timedelta(days=20 + i)
        elif starts:
            ends = starts + timedelta(days=180)
        engagement_create(
            provider=factory.registered_by,
            by=None,
            details=EngagementDetails(
                programme=programme,
                factory=factory,
                delivery_model=model,
                status=status,
                cycle=1,
                coordinator=coordinator,
                starts_on=starts,
                ends_on=ends,
            ),
        )

    def _team(
        self,
        factory: Factory,
        people: list[tuple[str, str]],
        rng: random.Random,
        named: dict[int, tuple[str, str]],
    ) -> None:
        """Add an improvement team of 4-7 people; named users take their slot by index."""
        size = rng.randint(4, 7)
        picked = rng.sample(people, size)
        for slot, ((role, departments), (name, sex)) in enumerate(
            zip(TEAM_SHAPE[:size], picked, strict=True)
        ):
            name, sex = named.get(slot, (name, sex))
            team_member_add(
                factory=factory,
                by=None,
                details=TeamMemberDetails(
                    name=name, role=role, department=rng.choice(departments), sex=sex
                ),
            )
