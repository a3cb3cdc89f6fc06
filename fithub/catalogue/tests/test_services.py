"""Catalogue writes: module rules, file checks, downloads and adaptations."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fithub.catalogue import services
from fithub.catalogue.models import DownloadEvent, ModuleFile
from fithub.catalogue.tests.utils import add_file, docx, make_module, pdf

pytestmark = pytest.mark.django_db


def test_a_module_takes_at_most_150_minutes() -> None:
    with pytest.raises(ValidationError) as e:
        make_module(
            duration_minutes=151, case_study_minutes=0, activities_minutes=0, action_plan_minutes=0
        )
    assert "150 minutes" in str(e.value.message_dict["duration_minutes"])


def test_the_three_parts_must_fit_in_the_duration() -> None:
    with pytest.raises(ValidationError) as e:
        make_module(
            duration_minutes=90,
            case_study_minutes=30,
            activities_minutes=50,
            action_plan_minutes=20,
        )
    assert "100 minutes" in e.value.messages[0]


def test_the_english_title_is_required() -> None:
    with pytest.raises(ValidationError) as e:
        make_module(title={"bn": "শুধু বাংলা"})
    assert "title" in e.value.message_dict


def test_departments_come_from_the_list() -> None:
    with pytest.raises(ValidationError) as e:
        make_module(departments=["sewing", "canteen"])
    assert "departments" in e.value.message_dict


def test_a_module_cannot_need_itself_or_a_circle() -> None:
    intro, other = make_module("T-00"), make_module("T-01")
    with pytest.raises(ValidationError):
        services.module_update(module=intro, by=None, prerequisites=[intro])
    services.module_update(module=other, by=None, prerequisites=[intro])
    with pytest.raises(ValidationError):
        services.module_update(module=intro, by=None, prerequisites=[other])
    assert list(other.prerequisites.all()) == [intro]
    assert not intro.prerequisites.exists()


def test_pdf_and_word_files_are_stored_by_code_and_language() -> None:
    module = make_module("T-01")
    a = add_file(module, "bn", upload=pdf())
    b = add_file(module, "bn", upload=docx())
    assert (a.format, b.format) == ("pdf", "docx")
    assert a.file.name.startswith("catalogue/T-01/bn/T-01-bn-2020.1")
    assert a.size > 0


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("m.exe", b"MZ...", content_type="application/pdf"), "Only PDF"),
        (
            SimpleUploadedFile("m.doc", b"\xd0\xcf\x11\xe0", content_type="application/msword"),
            ".doc",
        ),
        (
            SimpleUploadedFile("m.pdf", b"<html>not a pdf", content_type="application/pdf"),
            "not a PDF",
        ),
        (SimpleUploadedFile("m.docx", b"%PDF-1.4 renamed", content_type=""), "not a Word"),
        (SimpleUploadedFile("m.pdf", b"", content_type="application/pdf"), "empty"),
        (SimpleUploadedFile("m.pdf", b"%PDF-1.4", content_type="text/html"), "text/html"),
    ],
)
def test_bad_files_are_refused_with_a_reason(upload, reason) -> None:
    module = make_module()
    with pytest.raises(ValidationError) as e:
        add_file(module, upload=upload)
    assert reason in " ".join(e.value.message_dict["file"])
    assert not ModuleFile.objects.exists()


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    upload = SimpleUploadedFile("m.docx", buffer.getvalue(), content_type="application/zip")
    with pytest.raises(ValidationError):
        add_file(make_module(), upload=upload)


def test_a_browser_that_does_not_know_the_type_is_fine() -> None:
    item = add_file(make_module(), upload=pdf(content_type="application/octet-stream"))
    assert item.format == "pdf"


def test_the_same_version_twice_is_refused() -> None:
    module = make_module()
    add_file(module, "en", "2020.1")
    with pytest.raises(ValidationError) as e:
        add_file(module, "en", "2020.1")
    assert "version" in e.value.message_dict
    add_file(module, "en", "2020.1", upload=docx())  # another format of the same version


def test_a_version_is_numbers_and_dots() -> None:
    with pytest.raises(ValidationError) as e:
        add_file(make_module(), version="final v2")
    assert "version" in e.value.message_dict


def test_a_download_is_counted_and_recorded(cast) -> None:
    item = add_file(make_module())
    services.module_file_download(file=item, by=cast.facilitator_a)
    services.module_file_download(file=item, by=cast.coordinator_a)
    item.refresh_from_db()
    assert item.download_count == 2
    events = DownloadEvent.objects.order_by("pk")
    assert [(e.user, e.organisation, e.factory) for e in events] == [
        (cast.facilitator_a, cast.provider_a, None),
        (cast.coordinator_a, None, cast.factory_a),
    ]


def test_an_adaptation_starts_from_the_newest_english_version(cast) -> None:
    module = make_module()
    add_file(module, "en", "2019.1", date(2019, 1, 1))
    add_file(module, "en", "2020.1", date(2020, 1, 1))
    add_file(module, "bn", "2021.1", date(2021, 1, 1))  # not English: does not count
    adaptation = services.adaptation_create(
        module=module,
        provider=cast.provider_a,
        by=cast.admin_a,
        details=services.AdaptationDetails(changes=["translation"]),
    )
    assert adaptation.based_on_version == "2020.1"
    assert not adaptation.original_updated
    add_file(module, "en", "2020.10", date(2022, 1, 1))  # 2020.10 is newer than 2020.9
    adaptation.refresh_from_db()
    assert adaptation.original_updated


def test_an_adaptation_says_what_changed(cast) -> None:
    with pytest.raises(ValidationError) as e:
        services.adaptation_create(module=make_module(), provider=cast.provider_a, by=None)
    assert "changes" in e.value.message_dict


def test_only_providers_adapt(cast) -> None:
    with pytest.raises(ValidationError):
        services.adaptation_create(
            module=make_module(),
            provider=cast.buyer_org,
            by=None,
            details=services.AdaptationDetails(changes=["guidance"]),
        )


def test_adaptation_files_are_kept_apart(cast) -> None:
    module = make_module()
    adaptation = services.adaptation_create(
        module=module,
        provider=cast.provider_a,
        by=None,
        details=services.AdaptationDetails(changes=["guidance"]),
    )
    item = services.module_file_add(
        by=None,
        adaptation=adaptation,
        upload=pdf(),
        language="ur",
        version="2020.1",
        released_on=date(2020, 1, 1),
    )
    assert item.file.name == f"catalogue/T-01/ur/T-01-ur-2020.1-adaptation-{adaptation.pk}.pdf"
    assert not module.files.exists()
