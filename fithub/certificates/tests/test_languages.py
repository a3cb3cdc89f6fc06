"""Certificates in the participant's language, Khmer included: the paper and its check page."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from fithub.certificates import render, services
from fithub.certificates.tests.conftest import TITLE, attend
from fithub.training.forms import ParticipantForm


@pytest.mark.parametrize(
    ("lang", "short", "long"),
    [("ur", "09/12/2026", "9 دسمبر 2026"), ("bn", "09/12/2026", "9 ডিসেম্বর, 2026"),
     ("en", "12/09/2026", "Dec. 9, 2026")],
)  # fmt: skip
def test_dates_are_day_month_year_in_urdu_and_bengali(lang: str, short: str, long: str) -> None:
    with translation.override(lang):
        assert date_format(date(2026, 12, 9), "SHORT_DATE_FORMAT") == short
        assert date_format(date(2026, 12, 9), "DATE_FORMAT") == long


def test_an_urdu_certificate_prints_its_date_with_spaces(cast, room) -> None:
    registration = room.present[2]  # فاطمہ بی بی, who registered in Urdu
    certificate = services.certificate_issue(registration=registration, by=cast.admin_a)
    assert render.printed(certificate).date == "14 مارچ 2026"


def test_participants_may_choose_khmer(cast, room) -> None:
    assert ("km", "ខ្មែរ") in settings.PARTICIPANT_LANGUAGES
    assert "km" in dict(ParticipantForm.base_fields["language"].widget.choices)
    registration = attend(room.session, cast.factory_a, "សុខ ចាន់ថា", language="km")
    certificate = services.certificate_issue(registration=registration, by=cast.admin_a)
    assert certificate.language == "km"
    printed = render.printed(certificate)
    assert printed.module.text == TITLE["km"] and printed.module.lang == "km"


@pytest.mark.parametrize("lang", ["bn", "km"])
def test_the_check_page_shows_the_module_and_date_as_the_paper_does(cast, room, lang) -> None:
    registration = attend(room.session, cast.factory_a, "Mita", language=lang)
    certificate = services.certificate_issue(registration=registration, by=cast.admin_a)
    page = cast.client(None).get(reverse("certificates:verify", args=[certificate.code]))
    body = page.content.decode()
    assert f'<span lang="{lang}" dir="auto">{TITLE[lang]}</span>' in body
    with translation.override(lang):
        assert date_format(room.session.date, "DATE_FORMAT") in body
    assert "Productivity through workplace cooperation" not in body


def test_a_module_title_can_be_given_in_khmer_and_a_khmer_certificate_prints_it(cast, room) -> None:
    from fithub.catalogue.forms import ModuleForm

    widget = ModuleForm.base_fields["title"].widget
    assert widget.languages == ["en", "bn", "ur", "km"]
    assert 'lang="km"' in widget.render("title", {"en": "Cutting"})
    field = ModuleForm.base_fields["title"]
    title = field.clean(["Safe cutting", "", "", "ការកាត់ដោយសុវត្ថិភាព"])
    assert title == {"en": "Safe cutting", "km": "ការកាត់ដោយសុវត្ថិភាព"}
    room.session.module.title = title
    room.session.module.full_clean()  # the catalogue accepts a Khmer title
    room.session.module.save()
    registration = attend(room.session, cast.factory_a, "សុខា", language="km")
    certificate = services.certificate_issue(registration=registration, by=cast.admin_a)
    assert render.printed(certificate).module.text == "ការកាត់ដោយសុវត្ថិភាព"
