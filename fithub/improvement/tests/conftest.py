"""Factory A's improvement plan with a team member, and who may do what with it."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from fithub.conftest import Cast
from fithub.factories.models import TeamMember
from fithub.improvement import services
from fithub.improvement.models import ImprovementItem, ImprovementPlan

# The training tests' module and sessions, for the session action items.
from fithub.training.tests.conftest import module, session_a, session_b  # noqa: F401

EVERYONE = [
    "owner",
    "admin_a",
    "facilitator_a",
    "assessor_a",
    "admin_b",
    "buyer",
    "buyer_b",
    "coordinator_a",
    "manager_a",
    "worker_rep_a",
    "coordinator_b",
    "worker_rep_b",
    "outsider",
    "superuser",
]
READ_A = {
    "owner",
    "admin_a",
    "facilitator_a",
    "assessor_a",
    "coordinator_a",
    "manager_a",
    "worker_rep_a",
    "superuser",
}
EDIT_A = {"coordinator_a", "manager_a", "superuser"}
VERIFY_A = {"admin_a", "facilitator_a", "superuser"}
COMMENT_A = {"admin_a", "facilitator_a", "coordinator_a", "manager_a", "worker_rep_a", "superuser"}


def soon(days: int = 14):  # type: ignore[no-untyped-def]
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def plan_a(cast: Cast) -> ImprovementPlan:
    return services.plan_for(engagement=cast.engagement_a, by=None)


@pytest.fixture
def member_a(cast: Cast) -> TeamMember:
    return TeamMember.objects.create(
        factory=cast.factory_a,
        name="Rina Begum",
        role="supervisor",
        department="sewing",
        sex="female",
    )


def add(plan: ImprovementPlan, text: str = "Clear the fire exits", **kw) -> ImprovementItem:  # type: ignore[no-untyped-def]
    details = services.ItemDetails(action=text, due_on=kw.pop("due_on", soon()), **kw)
    return services.item_create(plan=plan, details=details, by=None)


@pytest.fixture
def item_a(plan_a: ImprovementPlan, member_a: TeamMember) -> ImprovementItem:
    return add(plan_a, owner=member_a, issue="Exit blocked by bales")


def photo(size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="JPEG")
    return SimpleUploadedFile("exit.jpg", buf.getvalue(), content_type="image/jpeg")


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user=type(user).objects.get(pk=user.pk))
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
