"""Bulk-load a large synthetic dataset (organisations named "Scale ...") for benchmarks."""

import random
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from fithub.accounts.models import Membership, Organisation, User
from fithub.demo.data import DEMO_PASSWORD
from fithub.factories.models import Factory, TeamMember
from fithub.programmes.models import Engagement, Programme

BATCH = 2000
PREFIX = "Scale "
OWNER_NAME = "Scale Programme Owner"
SCALE_ADMIN = "scale.admin@scale.fithub.test"
SCALE_DOMAIN = "scale.fithub.test"
Q6 = Decimal("0.000001")
# The sizes at scale 1; --scale multiplies them all, providers included, so 4 is four times
# the registry with the same shape (providers of the same sizes, engagements per factory).
SIZES = {"factories": 5000, "providers": 200, "engagements": 20000, "team": 50000}

# country -> (weight, [(city, lat, lng)])
COUNTRIES: dict[str, tuple[int, list[tuple[str, float, float]]]] = {
    "BD": (
        4,
        [
            ("Gazipur", 24.00, 90.42),
            ("Ashulia", 23.90, 90.30),
            ("Narayanganj", 23.63, 90.50),
            ("Chattogram", 22.33, 91.83),
            ("Savar", 23.85, 90.26),
            ("Dhaka", 23.78, 90.40),
        ],
    ),
    "PK": (
        2,
        [
            ("Karachi", 24.86, 67.05),
            ("Lahore", 31.52, 74.36),
            ("Faisalabad", 31.42, 73.08),
            ("Sialkot", 32.49, 74.53),
        ],
    ),
    "KH": (
        2,
        [("Phnom Penh", 11.56, 104.92), ("Kandal", 11.48, 104.95), ("Kampong Speu", 11.45, 104.52)],
    ),
    "VN": (
        2,
        [
            ("Ho Chi Minh City", 10.82, 106.63),
            ("Binh Duong", 11.17, 106.65),
            ("Dong Nai", 10.95, 106.82),
            ("Hanoi", 21.03, 105.85),
        ],
    ),
}
# Provider i is in PROVIDER_PATTERN[i % 10]: four tenths Bangladesh, two each for the others.
PROVIDER_PATTERN = ["BD", "PK", "BD", "KH", "VN", "BD", "PK", "BD", "KH", "VN"]

ADJECTIVES = [
    "Golden", "Evergreen", "Silver", "Royal", "Delta", "Star", "Lotus", "Orchid", "Ocean",
    "Summit", "Crescent", "Sunrise", "Harbour", "Unity", "Pioneer", "Crystal", "Emerald",
    "Prime", "Apex", "Blue Bird", "Jasmine", "Rainbow", "Coral", "Meridian",
]  # fmt: skip
NOUNS = [
    "Thread", "Loom", "Needle", "Fabrics", "Weaving", "Stitch", "Knit", "Cotton", "Fashion",
    "Apparel", "Textile", "Garments", "Denim", "Yarn", "Sweater",
]  # fmt: skip
SUFFIXES = ["Ltd", "Co. Ltd", "Industries", "Mills", "(Pvt) Ltd", "Group", "Composite Ltd"]
PROVIDER_TYPES = [
    "Garment Manufacturers' Association",
    "Employers' Federation",
    "Productivity Centre",
    "Training Institute",
    "Consultancy",
    "Skills Council",
]
FIRST = {
    "BD": ["Nasrin", "Rafiqul", "Sharmin", "Karim", "Rokeya", "Sujon", "Morjina", "Jahangir"],
    "PK": ["Ayesha", "Imran", "Sana", "Bilal", "Farah", "Usman", "Hina", "Kamran"],
    "KH": ["Sreymom", "Dara", "Channary", "Vuthy", "Sophea", "Rithy", "Kanha", "Sokha"],
    "VN": ["Lan", "Minh", "Huong", "Tuan", "Thu", "Duc", "Mai", "Hung"],
}
LAST = {
    "BD": ["Akter", "Islam", "Rahman", "Hossain", "Begum", "Khatun", "Alam", "Das"],
    "PK": ["Khan", "Qureshi", "Memon", "Siddiqui", "Baloch", "Shaikh", "Malik", "Butt"],
    "KH": ["Sok", "Chan", "Kim", "Meas", "Heng", "Chea", "Keo", "Prak"],
    "VN": ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"],
}
SECTORS = ["garments"] * 5 + ["knitwear"] * 2 + ["textile"] * 2 + ["denim", "home_textiles"]
DELIVERY = ["in_factory"] * 5 + ["classroom"] * 2 + ["blended"] * 2 + ["laissez_faire"]
OPEN_STATUS = ["active"] * 5 + ["prospect"] * 2 + ["completed"] * 2 + ["withdrawn"]
TEAM_ROLES = ["worker"] * 4 + ["supervisor"] * 3 + ["manager", "worker_rep", "coordinator"]
DEPARTMENTS = ["sewing"] * 4 + ["cutting", "finishing", "quality", "storeroom", "management", "hr"]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class Command(BaseCommand):
    help = "Bulk-create a large synthetic dataset (organisations named 'Scale ...')."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size factor applied to every default size (1 = 5,000 factories, 4 = 20,000)",
        )
        for name, size in SIZES.items():
            parser.add_argument(f"--{name}", type=int, help=f"default {size} times the scale")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 0 < opts["scale"] <= 100:
            raise CommandError("Give a scale above 0 and at most 100.")
        n_fac, n_prov, n_eng, n_team = (
            opts[name] if opts[name] is not None else max(1, round(size * opts["scale"]))
            for name, size in SIZES.items()
        )
        if min(n_fac, n_prov) < 1 or min(n_eng, n_team) < 0 or n_fac >= 1_000_000:
            raise CommandError("Give 1 to 999,999 factories, at least one provider, no negatives.")
        if Organisation.objects.filter(name=OWNER_NAME).exists():
            raise CommandError("Scale data already exists; nothing was written.")
        started = time.perf_counter()
        with transaction.atomic():
            top = self.seed(random.Random(opts["seed"]), n_fac, n_prov, n_eng, n_team)
        # Fresh statistics, so the planner sees the new sizes and not an empty table's.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"seed_scale on {connection.vendor}: {n_fac} factories, {n_prov} providers "
            f"(+{n_prov} admins), {n_eng} engagements, {n_team} team members "
            f"in {elapsed:.1f} s"
        )
        self.stdout.write(f"{SCALE_ADMIN} (password {DEMO_PASSWORD}) administers {top}")

    def seed(self, rng: random.Random, n_fac: int, n_prov: int, n_eng: int, n_team: int) -> str:
        # bulk_create sends no signals, so simple_history writes no historical rows for this
        # data. That is fine for synthetic scale data, and keeps the load to seconds.
        today = date.today()
        password = make_password(DEMO_PASSWORD)  # one Argon2 hash, shared by every scale user
        owner = Organisation.objects.create(name=OWNER_NAME, kind="programme_owner")

        providers = Organisation.objects.bulk_create(
            [self._provider(i, rng) for i in range(n_prov)], batch_size=BATCH
        )
        by_country: dict[str, list[Organisation]] = {}
        for p in providers:
            by_country.setdefault(p.country, []).append(p)
        # Zipf-like weights: a few big associations and many small providers, as in practice.
        weights = {c: [1 / (r + 1) ** 0.9 for r in range(len(ps))] for c, ps in by_country.items()}

        admins = User.objects.bulk_create(
            [
                User(
                    email=f"admin{i:04d}@{SCALE_DOMAIN}",
                    name=self._person(p.country, rng),
                    password=password,
                )
                for i, p in enumerate(providers)
            ],
            batch_size=BATCH,
        )
        memberships = [
            Membership(user=u, organisation=p, role="admin")
            for u, p in zip(admins, providers, strict=True)
        ]

        programmes = {
            c: Programme.objects.create(
                owner=owner,
                name=f"Scale programme {c}",
                country=c,
                starts_on=date(2019, 1, 1),
                ends_on=today + timedelta(days=365),
                target_enterprises=n_fac,
            )
            for c in by_country
        }
        Programme.providers.through.objects.bulk_create(
            [
                Programme.providers.through(programme=programmes[p.country], organisation=p)
                for p in providers
            ],
            batch_size=BATCH,
        )

        countries = list(by_country)
        country_weights = [COUNTRIES[c][0] for c in countries]
        factories: list[Factory] = []
        factory_country: list[str] = []  # kept aside: Factory.country reads back as a Country
        for i in range(n_fac):
            country = rng.choices(countries, country_weights)[0]
            home = rng.choices(by_country[country], weights[country])[0]
            factories.append(self._factory(i, country, home, rng, today))
            factory_country.append(country)
        for factory in factories:
            factory.refresh_search_text()  # bulk_create skips save()
        factories = Factory.objects.bulk_create(factories, batch_size=BATCH)

        engagements = []
        rounds, extra = divmod(n_eng, n_fac)
        for i in range(n_eng):
            f_index, k = i % n_fac, i // n_fac
            factory, country = factories[f_index], factory_country[f_index]
            last = k == rounds - 1 + (1 if f_index < extra else 0)
            provider = factory.registered_by
            if rng.random() < 0.1:  # some factories change provider between cycles
                provider = rng.choice(by_country[country])
            start = date(2019, 1, 1) + timedelta(days=365 * k + rng.randrange(0, 120))
            status = rng.choice(OPEN_STATUS) if last else "completed"
            engagements.append(
                Engagement(
                    programme=programmes[country],
                    factory=factory,
                    provider=provider,
                    delivery_model=rng.choice(DELIVERY),
                    status=status,
                    # The cycle number is what keeps (programme, factory, provider, cycle) unique.
                    cycle=k + 1,
                    starts_on=None if status == "prospect" else start,
                    ends_on=start + timedelta(days=330) if status == "completed" else None,
                )
            )
        Engagement.objects.bulk_create(engagements, batch_size=BATCH)

        team = []
        for _ in range(n_team):
            f_index = rng.randrange(n_fac)
            factory, country = factories[f_index], factory_country[f_index]
            female_share = 0.3 if country == "PK" else 0.7
            team.append(
                TeamMember(
                    factory=factory,
                    name=self._person(country, rng),
                    role=rng.choice(TEAM_ROLES),
                    department=rng.choice(DEPARTMENTS),
                    sex="female" if rng.random() < female_share else "male",
                )
            )
        TeamMember.objects.bulk_create(team, batch_size=BATCH)

        # The scoped benchmark user administers the provider with the most engagements.
        counts = Counter(e.provider_id for e in engagements)
        top_id = counts.most_common(1)[0][0] if counts else providers[0].pk
        top = next(p for p in providers if p.pk == top_id)
        scale_admin = User.objects.create(
            email=SCALE_ADMIN, name="Scale Benchmark Admin", password=password
        )
        memberships.append(Membership(user=scale_admin, organisation=top, role="admin"))
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        return f"{top.name} ({counts.get(top.pk, 0)} engagements)"

    def _provider(self, i: int, rng: random.Random) -> Organisation:
        country = PROVIDER_PATTERN[i % len(PROVIDER_PATTERN)]
        city = rng.choice(COUNTRIES[country][1])[0]
        return Organisation(
            name=f"{PREFIX}{city} {rng.choice(PROVIDER_TYPES)} {i + 1:04d}",
            kind="service_provider",
            country=country,
        )

    def _person(self, country: str, rng: random.Random) -> str:
        return f"{rng.choice(FIRST[country])} {rng.choice(LAST[country])}"

    def _factory(
        self, i: int, country: str, home: Organisation, rng: random.Random, today: date
    ) -> Factory:
        city, lat, lng = rng.choice(COUNTRIES[country][1])
        headcount = rng.randrange(80, 6000)
        women = 0.3 if country == "PK" else rng.uniform(0.55, 0.8)
        # Scale OS IDs use 9 as the first digit, which no demo ID (20xx) does, so they never clash.
        os_id = None
        if rng.random() < 0.3:
            os_id = f"{country}{9000000 + i:07d}" + "".join(rng.choices(ALNUM, k=6))
        return Factory(
            name=f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SUFFIXES)}",
            os_id=os_id,
            country=country,
            city=city,
            address=f"Plot {rng.randrange(1, 400)}, Industrial Area, {city}",
            latitude=Decimal(lat + rng.uniform(-0.08, 0.08)).quantize(Q6),
            longitude=Decimal(lng + rng.uniform(-0.08, 0.08)).quantize(Q6),
            sector=rng.choice(SECTORS),
            product_types="",
            tier=rng.choice(["direct", "direct", "subcontractor", "unknown"]),
            workers_female=round(headcount * women),
            workers_male=headcount - round(headcount * women),
            score_graduate=rng.random() < 0.1,
            better_work=rng.random() < 0.3,
            consent_date=today - timedelta(days=rng.randrange(30, 2000)),
            registered_by=home,
        )
