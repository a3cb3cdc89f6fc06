"""What each side sees of a request to work with a factory, for the pages and the API alike.

The provider that asked sees the factory's public registry fields (what Open Supply Hub
publishes) and nothing else of it until the factory agrees: not who registered it, its
engagements, its team or its people, nor the name of whoever decided. The factory's side sees
who asked and who decided.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser

from fithub.accounts.models import User
from fithub.accounts.roles import roles_of
from fithub.factories.models import PUBLIC_REGISTRY_FIELDS, AccessRequest, Factory
from fithub.factories.scoping import access_requests_for, factories_for


@dataclass(frozen=True)
class Event:
    when: datetime
    status: str
    label: str
    by: str  # empty where the reader may not know who


@dataclass(frozen=True)
class Seen:
    request: AccessRequest
    registry: dict[str, Any]  # the public registry fields of the factory, and only those
    factory_id: int | None  # set once the reader may open the factory
    factory_side: bool  # the reader may change the factory: they see who decided
    can_decide: bool
    events: list[Event] = field(default_factory=list)

    @property
    def requester_name(self) -> str:
        return _name(self.request.requested_by)

    @property
    def decider_name(self) -> str:
        return _name(self.request.decided_by) if self.factory_side else ""


def registry_entry(factory: Factory) -> dict[str, Any]:
    """Return what Open Supply Hub publishes of a factory: all a stranger to it may see."""
    entry: dict[str, Any] = {name: getattr(factory, name) for name in PUBLIC_REGISTRY_FIELDS}
    entry["sector_label"] = str(factory.get_sector_display())
    return entry


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _events(access_request: AccessRequest, factory_side: bool) -> list[Event]:
    """The request's history: asked, then decided, each with who (where the reader may know)."""
    labels = dict(AccessRequest.Status.choices)
    events: list[Event] = []
    last = None
    records = access_request.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
        "history_date", "history_id"
    )
    for record in records:
        if record.status == last:
            continue
        last = record.status
        asked = record.status == AccessRequest.Status.PENDING
        by = _name(record.history_user) if asked or factory_side else ""
        events.append(Event(record.history_date, record.status, str(labels[record.status]), by))
    return events


def seen_by(
    user: User | AnonymousUser, requests: list[AccessRequest], *, history: bool = False
) -> list[Seen]:
    """Return what the user sees of each request, in a fixed number of queries (with history,
    one more per request)."""
    factory_ids = {r.factory_id for r in requests}
    superuser = roles_of(user).superuser
    visible = set(factories_for(user).filter(pk__in=factory_ids).values_list("pk", flat=True))
    writable = set(
        factories_for(user, write=True).filter(pk__in=factory_ids).values_list("pk", flat=True)
    )
    deciding = set(
        access_requests_for(user, decide=True)
        .filter(pk__in=[r.pk for r in requests])
        .values_list("pk", flat=True)
    )
    out = []
    for r in requests:
        factory_side = superuser or r.factory_id in writable
        out.append(
            Seen(
                request=r,
                registry=registry_entry(r.factory),
                factory_id=r.factory_id if r.factory_id in visible else None,
                factory_side=factory_side,
                can_decide=r.pk in deciding,
                events=_events(r, factory_side) if history else [],
            )
        )
    return out
