"""Text per language: the fallback rules and the field that edits one text per language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fithub.lib.i18n import TranslatedTextField, localized, localized_with_language

TEXT = {"en": "Line balancing", "bn": "লাইনে কাজের ভারসাম্য আনা"}


def test_localized_uses_the_active_language_then_english_then_any() -> None:
    with translation.override("bn"):
        assert localized(TEXT) == "লাইনে কাজের ভারসাম্য আনা"
    with translation.override("ur"):
        assert localized_with_language(TEXT) == ("Line balancing", "en")
    assert localized({"ur": "لائن میں کام کا توازن"}, "bn") == "لائن میں کام کا توازن"
    assert localized({"en": "", "bn": "বাংলা"}, "ur") == "বাংলা"
    assert localized(None) == ""
    assert localized({}) == ""


def test_the_field_renders_one_marked_input_per_language() -> None:
    field = TranslatedTextField(label="Title")
    html = field.widget.render("title", TEXT, {"id": "id_title"})
    assert 'name="title_0"' in html and 'name="title_2"' in html
    assert 'lang="bn"' in html
    assert 'lang="ur" dir="rtl"' in html
    assert 'value="লাইনে কাজের ভারসাম্য আনা"' in html
    assert '<label for="id_title_2">' in html


def test_the_field_keeps_non_blank_texts_and_needs_english() -> None:
    field = TranslatedTextField()
    assert field.clean(["  Line balancing ", "", "توازن"]) == {
        "en": "Line balancing",
        "ur": "توازن",
    }
    with pytest.raises(ValidationError, match="English"):
        field.clean(["", "বাংলা", ""])
    assert TranslatedTextField(required=False).clean(["", "", ""]) == {}
