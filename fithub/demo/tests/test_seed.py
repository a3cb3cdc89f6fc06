"""The demo and scale data commands: what they create, and that they never write twice."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User
from fithub.demo import data
from fithub.factories.models import BuyerRelationship, Factory, TeamMember
from fithub.factories.scoping import factories_for
from fithub.programmes.models import Engagement, Programme

OS_ID = re.compile(r"^[A-Z]{2}\d{7}[A-Z0-9]{6}$")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def facilitators_by_provider(country: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in Membership.objects.filter(
        role=Membership.Role.FACILITATOR, organisation__country=country
    ).select_related("organisation"):
        counts[m.organisation.name] = counts.get(m.organisation.name, 0) + 1
    return counts


@pytest.fixture
def demo(db: None) -> str:
    return seed()


def test_programmes_are_demo_and_labelled(demo: str) -> None:
    assert Programme.objects.count() == 2
    assert Programme.objects.filter(is_demo=True).count() == 2
    pk = Programme.objects.get(country="PK")
    assert (pk.target_enterprises, pk.target_modules_per_enterprise) == (25, 4)
    assert all(o.name.endswith(" (demo)") for o in Organisation.objects.all())


def test_pakistan_pilot(demo: str) -> None:
    factories = Factory.objects.filter(country="PK")
    assert factories.count() == 11
    assert all(f.score_graduate and f.city == "Karachi" for f in factories)
    assert {f.sector for f in factories} == {"garments", "textile"}
    assert all(
        24.7 < float(f.latitude) < 25.1 and 66.9 < float(f.longitude) < 67.4 for f in factories
    )
    assert facilitators_by_provider("PK") == {
        "Karachi Garment Employers Association (demo)": 6,
        "Sindh Productivity Centre (demo)": 5,
    }


def test_bangladesh_pilot(demo: str) -> None:
    factories = Factory.objects.filter(country="BD")
    assert factories.count() == 12
    assert {f.city for f in factories} == {"Gazipur", "Ashulia", "Narayanganj", "Chattogram"}
    assert {f.sector for f in factories} == {"garments", "knitwear", "textile"}
    os_ids = [f.os_id for f in factories if f.os_id]
    assert os_ids and all(OS_ID.match(i) for i in os_ids)
    counts = facilitators_by_provider("BD")
    assert len(counts) == 4 and sum(counts.values()) == 15
    assert set(
        User.objects.filter(memberships__organisation__country="BD").values_list(
            "language", flat=True
        )
    ) == {"bn"}


def test_every_factory_has_an_engagement_and_a_team(demo: str) -> None:
    for factory in Factory.objects.all():
        engagement = Engagement.objects.get(factory=factory)
        assert engagement.provider_id == factory.registered_by_id
        assert 4 <= TeamMember.objects.filter(factory=factory).count() <= 7
        assert factory.workers_female and factory.workers_male and factory.consent_date
        if factory.country == "BD":
            assert 0.6 <= factory.share_women <= 0.8
    models = set(Engagement.objects.values_list("delivery_model", flat=True))
    assert models == {"in_factory", "classroom", "blended", "laissez_faire"}
    assert len(set(Engagement.objects.values_list("status", flat=True))) >= 3
    assert set(TeamMember.objects.values_list("sex", flat=True)) >= {"female", "male"}


def test_buyer_has_one_supplier_in_each_country(demo: str) -> None:
    links = BuyerRelationship.objects.filter(buyer__name=data.BUYER_ORG)
    assert sorted(link.factory.country.code for link in links) == ["BD", "PK"]


def test_one_login_per_role_with_the_demo_password(demo: str) -> None:
    for login in data.LOGINS:
        user = User.objects.get(email=login.email)
        assert user.is_active and user.check_password(data.DEMO_PASSWORD), login.email
        assert user.language == login.language
        assert login.email in demo  # the logins table is printed
    assert User.objects.get(email=f"admin@{data.DEMO_DOMAIN}").is_superuser
    admin = Membership.objects.get(user__email=f"provider.admin@{data.DEMO_DOMAIN}")
    assert (admin.role, admin.organisation.name) == ("admin", data.PK_PROVIDERS[0][0])
    role_of = dict(
        Membership.objects.filter(user__email__endswith=data.DEMO_DOMAIN).values_list(
            "user__email", "role"
        )
    )
    assert role_of[f"facilitator@{data.DEMO_DOMAIN}"] == "facilitator"
    assert role_of[f"assessor@{data.DEMO_DOMAIN}"] == "assessor"
    assert role_of[f"viewer@{data.DEMO_DOMAIN}"] == "viewer"
    factory_role = dict(FactoryMembership.objects.values_list("user__email", "role"))
    assert factory_role == {
        f"coordinator@{data.DEMO_DOMAIN}": "coordinator",
        f"manager@{data.DEMO_DOMAIN}": "manager",
        f"workerrep@{data.DEMO_DOMAIN}": "worker_rep",
    }


def test_coordinator_sees_only_their_factory(demo: str) -> None:
    coordinator = User.objects.get(email=f"coordinator@{data.DEMO_DOMAIN}")
    assert list(factories_for(coordinator).values_list("name", flat=True)) == [
        data.COORDINATOR_FACTORY
    ]


def test_if_empty_writes_nothing_on_a_database_with_data(db: None) -> None:
    Organisation.objects.create(name="Someone else", kind="service_provider")
    assert seed("--if-empty") == ""
    assert Organisation.objects.count() == 1
    assert not User.objects.exists() and not Factory.objects.exists()


def test_second_run_refuses_and_if_empty_reprints_the_logins(demo: str) -> None:
    before = (User.objects.count(), Factory.objects.count(), TeamMember.objects.count())
    with pytest.raises(CommandError, match="already exists"):
        seed()
    again = seed("--if-empty")
    assert f"owner@{data.DEMO_DOMAIN}" in again and data.DEMO_PASSWORD in again
    assert (User.objects.count(), Factory.objects.count(), TeamMember.objects.count()) == before


def test_seed_scale_creates_exactly_the_requested_counts(db: None) -> None:
    out = StringIO()
    call_command(
        "seed_scale",
        "--factories", "50", "--providers", "5", "--engagements", "120", "--team", "200",
        stdout=out,
    )  # fmt: skip
    providers = Organisation.objects.filter(kind="service_provider")
    assert providers.count() == 5
    assert all(o.name.startswith("Scale ") for o in Organisation.objects.all())
    assert Factory.objects.count() == 50
    assert Engagement.objects.count() == 120
    assert TeamMember.objects.count() == 200
    assert Membership.objects.filter(role="admin").count() == 6
    os_ids = [i for i in Factory.objects.values_list("os_id", flat=True) if i]
    assert all(OS_ID.match(i) for i in os_ids)
    # The scoped benchmark user administers the provider with the most engagements.
    scale_admin = User.objects.get(email="scale.admin@scale.fithub.test")
    assert scale_admin.check_password(data.DEMO_PASSWORD)
    top = Membership.objects.get(user=scale_admin).organisation
    most = max(p.engagements.count() for p in providers)
    assert top.engagements.count() == most
    assert "50 factories" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("seed_scale", "--factories", "5", stdout=StringIO())


def test_seed_scale_multiplies_every_size_by_the_scale(db: None) -> None:
    out = StringIO()
    # 0.01 of 5,000 factories, 200 providers, 20,000 engagements, 50,000 team members.
    call_command("seed_scale", "--scale", "0.01", "--team", "30", stdout=out)
    assert Factory.objects.count() == 50
    assert Organisation.objects.filter(kind="service_provider").count() == 2
    assert Engagement.objects.count() == 200
    assert TeamMember.objects.count() == 30  # an explicit size wins over the scale
    assert "50 factories, 2 providers" in out.getvalue()
    with pytest.raises(CommandError, match="scale"):
        call_command("seed_scale", "--scale", "0", stdout=StringIO())
