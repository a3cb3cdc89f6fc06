"""Text that users write in several languages: stored as {"en": ..., "bn": ..., "ur": ...}.

One JSON value per field keeps every language in one column, so adding a language (Khmer, say)
is a settings change, not a migration. English is the language FIT materials are written in
first, so it is the fallback when the reader's language has no text yet.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

FALLBACK = "en"


def language_codes() -> list[str]:
    """Return the codes of the languages FIT Hub ships, English first."""
    return [code for code, _name in settings.LANGUAGES]


def content_language_codes() -> list[str]:
    """Return the languages of training content (module titles), English first: the site's
    languages and those only participants use, such as Khmer."""
    return [code for code, _name in settings.PARTICIPANT_LANGUAGES]


def text_direction(language: str) -> str:
    """Return "rtl" for right-to-left languages such as Urdu, else "ltr"."""
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def localized_with_language(
    value: dict[str, str] | None, language: str | None = None
) -> tuple[str, str]:
    """Return the text for the language (or a fallback) and the language it is written in."""
    if not value:
        return "", language or get_language() or FALLBACK
    language = language or get_language() or FALLBACK
    for code in (language, language.split("-")[0], FALLBACK):
        if text := value.get(code):
            return text, code
    for code, text in value.items():
        if text:
            return text, code
    return "", language


def localized(value: dict[str, str] | None, language: str | None = None) -> str:
    """Return the text in the active language, else in English, else in any language given."""
    return localized_with_language(value, language)[0]


def localized_q(field: str, text: str) -> Q:
    """Match rows whose text contains `text` in any language (case-insensitive)."""
    # One lookup per language key rather than on the whole JSON text: the JSON would also
    # match its own keys ("en") and, on SQLite, holds non-Latin text as \\u escapes.
    q = Q()
    for code in language_codes():
        q |= Q(**{f"{field}__{code}__icontains": text})
    return q


def clean_translations(value: Any, codes: list[str] | None = None) -> dict[str, str]:
    """Keep the non-blank texts of known languages, stripped; drop everything else."""
    if not isinstance(value, dict):
        return {}
    codes = codes or language_codes()
    return {
        code: str(text).strip()
        for code, text in value.items()
        if code in codes and text is not None and str(text).strip()
    }


class TranslatedTextWidget(forms.MultiWidget):
    """One input per language, each labelled and marked with its language and direction."""

    def __init__(
        self,
        textarea: bool = False,
        attrs: dict[str, Any] | None = None,
        languages: list[str] | None = None,
    ) -> None:
        self.languages = languages or language_codes()
        widgets: list[forms.Widget] = []
        for code in self.languages:
            widget_attrs = {"lang": code, "dir": text_direction(code)}
            if textarea:
                widgets.append(forms.Textarea(attrs={**widget_attrs, "rows": 3}))
            else:
                widgets.append(forms.TextInput(attrs=widget_attrs))
        super().__init__(widgets, attrs)

    def id_for_label(self, id_: str) -> str:
        # The field's own label points at the English input, which comes first.
        return f"{id_}_0" if id_ else ""

    def decompress(self, value: Any) -> list[str | None]:
        value = value if isinstance(value, dict) else {}
        return [value.get(code) for code in self.languages]

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # Rendered here rather than from a template so that any app can use the widget.
        values = value if isinstance(value, list) else self.decompress(value)
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", None) or f"id_{name}"
        rows = []
        for i, (code, widget) in enumerate(zip(self.languages, self.widgets, strict=True)):
            info = get_language_info(code)
            widget_id = f"{base_id}_{i}"
            html = widget.render(
                f"{name}_{i}",
                values[i] if i < len(values) else None,
                {**attrs, "id": widget_id},
                renderer,
            )
            # "বাংলা (Bengali)", so that a reader of either language knows the box.
            english = "" if info["name"] == info["name_local"] else f" ({info['name']})"
            rows.append((widget_id, code, info["name_local"], english, html))
        return format_html(
            '<div class="translations">{}</div>',
            format_html_join(
                "",
                '<div class="field"><label for="{}"><span lang="{}">{}</span>'
                '<small class="muted">{}</small></label>{}</div>',
                rows,
            ),
        )


class TranslatedTextField(forms.MultiValueField):
    """Edit one text per language; the value is {"en": ..., "bn": ..., "ur": ...}.

    With required=True the English text must be given; the others may follow later.
    """

    widget: TranslatedTextWidget

    def __init__(
        self,
        *,
        max_length: int | None = None,
        textarea: bool = False,
        languages: list[str] | None = None,
        **kw: Any,
    ):
        self.languages = languages or language_codes()
        fields = [
            forms.CharField(required=False, max_length=max_length) for _code in self.languages
        ]
        kw.setdefault("widget", TranslatedTextWidget(textarea=textarea, languages=self.languages))
        super().__init__(fields, require_all_fields=False, **kw)

    def compress(self, data_list: list[str | None]) -> dict[str, str]:
        texts = dict(zip(self.languages, data_list or [], strict=False))
        return clean_translations(texts, self.languages)

    def clean(self, value: Any) -> dict[str, str]:
        # MultiValueField's own "required" means "some input"; here it means "English".
        required, self.required = self.required, False
        try:
            cleaned = super().clean(value) or {}
        finally:
            self.required = required
        if self.required and not cleaned.get(FALLBACK):
            raise forms.ValidationError(
                _("Write the English text; the other languages can follow later."),
                code="required",
            )
        return cleaned

    def has_changed(self, initial: Any, data: Any) -> bool:
        return clean_translations(initial) != self.compress(data if isinstance(data, list) else [])
