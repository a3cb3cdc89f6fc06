"""Certificates of a classroom session two factories of provider A share.

Certificates follow the one rule for a session's people (training's registrations_for): each
factory's users see their own people's certificates, in the API and on the pages, and what
they may not see answers 404 whatever they try to do to it.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from fithub.accounts.models import User
from fithub.catalogue.models import Module
from fithub.certificates import services
from fithub.certificates.models import Certificate
from fithub.certificates.tests.conftest import attend, make_session
from fithub.conftest import Cast, FactoryA2
from fithub.lib.tests.utils import needs_weasyprint
from fithub.tests.cast import api
from fithub.training.models import Registration, Session

ALPHA_PERSON = "Aaliya Alpha"
TWO_PERSON = "Zubaida Twofold"


@dataclass
class Shared:
    session: Session
    alpha: Certificate  # factory A's person's
    two: Certificate  # factory A2's person's
    alpha_waiting: Registration  # came, no certificate yet
    two_waiting: Registration


@pytest.fixture
def shared(cast: Cast, cast_a2: FactoryA2, module: Module) -> Shared:
    session = make_session(
        module=module,
        provider=cast.provider_a,
        engagement=cast.engagement_a,
        facilitator=cast.facilitator_a,
        delivery_model="classroom",
    )
    session.engagements.add(cast_a2.engagement)
    alpha = services.certificate_issue(
        registration=attend(session, cast.factory_a, ALPHA_PERSON), by=cast.admin_a
    )
    two = services.certificate_issue(
        registration=attend(session, cast_a2.factory, TWO_PERSON), by=cast.admin_a
    )
    return Shared(
        session,
        alpha,
        two,
        attend(session, cast.factory_a, "Alpha Waiting"),
        attend(session, cast_a2.factory, "Twofold Waiting"),
    )


def user(cast: Cast, a2: FactoryA2, who: str) -> User:
    return getattr(a2, who.removeprefix("a2_")) if who.startswith("a2_") else getattr(cast, who)


SEES = {
    "admin_a": {"alpha", "two"},
    "facilitator_a": {"alpha", "two"},
    "owner": {"alpha", "two"},
    "coordinator_a": {"alpha"},
    "manager_a": {"alpha"},
    "worker_rep_a": {"alpha"},
    "a2_coordinator": {"two"},
    "a2_worker_rep": {"two"},
    "admin_b": set(),
    "coordinator_b": set(),
    "buyer": set(),
    "outsider": set(),
}
FACTORY_USERS = ("coordinator_a", "manager_a", "worker_rep_a", "a2_coordinator", "a2_worker_rep")


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_list_and_detail_show_only_the_readers_factorys_certificates(
    cast, cast_a2, shared: Shared, who: str, sees: set[str]
) -> None:
    client = api(user(cast, cast_a2, who))
    rows = client.get(reverse("api-certificates")).json()["results"]
    assert {r["id"] for r in rows} == {getattr(shared, name).pk for name in sees}
    for name in ("alpha", "two"):
        response = client.get(reverse("api-certificate", args=[getattr(shared, name).pk]))
        assert response.status_code == (200 if name in sees else 404), name
        if name not in sees:
            assert getattr(shared, name).code not in response.content.decode()


@pytest.mark.parametrize("who", FACTORY_USERS)
def test_revoke_reissue_and_issue_of_another_factorys_person_answer_404(
    cast, cast_a2, shared: Shared, who: str
) -> None:
    client = api(user(cast, cast_a2, who))
    theirs, other = ("two", "alpha") if who.startswith("a2_") else ("alpha", "two")
    other_cert: Certificate = getattr(shared, other)
    own_cert: Certificate = getattr(shared, theirs)
    for action, data in (("revoke", {"reason": "x"}), ("reissue", {"name": "Someone"})):
        url = reverse(f"api-certificate-{action}", args=[other_cert.pk])
        assert client.post(url, data, format="json").status_code == 404, action
        # Their own people's certificates they see, and may not change (403).
        url = reverse(f"api-certificate-{action}", args=[own_cert.pk])
        assert client.post(url, data, format="json").status_code == 403, action
    other_waiting = shared.two_waiting if other == "two" else shared.alpha_waiting
    own_waiting = shared.alpha_waiting if other == "two" else shared.two_waiting
    issue = reverse("api-certificates")
    assert client.post(issue, {"registration": other_waiting.pk}, format="json").status_code == 404
    assert client.post(issue, {"registration": own_waiting.pk}, format="json").status_code == 403
    # The same answer as for a registration that does not exist.
    assert client.post(issue, {"registration": 999999}, format="json").status_code == 404
    assert Certificate.objects.count() == 2
    for certificate in (shared.alpha, shared.two):
        certificate.refresh_from_db()
        assert certificate.is_valid and certificate.revision == 1


@pytest.mark.parametrize("who", FACTORY_USERS)
def test_factory_users_see_their_own_peoples_certificates_on_the_pages(
    cast, cast_a2, shared: Shared, who: str
) -> None:
    client = cast.client(user(cast, cast_a2, who))
    theirs, other = ("two", "alpha") if who.startswith("a2_") else ("alpha", "two")
    names = {"alpha": ALPHA_PERSON, "two": TWO_PERSON}
    listing = client.get(reverse("certificates:list")).content.decode()
    assert reverse("certificates:session", args=[shared.session.pk]) in listing
    assert "No sessions" not in listing
    page = client.get(reverse("certificates:session", args=[shared.session.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert names[theirs] in content and getattr(shared, theirs).code in content
    assert names[other] not in content and getattr(shared, other).code not in content
    # Reading, not managing: no issuing, revoking or batches.
    assert reverse("certificates:issue-all", args=[shared.session.pk]) not in content
    assert reverse("certificates:revoke", args=[getattr(shared, theirs).pk]) not in content
    assert reverse("certificates:batch-create", args=[shared.session.pk]) not in content
    other_pdf = reverse("certificates:pdf", args=[getattr(shared, other).pk])
    assert client.get(other_pdf).status_code == 404
    # The session page points them to the certificates.
    session_page = client.get(shared.session.get_absolute_url()).content.decode()
    assert reverse("certificates:session", args=[shared.session.pk]) in session_page


def test_the_list_counts_only_the_readers_people(cast, cast_a2, shared: Shared) -> None:
    rows = cast.client(cast.coordinator_a).get(reverse("certificates:list")).context["page"]
    row = next(s for s in rows.object_list if s.pk == shared.session.pk)
    assert (row.attended, row.issued) == (2, 1)
    rows = cast.client(cast.admin_a).get(reverse("certificates:list")).context["page"]
    row = next(s for s in rows.object_list if s.pk == shared.session.pk)
    assert (row.attended, row.issued) == (4, 2)


@needs_weasyprint
def test_a_factory_user_prints_their_own_persons_certificate(cast, shared: Shared) -> None:
    response = cast.client(cast.coordinator_a).get(
        reverse("certificates:pdf", args=[shared.alpha.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ("admin_b", "coordinator_b", "buyer", "outsider"))
def test_others_see_no_certificates_page_of_the_session(cast, shared: Shared, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(reverse("certificates:session", args=[shared.session.pk])).status_code == 404
    listing = client.get(reverse("certificates:list")).content.decode()
    assert reverse("certificates:session", args=[shared.session.pk]) not in listing
