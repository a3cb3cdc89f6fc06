"""Django's admin: for superusers only, every main model searchable, no N+1 on a changelist."""

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User
from fithub.assessment.models import Assessment, Questionnaire, QuestionnaireVersion
from fithub.catalogue.models import Module
from fithub.certificates.models import Certificate
from fithub.certificates.tests.conftest import attend, make_module, make_session
from fithub.conftest import Cast
from fithub.factories.models import Factory, TeamMember
from fithub.programmes.models import Engagement, Programme
from fithub.training.models import Participant, Registration, Session

MODELS = [
    Organisation, User, Membership, FactoryMembership, Factory, TeamMember, Programme,
    Engagement, Module, Session, Participant, Registration, Certificate, Assessment,
]  # fmt: skip


def changelist(model: type) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj: object) -> str:
    meta = obj._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])  # type: ignore[attr-defined]


@pytest.fixture
def one_of_each(cast: Cast) -> dict[type, object]:
    """A row of every registered model, on top of the cast's."""
    session = make_session(
        module=make_module(), provider=cast.provider_a, engagement=cast.engagement_a
    )
    registration = attend(session, cast.factory_a, "Amina Akter")
    certificate = Certificate.objects.create(
        registration=registration, name="Amina Akter", issued_at=datetime(2026, 3, 14, tzinfo=UTC)
    )
    questionnaire = Questionnaire.objects.create(
        slug="needs", owner=cast.owner_org, title={"en": "Needs"}
    )
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    assessment = Assessment.objects.create(factory=cast.factory_a, version=version)
    team = TeamMember.objects.create(
        factory=cast.factory_a, name="Rina", role="worker", department="sewing", sex="female"
    )
    return {
        Organisation: cast.provider_a,
        User: cast.admin_a,
        Membership: Membership.objects.filter(user=cast.admin_a).first(),
        FactoryMembership: FactoryMembership.objects.filter(user=cast.coordinator_a).first(),
        Factory: cast.factory_a,
        TeamMember: team,
        Programme: cast.programme,
        Engagement: cast.engagement_a,
        Module: session.module,
        Session: session,
        Participant: registration.participant,
        Registration: registration,
        Certificate: certificate,
        Assessment: assessment,
    }


def test_every_main_model_is_registered_with_search_and_filters() -> None:
    for model in MODELS:
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_superuser_opens_the_changelist_a_search_and_the_change_page(
    cast: Cast, one_of_each: dict[type, object], model: type
) -> None:
    client = cast.client(cast.superuser)
    assert client.get(changelist(model)).status_code == 200
    assert client.get(changelist(model), {"q": "a"}).status_code == 200
    assert client.get(change(one_of_each[model])).status_code == 200


@pytest.mark.parametrize("who", ["admin_a", "owner", "coordinator_a", "outsider"])
def test_nobody_but_a_superuser_gets_in_not_even_staff(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    user.is_staff = True  # staff status alone opens nothing
    user.save(update_fields=["is_staff"])
    client = cast.client(user)
    for address in (reverse("admin:index"), changelist(Factory), change(cast.factory_a)):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("admin:login"))
    assert cast.client(None).get(changelist(Factory)).status_code == 302


def _rows(cast: Cast, n: int) -> None:
    for i in range(n):
        factory = Factory.objects.create(
            name=f"Factory {i:03d}", country="BD", sector="garments", registered_by=cast.provider_a
        )
        Engagement.objects.create(
            programme=cast.programme,
            factory=factory,
            provider=cast.provider_b,
            delivery_model="classroom",
        )
        TeamMember.objects.create(
            factory=factory, name=f"Member {i}", role="worker", department="sewing", sex="male"
        )
        Participant.objects.create(
            factory=factory, name=f"Person {i}", sex="male", role="worker", department="sewing"
        )
        Membership.objects.create(
            user=User.objects.create_user(f"u{n}-{i}@example.org"),
            organisation=cast.provider_b,
            role="viewer",
        )


@pytest.mark.parametrize(
    "model", [Factory, Engagement, TeamMember, Participant, Membership], ids=lambda m: m.__name__
)
def test_a_changelist_reads_the_same_queries_for_3_and_30_rows(cast: Cast, model: type) -> None:
    client = cast.client(cast.superuser)
    _rows(cast, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(changelist(model)).status_code == 200
    _rows(cast, 27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(changelist(model)).status_code == 200
    assert len(few) == len(many)
