"""Show text stored per language, marked with the language it is actually written in."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info

from fithub.lib.i18n import localized_with_language, text_direction

register = template.Library()


@register.simple_tag
def translated(value: dict[str, str] | None, language: str | None = None) -> SafeString:
    """Render the text in the active language; a fallback keeps its own lang and dir.

    An English title on an Urdu page must still run left to right, and screen readers must
    read it as English.
    """
    text, written_in = localized_with_language(value, language)
    active = language or get_language() or "en"
    if written_in == active or not text:
        return conditional_escape(text)
    return format_html(
        '<span lang="{}" dir="{}">{}</span>', written_in, text_direction(written_in), text
    )


@register.filter
def language_name(code: str) -> str:
    """Return a language's own name for itself: বাংলা for bn."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


@register.filter
def direction(code: str) -> str:
    return text_direction(code)


@register.filter
def text_in(value: dict[str, str] | None, code: str) -> str:
    """Return the text written in that language only, with no fallback."""
    return (value or {}).get(code, "")
