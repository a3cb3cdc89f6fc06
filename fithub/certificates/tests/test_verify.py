"""The public verification page and endpoint: open to anyone, and silent about the person."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fithub.certificates import services
from fithub.certificates.models import Certificate
from fithub.certificates.tests.conftest import PHONE

# What the page and the endpoint must never say about the participant.
PRIVATE = ("Alpha Garments", PHONE, "Supervisor", "supervisor", "Female", "female", "Sewing")


def page_url(code: str) -> str:
    return reverse("certificates:verify", args=[code])


def api_url(code: str) -> str:
    return reverse("api-certificate-verify", args=[code])


@pytest.fixture
def certificate(cast, issued) -> Certificate:
    """Amina Akter's: a supervisor in factory A's sewing department, with a phone number."""
    return next(c for c in issued if c.name == "Amina Akter")


@pytest.mark.parametrize("who", [None, "buyer", "admin_b", "admin_a"])
def test_anyone_can_check_a_certificate_without_logging_in(cast, certificate, who) -> None:
    client = cast.client(getattr(cast, who) if who else None)
    response = client.get(page_url(certificate.code))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate is genuine and stands." in page
    assert "Amina Akter" in page
    assert "Productivity through workplace cooperation" in page
    assert "March 14, 2026" in page
    assert "Provider A" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_page_shows_nothing_else_about_the_person(cast, certificate) -> None:
    page = cast.client(None).get(page_url(certificate.code)).content.decode()
    for private in PRIVATE:
        assert private not in page, private
    data = APIClient().get(api_url(certificate.code)).json()
    for private in PRIVATE:
        assert private not in str(data), private


def test_a_code_is_found_in_any_case_with_spaces_or_dashes(cast, certificate) -> None:
    typed = f"{certificate.code[:5].lower()}-{certificate.code[5:]}"
    response = cast.client(None).get(page_url(typed))
    assert response.status_code == 302
    assert response["Location"] == page_url(certificate.code)
    form = cast.client(None).get(reverse("certificates:verify-form"), {"code": f" {typed} "})
    assert form["Location"] == page_url(certificate.code)
    assert APIClient().get(api_url(typed.lower())).json()["code"] == certificate.code


def test_an_unknown_code_answers_404_with_a_clear_message(cast) -> None:
    response = cast.client(None).get(page_url("ZZZZZ99999"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "No such certificate" in page and "ZZZZZ99999" in page
    assert 'name="code"' in page  # and a form to type it again
    api = APIClient().get(api_url("ZZZZZ99999"))
    assert api.status_code == 404
    assert api.json() == {"detail": "No certificate has this code."}


def test_the_form_asks_for_a_code(cast) -> None:
    response = cast.client(None).get(reverse("certificates:verify-form"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_a_revoked_certificate_says_so_with_the_date_but_not_why(cast, certificate) -> None:
    services.certificate_revoke(
        certificate=certificate, reason="Confidential: disciplinary case", by=cast.admin_a
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    )
    page = cast.client(None).get(page_url(certificate.code)).content.decode()
    assert "This certificate was revoked on April 2, 2026" in page
    assert "genuine and stands" not in page
    assert "disciplinary" not in page
    data = APIClient().get(api_url(certificate.code)).json()
    assert data["valid"] is False
    assert data["revoked_at"].startswith("2026-04-02T10:00")
    assert "disciplinary" not in str(data)


def test_a_reissued_certificate_shows_the_corrected_name(cast, certificate) -> None:
    services.certificate_reissue(certificate=certificate, name="Amina Akhter", by=cast.admin_a)
    page = cast.client(None).get(page_url(certificate.code)).content.decode()
    assert "Amina Akhter" in page and "Reissued on" in page
    assert APIClient().get(api_url(certificate.code)).json()["name"] == "Amina Akhter"


def test_the_endpoint_answers_exactly_what_the_paper_shows(cast, certificate) -> None:
    response = APIClient().get(api_url(certificate.code))
    assert response.status_code == 200
    assert response.json() == {
        "code": certificate.code,
        "valid": True,
        "revoked_at": None,
        "module": "Productivity through workplace cooperation",
        "date": "2026-03-14",
        "provider": "Provider A",
        "name": "Amina Akter",
    }


def test_the_endpoint_ignores_credentials_and_answers_in_the_asked_language(
    cast, certificate
) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(api_url(certificate.code), HTTP_ACCEPT_LANGUAGE="bn")
    assert response.status_code == 200
    assert response.json()["module"].startswith("কর্মক্ষেত্রে")


def test_the_page_follows_the_readers_language(cast, certificate) -> None:
    client = cast.client(None)
    client.cookies["django_language"] = "ur"
    page = client.get(page_url(certificate.code)).content.decode()
    assert 'dir="rtl"' in page
    # The page is in Urdu; the module reads as this English certificate prints it.
    assert '<span lang="en" dir="auto">Productivity through workplace cooperation</span>' in page
    assert "کام کی جگہ پر تعاون سے پیداواری صلاحیت" not in page
    # A Latin name in an Urdu page is marked as such, so it keeps its own direction.
    assert '<span lang="en" dir="ltr">Amina Akter</span>' in page


def test_revocation_shows_at_once(cast, certificate) -> None:
    client = cast.client(None)
    assert "genuine" in client.get(page_url(certificate.code)).content.decode()
    certificate.revoked_at = timezone.now()
    certificate.save()
    response = client.get(page_url(certificate.code))
    assert "revoked" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
