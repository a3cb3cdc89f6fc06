"""The training API reads JSON, form and multipart bodies alike: a missing field is a 400.

A fuzzer's `PUT` of attendance as a form without `present` recorded the person absent,
overwriting what the facilitator had recorded. Every writable endpoint is tried here in the
three content types, whole (it works) and without each required field (400, nothing written).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db.models import Model
from django.urls import reverse
from rest_framework.test import APIClient

from fithub.accounts.models import User
from fithub.conftest import Cast
from fithub.training import services
from fithub.training.models import Participant, Registration, Session
from fithub.training.tests.conftest import YESTERDAY, person

FORMATS = ("json", "form", "multipart")


def send(user: User, method: str, url: str, data: dict[str, Any], fmt: str) -> Any:
    client = APIClient()
    client.force_authenticate(user=User.objects.get(pk=user.pk))
    if fmt == "form":
        body = urlencode(data, doseq=True)
        return client.generic(method, url, body, content_type="application/x-www-form-urlencoded")
    return getattr(client, method.lower())(url, data, format=fmt)


@dataclass
class Endpoint:
    method: str
    url: Callable[[Cast, Session, Registration], str]
    data: Callable[[Cast, Session, Registration], dict[str, Any]]
    required: tuple[str, ...]
    written: Callable[[], Any]  # what a write changes, compared before and after
    status: int


def _count(model: type[Model]) -> Callable[[], int]:
    return lambda: model.objects.count()  # type: ignore[attr-defined]


ENDPOINTS = {
    "session": Endpoint(
        "POST",
        lambda c, s, r: reverse("api-sessions"),
        lambda c, s, r: {
            "module": s.module_id,
            "delivery_model": "in_factory",
            "date": YESTERDAY.isoformat(),
            "starts_at": "09:00",
            "ends_at": "11:00",
            "engagements": [c.engagement_a.pk],
        },
        ("module", "delivery_model", "date", "starts_at", "ends_at"),
        _count(Session),
        201,
    ),
    "participant": Endpoint(
        "POST",
        lambda c, s, r: reverse("api-participants"),
        lambda c, s, r: {
            "factory": c.factory_a.pk,
            "name": "Nasrin Akter",
            "sex": "female",
            "role": "worker",
            "department": "sewing",
        },
        ("factory", "name", "sex", "role", "department"),
        _count(Participant),
        201,
    ),
    "registration": Endpoint(
        "POST",
        lambda c, s, r: reverse("api-session-registrations", args=[s.pk]),
        lambda c, s, r: {"participant": person(c.factory_a, "Rubina Yasmin").pk},
        ("participant",),
        _count(Registration),
        201,
    ),
    "attendance": Endpoint(
        "PUT",
        lambda c, s, r: reverse("api-registration-attendance", args=[r.pk]),
        lambda c, s, r: {"present": "false"},
        ("present",),
        lambda: list(Registration.objects.values_list("present", "method")),
        200,
    ),
}


@pytest.fixture
def attended(cast: Cast, session_a: Session) -> Registration:
    """Someone the facilitator recorded present: no malformed request may change that."""
    registration = services.registration_add(
        session=session_a, participant=person(cast.factory_a, "Shirin Sultana"), by=None
    )
    return services.attendance_record(registration=registration, present=True, by=None)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_each_write_works_in_every_content_type(
    cast: Cast, session_a: Session, attended: Registration, name: str, fmt: str
) -> None:
    endpoint = ENDPOINTS[name]
    data = endpoint.data(cast, session_a, attended)
    before = endpoint.written()
    response = send(
        cast.facilitator_a, endpoint.method, endpoint.url(cast, session_a, attended), data, fmt
    )
    assert response.status_code == endpoint.status, response.content
    assert endpoint.written() != before


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("name", "field"), [(name, f) for name, e in ENDPOINTS.items() for f in e.required]
)
def test_a_missing_required_field_is_a_400_and_writes_nothing(
    cast: Cast, session_a: Session, attended: Registration, name: str, field: str, fmt: str
) -> None:
    endpoint = ENDPOINTS[name]
    data = endpoint.data(cast, session_a, attended)
    del data[field]
    before = endpoint.written()
    response = send(
        cast.facilitator_a, endpoint.method, endpoint.url(cast, session_a, attended), data, fmt
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert endpoint.written() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_attendance_put_without_present_keeps_what_the_facilitator_recorded(
    cast: Cast, attended: Registration, fmt: str
) -> None:
    url = reverse("api-registration-attendance", args=[attended.pk])
    response = send(cast.facilitator_a, "PUT", url, {"method": "tap"}, fmt)
    assert response.status_code == 400
    attended.refresh_from_db()
    assert attended.present is True
    assert attended.history.count() == 2  # registered, then recorded present: nothing since
