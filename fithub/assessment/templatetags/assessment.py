"""Statement text in the assessment's language, and the engagement's module plan."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fithub.assessment import selectors
from fithub.assessment.models import ModulePlan
from fithub.catalogue.models import Category
from fithub.lib.i18n import language_codes, localized_with_language, text_direction

register = template.Library()


@register.simple_tag
def text_in_language(value: dict[str, str] | None, language: str | None = None) -> SafeString:
    """Render the text in the language (or a fallback), always marked with its lang and dir.

    Statements are shown in the assessment's language whatever language the page is in, so
    the text carries its own language: a Bengali statement on an English page, or an English
    fallback on an Urdu page.
    """
    text, written_in = localized_with_language(value, language)
    return format_html(
        '<span lang="{}" dir="{}">{}</span>', written_in, text_direction(written_in), text
    )


@register.simple_tag
def module_plan_of(engagement: Any) -> ModulePlan | None:
    """Return the engagement's module plan with its modules, or None (two queries)."""
    if engagement is None or not getattr(engagement, "pk", None):
        return None
    return selectors.module_plan(engagement.pk)


@register.filter
def percent(part: int | None, whole: int | None) -> int:
    """Return part as a whole percentage of whole (0 when whole is 0)."""
    return round(100 * (part or 0) / whole) if whole else 0


@register.filter
def lookup(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """Return mapping[key], or None: for the section of a recommendation's reason."""
    return (mapping or {}).get(key)


@register.filter
def category_label(code: str) -> str:
    """Return a module category's translated name."""
    return str(dict(Category.choices).get(code, code))


@register.filter
def missing_languages(value: dict[str, str] | None) -> list[str]:
    """Return the codes of the languages the text is not written in yet."""
    return [code for code in language_codes() if not (value or {}).get(code)]
