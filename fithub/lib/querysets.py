"""Querysets that stay cheap as the data grows."""

from collections.abc import Sequence

from django.db.models import Model, QuerySet


def pks_in_any[M: Model](
    base: QuerySet[M], *arms: QuerySet, pks: Sequence[int] = ()
) -> QuerySet[M]:
    """Return base's rows whose key is in any of the arms (querysets of one key column) or pks.

    The same rows as filter(Q(a) | Q(b) | ...), written `pk IN (a UNION b ...)`: an OR across
    columns and joins is a sequential scan of the whole table on PostgreSQL, where each arm of
    a union is its own index scan, so the cost follows what the user sees, not the registry.
    """
    parts = [arm.order_by() for arm in arms]
    if pks:
        parts.append(base.model._default_manager.filter(pk__in=list(pks)).values("pk").order_by())
    if not parts:
        return base.none()
    union = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return base.filter(pk__in=union)
