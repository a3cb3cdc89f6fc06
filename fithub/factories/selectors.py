"""Reads across factories that more than one place needs: the registry's search."""

from django.db.models import Q, QuerySet

from fithub.factories.models import Factory


def search_factories(qs: QuerySet[Factory], text: str) -> QuerySet[Factory]:
    """Keep the factories whose name, city, address or Open Supply Hub ID contains the text."""
    # The list page, its export and the API all search through here, so that the same words
    # find the same factories wherever a user or an integration asks. Case-insensitive
    # substrings throughout: a pasted OS ID (in any case, with stray spaces) is simply the
    # longest substring of itself, and part of one ("085AQ1") finds it too.
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(name__icontains=text)
        | Q(city__icontains=text)
        | Q(address__icontains=text)
        | Q(os_id__icontains=text)
    )
