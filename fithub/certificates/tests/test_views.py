"""The certificate pages of a session's staff: who may, issuing, revoking, reissuing, batches."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.certificates.models import Batch, Certificate
from fithub.certificates.tests.conftest import Room, attend
from fithub.lib.tests.utils import needs_weasyprint, reader
from fithub.tests.cast import text

# Who may manage a session's certificates: the staff who change the session.
WRITERS = ("admin_a", "facilitator_a", "superuser")
# Who reads them: those who see the session's people (factory A's users, the programme owner).
READERS = ("owner", "coordinator_a", "worker_rep_a")
OTHERS = ("admin_b", "buyer", "outsider")


def url(name: str, *args: object) -> str:
    return reverse(f"certificates:{name}", args=args)


# --- access ----------------------------------------------------------------------------------


def pages(room: Room, certificate: Certificate, batch: Batch) -> list[tuple[str, str]]:
    """Every page of a session's certificates, as (method, url)."""
    return [
        ("get", url("session", room.session.pk)),
        ("get", url("pdf", certificate.pk)),
        ("get", url("revoke", certificate.pk)),
        ("get", url("reissue", certificate.pk)),
        ("get", url("batch", batch.pk)),
        ("get", url("batch-download", batch.pk)),
        ("post", url("issue-all", room.session.pk)),
        ("post", url("issue", room.unrecorded.pk)),
        ("post", url("batch-create", room.session.pk)),
        ("post", url("revoke", certificate.pk)),
        ("post", url("reissue", certificate.pk)),
    ]


@pytest.fixture
def batch(cast, room: Room, issued, django_capture_on_commit_callbacks) -> Batch:
    from fithub.certificates import services

    with django_capture_on_commit_callbacks(execute=True):
        return services.batch_create(session=room.session, kind="zip", by=cast.admin_a)


@needs_weasyprint
@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_reaches_any_page(cast, room: Room, issued, batch, who) -> None:
    client = cast.client(getattr(cast, who))
    for method, address in pages(room, issued[0], batch):
        response = getattr(client, method)(address, {"reason": "x", "name": "Y", "kind": "pdf"})
        assert response.status_code == 404, (who, method, address)
    issued[0].refresh_from_db()
    assert issued[0].is_valid and issued[0].revision == 1
    assert Batch.objects.count() == 1


@needs_weasyprint
@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_certificates_and_change_nothing(
    cast, room: Room, issued, batch, who
) -> None:
    client = cast.client(getattr(cast, who))
    reading = {url("session", room.session.pk), url("pdf", issued[0].pk)}
    for method, address in pages(room, issued[0], batch):
        response = getattr(client, method)(address, {"reason": "x", "name": "Y", "kind": "pdf"})
        expected = 200 if method == "get" and address in reading else 404
        assert response.status_code == expected, (who, method, address)
    issued[0].refresh_from_db()
    assert issued[0].is_valid and issued[0].revision == 1
    assert Batch.objects.count() == 1
    assert not Certificate.objects.filter(registration=room.unrecorded).exists()


def test_anonymous_users_are_sent_to_log_in(cast, room: Room, issued) -> None:
    response = cast.client(None).get(url("session", room.session.pk))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert cast.client(None).get(url("pdf", issued[0].pk)).status_code == 302


@pytest.mark.parametrize("who", WRITERS)
def test_the_sessions_staff_see_its_certificates(cast, room: Room, issued, who) -> None:
    response = cast.client(getattr(cast, who)).get(url("session", room.session.pk))
    assert response.status_code == 200
    page = text(response)
    for certificate in issued:
        assert certificate.code in page
    assert "Rashid Khan" in page and "Absent" in page
    assert "Not recorded" in page


def test_the_list_shows_the_sessions_the_user_manages(cast, room: Room, cert_b) -> None:
    page = text(cast.client(cast.admin_a).get(url("list")))
    assert url("session", room.session.pk) in page
    assert url("session", cert_b.registration.session_id) not in page
    assert cast.client(cast.buyer).get(url("list")).status_code == 200
    assert url("session", room.session.pk) not in text(cast.client(cast.buyer).get(url("list")))


def test_the_session_page_reads_the_same_queries_for_3_and_30_people(cast, room: Room) -> None:
    client = cast.client(cast.admin_a)
    client.post(url("issue-all", room.session.pk))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("session", room.session.pk)).status_code == 200
    for i in range(27):
        attend(room.session, cast.factory_a, f"Person {i:02d}")
    client.post(url("issue-all", room.session.pk))
    with CaptureQueriesContext(connection) as many:
        client.get(url("session", room.session.pk))
    assert len(few) == len(many)


# --- issue -----------------------------------------------------------------------------------


def test_issue_all_gives_everyone_who_came_a_certificate(cast, room: Room) -> None:
    client = cast.client(cast.facilitator_a)
    response = client.post(url("issue-all", room.session.pk), follow=True)
    assert "3 certificates issued." in text(response)
    assert Certificate.objects.filter(registration__session=room.session).count() == 3
    response = client.post(url("issue-all", room.session.pk), follow=True)
    assert "has a certificate already" in text(response)
    assert Certificate.objects.count() == 3


def test_issue_one_in_a_chosen_language(cast, room: Room) -> None:
    registration = room.present[0]
    response = cast.client(cast.admin_a).post(
        url("issue", registration.pk), {f"r{registration.pk}-language": "km"}, follow=True
    )
    assert "Certificate issued to Amina Akter." in text(response)
    assert Certificate.objects.get(registration=registration).language == "km"


def test_someone_who_did_not_come_gets_none(cast, room: Room) -> None:
    response = cast.client(cast.admin_a).post(url("issue", room.absent.pk), follow=True)
    assert "Only participants who attended" in text(response)
    assert not Certificate.objects.exists()


# --- one PDF, revoke, reissue ----------------------------------------------------------------


@needs_weasyprint
def test_one_certificate_downloads_as_pdf(cast, issued) -> None:
    response = cast.client(cast.admin_a).get(url("pdf", issued[0].pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"certificate-{issued[0].code}.pdf" in response["Content-Disposition"]
    assert len(reader(response.content).pages) == 1


def test_a_revoked_certificate_is_not_printed(cast, room: Room, issued) -> None:
    client = cast.client(cast.admin_a)
    client.post(url("revoke", issued[0].pk), {"reason": "Attended another session"})
    response = client.get(url("pdf", issued[0].pk))
    assert response.status_code == 302
    assert response["Location"] == url("session", room.session.pk)


def test_revoke_needs_a_reason_and_then_shows_on_the_page(cast, room: Room, issued) -> None:
    client = cast.client(cast.admin_a)
    response = client.post(url("revoke", issued[0].pk), {"reason": ""})
    assert response.status_code == 200
    assert 'class="field invalid"' in text(response)
    issued[0].refresh_from_db()
    assert issued[0].is_valid
    response = client.post(url("revoke", issued[0].pk), {"reason": "Signed in for a friend"})
    assert response.status_code == 302
    page = text(client.get(url("session", room.session.pk)))
    assert "Revoked on" in page and "Signed in for a friend" in page


def test_reissue_offers_the_corrected_participant_name(cast, room: Room, issued) -> None:
    certificate = issued[0]
    participant = certificate.registration.participant
    participant.name = "Amina Akhter"
    participant.save()
    client = cast.client(cast.admin_a)
    assert 'value="Amina Akhter"' in text(client.get(url("reissue", certificate.pk)))
    response = client.post(url("reissue", certificate.pk), {"name": "Amina Akhter"}, follow=True)
    assert "the verification code stays" in text(response)
    certificate.refresh_from_db()
    assert (certificate.name, certificate.revision) == ("Amina Akhter", 2)


# --- batches ---------------------------------------------------------------------------------


def test_a_batch_shows_a_progress_bar_polled_every_second_until_done(
    cast, room: Room, issued
) -> None:
    client = cast.client(cast.admin_a)
    # Without the commit, the task is not run: the batch stays queued.
    response = client.post(
        url("batch-create", room.session.pk), {"kind": "pdf"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    batch = Batch.objects.get()
    fragment = text(response)
    assert f'hx-get="{url("batch", batch.pk)}"' in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert "<progress" in fragment
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.RUNNING, done=1)
    fragment = text(client.get(url("batch", batch.pk), HTTP_HX_REQUEST="true"))
    assert 'value="1" max="3"' in fragment and "1 of 3 certificates rendered" in fragment
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.FAILED, error="Broken.")
    fragment = text(client.get(url("batch", batch.pk), HTTP_HX_REQUEST="true"))
    assert "every 1s" not in fragment and "Broken." in fragment


@needs_weasyprint
def test_a_finished_batch_is_downloaded_through_an_access_check(
    cast, room: Room, issued, django_capture_on_commit_callbacks
) -> None:
    client = cast.client(cast.facilitator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("batch-create", room.session.pk), {"kind": "pdf"}, HTTP_HX_REQUEST="true"
        )
    batch = Batch.objects.get()
    assert batch.status == Batch.Status.DONE
    fragment = text(client.get(url("batch", batch.pk), HTTP_HX_REQUEST="true"))
    assert "every 1s" not in fragment
    assert url("batch-download", batch.pk) in fragment
    response = client.get(url("batch-download", batch.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert len(reader(b"".join(response.streaming_content)).pages) == 3
    # The file is not published under MEDIA_URL by the app: only this view hands it out.
    assert cast.client(cast.admin_b).get(url("batch-download", batch.pk)).status_code == 404


GONE = "This file is no longer kept: make a new one to download the certificates."


def test_an_expired_batch_asks_for_a_new_one_instead_of_a_broken_download(
    cast, room: Room, issued
) -> None:
    client = cast.client(cast.facilitator_a)
    batch = Batch.objects.create(session=room.session, kind="pdf", status=Batch.Status.EXPIRED)
    response = client.get(url("batch-download", batch.pk))
    assert response.status_code == 302
    assert response["Location"] == f"{url('session', room.session.pk)}#batch-{batch.pk}"
    page = text(client.get(response["Location"]))
    # Once in the messages, once on the batch's card, which has no download link any more.
    assert page.count(GONE) == 2
    assert url("batch-download", batch.pk) not in page
    assert url("batch-create", room.session.pk) in page  # where a new one is made


def test_a_batch_file_deleted_behind_the_page_is_explained_too(cast, room: Room, issued) -> None:
    batch = Batch.objects.create(session=room.session, kind="zip", status=Batch.Status.DONE)
    batch.file.save("certificates.zip", ContentFile(b"PK"))
    batch.file.storage.delete(batch.file.name)
    response = cast.client(cast.admin_a).get(url("batch-download", batch.pk), follow=True)
    assert response.status_code == 200
    assert GONE in text(response)


def test_a_batch_without_certificates_is_refused(cast, room: Room) -> None:
    client = cast.client(cast.admin_a)
    response = client.post(url("batch-create", room.session.pk), {"kind": "zip"}, follow=True)
    assert "issue them first" in text(response)
    # Asked through htmx, the refusal is a fragment to show where the batch would have been.
    response = client.post(
        url("batch-create", room.session.pk), {"kind": "pdf"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert text(response).startswith('<div class="errors" role="alert">')
    assert "issue them first" in text(response) and "<html" not in text(response)
    assert not Batch.objects.exists()


# --- logo ------------------------------------------------------------------------------------


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), (10, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_provider_admin_uploads_the_logo(cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = cast.client(cast.admin_a)
    page = text(client.get(url("logo")))
    assert "Provider A" in page and "Provider B" not in page
    pk = cast.provider_a.pk
    response = client.post(
        url("logo-upload", pk), {f"o{pk}-logo": SimpleUploadedFile("logo.png", _png())}
    )
    assert response.status_code == 302
    cast.provider_a.refresh_from_db()
    assert cast.provider_a.logo
    image = client.get(url("logo-image", pk))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    bad = client.post(
        url("logo-upload", pk), {f"o{pk}-logo": SimpleUploadedFile("logo.png", b"not a picture")}
    )
    assert bad.status_code == 400
    assert client.post(url("logo-upload", pk), {"remove": "1"}).status_code == 302
    cast.provider_a.refresh_from_db()
    assert not cast.provider_a.logo


@pytest.mark.parametrize("who", ["facilitator_a", "admin_b", "owner", "buyer", "outsider"])
def test_only_the_providers_admins_change_its_logo(cast, who) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = cast.client(getattr(cast, who))
    pk = cast.provider_a.pk
    if who != "admin_b":
        assert client.get(url("logo")).status_code == 404
    response = client.post(
        url("logo-upload", pk), {f"o{pk}-logo": SimpleUploadedFile("logo.png", _png())}
    )
    assert response.status_code == 404
    assert client.get(url("logo-image", pk)).status_code == 404
    cast.provider_a.refresh_from_db()
    assert not cast.provider_a.logo
