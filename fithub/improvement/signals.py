"""Schedule a session's adoption follow-ups as soon as it is held, however it became so.

Training sits above this app and cannot call it: a session is marked held by its reflection,
its attendance, the demo or the admin, and its engagements are set after it is saved, so the
follow-ups are scheduled on both signals. Scheduling is idempotent (services).
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_save

from fithub.improvement import services
from fithub.training.models import Session


def _session_saved(sender: type[Session], instance: Session, **kw: Any) -> None:
    if instance.status == Session.Status.HELD and not kw.get("raw"):
        services.followups_schedule(session=instance)


def _engagements_changed(sender: Any, instance: Any, action: str, **kw: Any) -> None:
    if action == "post_add" and isinstance(instance, Session):
        _session_saved(Session, instance)


def connect() -> None:
    post_save.connect(_session_saved, sender=Session, dispatch_uid="improvement-followups")
    m2m_changed.connect(
        _engagements_changed,
        sender=Session.engagements.through,
        dispatch_uid="improvement-followups-m2m",
    )
