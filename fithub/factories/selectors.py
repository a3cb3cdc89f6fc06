"""Reads across factories that more than one place needs: the registry's search."""

from django.db.models import QuerySet

from fithub.factories.models import Factory
from fithub.lib.text import fold


def search_factories(qs: QuerySet[Factory], text: str) -> QuerySet[Factory]:
    """Keep the factories whose name, city, address or Open Supply Hub ID contains the text."""
    # The list page, its export and the API all search through here, so that the same words
    # find the same factories wherever a user or an integration asks. Substrings
    # throughout: a pasted OS ID (in any case, with stray spaces) is simply the
    # longest substring of itself, and part of one ("085AQ1") finds it too.
    # Accents, case and spacing are folded on both sides ("Viet Tien" finds "Việt Tiến").
    folded = fold(text)
    if not folded:
        return qs
    return qs.filter(search_text__contains=folded)
