"""Issue, revoke and reissue certificates; a provider's logo."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fithub.certificates import services
from fithub.certificates.models import Certificate
from fithub.certificates.tests.conftest import Room, attend
from fithub.training.models import Session


def test_issue_only_to_participants_who_attended(cast, room: Room) -> None:
    for registration in (room.absent, room.unrecorded):
        with pytest.raises(ValidationError, match="attended"):
            services.certificate_issue(registration=registration, by=cast.admin_a)
    certificate = services.certificate_issue(registration=room.present[0], by=cast.admin_a)
    assert certificate.name == "Amina Akter"
    assert certificate.revision == 1 and certificate.is_valid
    assert certificate.issued_by == cast.admin_a
    assert Certificate.objects.count() == 1


def test_issuing_again_returns_the_certificate_issued_before(cast, room: Room) -> None:
    first = services.certificate_issue(registration=room.present[0], by=cast.admin_a)
    again = services.certificate_issue(registration=room.present[0], by=cast.facilitator_a)
    assert again.pk == first.pk and again.code == first.code
    assert again.issued_by == cast.admin_a
    assert Certificate.objects.count() == 1


def test_language_is_the_participants_unless_chosen(cast, room: Room) -> None:
    english, bengali, urdu = room.present
    assert services.certificate_issue(registration=bengali, by=None).language == "bn"
    assert services.certificate_issue(registration=urdu, by=None).language == "ur"
    assert services.certificate_issue(registration=english, by=None, language="km").language == (
        "km"
    )


def test_a_language_certificates_are_not_printed_in_is_refused_or_falls_back(
    cast, room: Room
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(registration=room.present[0], by=None, language="de")
    assert "language" in exc.value.message_dict
    french = attend(room.session, cast.factory_a, "Claire Dupont", language="fr")
    assert services.certificate_issue(registration=french, by=None).language == "en"


def test_issue_for_session_gives_everyone_present_one_once(cast, room: Room) -> None:
    issued = services.certificates_issue_for_session(session=room.session, by=cast.admin_a)
    assert sorted(c.registration_id for c in issued) == sorted(r.pk for r in room.present)
    assert services.certificates_issue_for_session(session=room.session, by=cast.admin_a) == []
    assert Certificate.objects.count() == 3
    assert len({c.code for c in issued}) == 3


def test_a_cancelled_session_gives_no_certificates(cast, room: Room) -> None:
    Session.objects.filter(pk=room.session.pk).update(status=Session.Status.CANCELLED)
    room.session.refresh_from_db()
    with pytest.raises(ValidationError, match="cancelled"):
        services.certificates_issue_for_session(session=room.session, by=cast.admin_a)


def test_revoke_needs_a_reason_and_happens_once(cast, issued: list[Certificate]) -> None:
    certificate = issued[0]
    with pytest.raises(ValidationError) as exc:
        services.certificate_revoke(certificate=certificate, reason="  ", by=cast.admin_a)
    assert "reason" in exc.value.message_dict
    services.certificate_revoke(
        certificate=certificate, reason="Left after an hour", by=cast.admin_a
    )
    certificate.refresh_from_db()
    assert not certificate.is_valid
    assert certificate.revoked_reason == "Left after an hour"
    assert certificate.revoked_by == cast.admin_a
    with pytest.raises(ValidationError, match="already"):
        services.certificate_revoke(certificate=certificate, reason="again", by=cast.admin_a)


def test_reissue_keeps_the_code_and_counts_the_revision(cast, issued: list[Certificate]) -> None:
    certificate = issued[0]
    code = certificate.code
    services.certificate_reissue(certificate=certificate, name=" Amina Akhter ", by=cast.admin_a)
    certificate.refresh_from_db()
    assert (certificate.code, certificate.revision, certificate.name) == (code, 2, "Amina Akhter")
    # The audit trail keeps the name printed before, and who corrected it.
    latest, before = certificate.history.all()[:2]
    assert before.name == "Amina Akter"
    assert latest.history_user == cast.admin_a


@pytest.mark.parametrize(("name", "message"), [("", "Write the name"), ("same", "already")])
def test_reissue_needs_a_new_name(cast, issued: list[Certificate], name, message) -> None:
    certificate = issued[0]
    with pytest.raises(ValidationError, match=message):
        services.certificate_reissue(
            certificate=certificate, name=certificate.name if name == "same" else name, by=None
        )


def test_a_revoked_certificate_is_not_reissued(cast, issued: list[Certificate]) -> None:
    certificate = issued[0]
    services.certificate_revoke(certificate=certificate, reason="Duplicate", by=None)
    with pytest.raises(ValidationError, match="revoked"):
        services.certificate_reissue(certificate=certificate, name="Someone Else", by=None)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("abcde-23456", "ABCDE23456"),
        (" ABCDE 23456 ", "ABCDE23456"),
        ("abcde\u201323456", "ABCDE23456"),
    ],
)
def test_codes_are_read_in_any_case_with_spaces_and_dashes(typed: str, stored: str) -> None:
    assert services.normalise_code(typed) == stored


def _picture(size: tuple[int, int], fmt: str = "JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(f"logo.{fmt.lower()}", buffer.getvalue())


def test_a_logo_is_stored_as_png_at_print_size(cast, settings) -> None:
    services.organisation_logo_set(
        organisation=cast.provider_a, image=_picture((4000, 1000)), by=cast.admin_a
    )
    cast.provider_a.refresh_from_db()
    with cast.provider_a.logo.open("rb") as f:
        stored = Image.open(f)
        assert stored.format == "PNG"
        assert stored.size == (1200, 300)
    first = cast.provider_a.logo.path
    services.organisation_logo_set(
        organisation=cast.provider_a, image=_picture((300, 100), "PNG"), by=cast.admin_a
    )
    cast.provider_a.refresh_from_db()
    assert cast.provider_a.logo.path != first
    services.organisation_logo_set(organisation=cast.provider_a, image=None, by=cast.admin_a)
    cast.provider_a.refresh_from_db()
    assert not cast.provider_a.logo
    # Replaced and removed logos leave no file behind.
    assert list((Path(settings.MEDIA_ROOT) / "organisations" / "logos").iterdir()) == []


def test_a_logo_that_is_not_a_picture_is_refused(cast) -> None:
    with pytest.raises(ValidationError) as exc:
        services.organisation_logo_set(
            organisation=cast.provider_a,
            image=SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            by=cast.admin_a,
        )
    assert "logo" in exc.value.message_dict
