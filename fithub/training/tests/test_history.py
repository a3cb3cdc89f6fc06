"""A session's history: the session, its people's attendance and certificates, on its page."""

import pytest
from django.urls import reverse

from fithub.certificates import services as certificates
from fithub.conftest import Cast
from fithub.training import services
from fithub.training.models import Session
from fithub.training.tests.conftest import person, plan


def history(session: Session) -> str:
    return reverse("session-history", args=[session.pk])


def test_it_shows_the_session_attendance_and_certificates_with_who(cast: Cast, session_a) -> None:
    details = services.SessionDetails.of(session_a).changed({"facilitator_name": "Rina"})
    services.session_update(session=session_a, by=cast.admin_a, details=details)
    registration = services.registration_add(
        session=session_a, participant=person(cast.factory_a, "Karima"), by=cast.facilitator_a
    )
    services.attendance_record(registration=registration, present=True, by=cast.facilitator_a)
    certificates.certificate_issue(registration=registration, by=cast.facilitator_a)

    body = cast.client(cast.facilitator_a).get(history(session_a)).content.decode()
    assert "<ins>Rina</ins>" in body and str(cast.admin_a) in body
    assert "Karima" in body and "<ins>True</ins>" in body  # present, by the facilitator
    assert "certificate" in body.lower() and str(cast.facilitator_a) in body
    page = cast.client(cast.facilitator_a).get(session_a.get_absolute_url()).content.decode()
    assert f'href="{history(session_a)}"' in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_a", 200),
        ("facilitator_a", 200),
        ("superuser", 200),
        ("admin_b", 404),
        ("coordinator_a", 404),
        ("worker_rep_a", 404),
        ("buyer", 404),
        ("owner", 404),
        ("outsider", 404),
    ],
)
def test_only_who_may_change_the_session_reads_its_history(
    cast: Cast, session_a, who: str, status: int
) -> None:
    assert cast.client(getattr(cast, who)).get(history(session_a)).status_code == status


def test_a_shared_sessions_history_names_only_the_readers_own_people(
    cast: Cast, cast_a2, module
) -> None:
    # Factory A's coordinator runs a classroom session for factories A and A2: they change it,
    # and its history names A's people, never A2's.
    session = plan(
        cast,
        module,
        engagements=[cast.engagement_a, cast_a2.engagement],
        delivery_model="classroom",
        facilitator=cast.coordinator_a,
    )
    for factory, name in ((cast.factory_a, "Karima"), (cast_a2.factory, "Nasreen")):
        services.registration_add(session=session, participant=person(factory, name), by=None)
    body = cast.client(cast.admin_a).get(history(session)).content.decode()
    assert "Karima" in body and "Nasreen" in body
    body = cast.client(cast.coordinator_a).get(history(session)).content.decode()
    assert "Karima" in body and "Nasreen" not in body
