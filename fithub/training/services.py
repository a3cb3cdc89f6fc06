"""Writes for sessions, venues, participants, groups, attendance and action plans.

Views, the API and imports all call these; none of them writes a model directly.
"""

import dataclasses
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date as date_type
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fithub.accounts.models import FactoryMembership, Membership, Organisation, User
from fithub.catalogue.models import Adaptation, Module
from fithub.factories.models import Factory
from fithub.lib.details import Details
from fithub.programmes.models import DeliveryModel, Engagement
from fithub.training import groups as grouping
from fithub.training.models import (
    Group,
    Participant,
    Registration,
    Session,
    Venue,
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionDetails(Details):
    """A session's editable fields: the form, the API and the seed fill these."""

    module: Module
    adaptation: Adaptation | None = None
    language: str = "en"
    delivery_model: str
    date: date_type
    starts_at: time
    ends_at: time
    venue: Venue | None = None
    facilitator: User | None = None
    facilitator_name: str = ""
    status: str = Session.Status.PLANNED


@dataclasses.dataclass(frozen=True, kw_only=True)
class CascadeDetails(Details):
    """A representative's own session: what is left empty (None) follows the parent session."""

    date: date_type
    starts_at: time | None = None
    ends_at: time | None = None
    facilitator_name: str | None = None  # the representative, by default
    language: str | None = None  # the representative's, by default
    venue: Venue | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class VenueDetails(Details):
    name: str
    address: str = ""
    city: str = ""
    capacity: int | None = None
    step_free: bool = False
    accessible_toilets: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class ParticipantDetails(Details):
    """What is recorded of a person: the form, the API and the seed fill these."""

    name: str
    sex: str = ""
    role: str = ""
    department: str = ""
    disability: bool | None = None
    needs_step_free: bool = False
    phone: str = ""
    language: str = "en"


# Delivery models in which one session takes people from several factories.
MULTI_FACTORY_MODELS = (DeliveryModel.CLASSROOM, DeliveryModel.BLENDED)


def normalise_name(name: str) -> str:
    """Store a name as given, in any script, but in one Unicode form and without stray spaces."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


# --- sessions -------------------------------------------------------------------------------


def session_factory_ids(session: Session) -> set[int]:
    """The factories a session takes participants from: its engagements' and its organiser."""
    ids = {e.factory_id for e in session.engagements.all()}
    if session.organising_factory_id:
        ids.add(session.organising_factory_id)
    return ids


def session_starts(session: Session) -> datetime:
    """When the session starts, as an aware datetime in the factory's (the site's) time zone.

    Factories carry no time zone of their own yet: the site's TIME_ZONE is where they are.
    """
    naive = datetime.combine(session.date, session.starts_at)
    return timezone.make_aware(naive, timezone.get_default_timezone())


def session_day_ends(session: Session) -> datetime:
    """Midnight after the session's day, in the site's time zone."""
    naive = datetime.combine(session.date + timedelta(days=1), time(0))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def session_started(session: Session, *, now: datetime | None = None) -> bool:
    now = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    return now >= session_starts(session)


# Said alike of an id that names nobody and of someone of another organisation, so that the
# answer never tells which ids are accounts.
NOT_IN_TEAM = gettext_lazy("The facilitator must be a member of the organising team.")


def facilitators(*, provider_id: int | None, factory_ids: Iterable[int]) -> QuerySet[User]:
    """Return who may facilitate a session: the organiser's staff, its factories' staff."""
    q = Q(pk__in=FactoryMembership.objects.filter(factory_id__in=list(factory_ids)).values("user"))
    if provider_id:
        q |= Q(pk__in=Membership.objects.filter(organisation_id=provider_id).values("user"))
    return User.objects.filter(q)


def _check_session(session: Session, engagements: Sequence[Engagement]) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if session.provider_id is None and session.organising_factory_id is None:
        add("provider", _("A session is organised by a service provider or by a factory."))
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        add("ends_at", _("A session must end after it starts."))
    if session.provider_id and not session.organising_factory_id and not engagements:
        add("engagements", _("Choose the engagement this session belongs to."))
    if len({e.factory_id for e in engagements}) > 1 and (
        session.delivery_model not in MULTI_FACTORY_MODELS or session.parent_id
    ):
        add(
            "engagements",
            _("Only a classroom session takes participants from several factories."),
        )
    for e in engagements:
        if session.provider_id and not session.organising_factory_id:
            if e.provider_id != session.provider_id:
                add("engagements", _("An engagement of another organisation cannot be chosen."))
                break
        elif session.organising_factory_id and e.factory_id != session.organising_factory_id:
            add("engagements", _("Choose an engagement of the factory running the session."))
            break
    adaptation = session.adaptation if session.adaptation_id else None
    if adaptation is not None and adaptation.module_id != session.module_id:
        add("adaptation", _("This adaptation is of another module."))
    if session.language and session.language not in dict(settings.PARTICIPANT_LANGUAGES):
        add("language", _("Choose one of the languages offered."))
    factory_ids = {e.factory_id for e in engagements}
    if session.organising_factory_id:
        factory_ids.add(session.organising_factory_id)
    if session.venue_id:
        venue = session.venue
        assert venue is not None
        own = (venue.provider_id and venue.provider_id == session.provider_id) or (
            venue.factory_id and venue.factory_id in factory_ids
        )
        if not own:
            add("venue", _("Choose a venue of the organiser or of a factory in the session."))
    if session.facilitator_id:
        team = facilitators(provider_id=session.provider_id, factory_ids=factory_ids)
        if not team.filter(pk=session.facilitator_id).exists():
            add("facilitator", str(NOT_IN_TEAM))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(
    *,
    by: User | None,
    details: SessionDetails,
    engagements: Iterable[Engagement] = (),
    provider: Organisation | None = None,
    organising_factory: Factory | None = None,
    parent: Session | None = None,
    representative: Participant | None = None,
) -> Session:
    """Plan a session, organised by a provider or (laissez-faire, cascade) by a factory."""
    engagements = list(engagements)
    session = Session(
        provider=provider,
        organising_factory=organising_factory,
        parent=parent,
        representative=representative,
        created_by=by,
    )
    details.apply(session)
    session._history_user = by  # type: ignore[attr-defined]
    _check_session(session, engagements)
    session.full_clean()
    session.save()
    session.engagements.set(engagements)
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    by: User | None,
    details: SessionDetails | None = None,
    engagements: Iterable[Engagement] | None = None,
) -> Session:
    """Change a planned session (its fields when details are given, its engagements when
    given); the audit trail records who changed what."""
    if details is not None:
        details.apply(session)
    chosen = list(session.engagements.all()) if engagements is None else list(engagements)
    if engagements is not None and session.pk:
        factories = {e.factory_id for e in chosen} | (
            {session.organising_factory_id} if session.organising_factory_id else set()
        )
        if session.registrations.exclude(participant__factory_id__in=factories).exists():
            raise ValidationError(
                {
                    "engagements": _(
                        "People from a factory you removed are registered: "
                        "remove their registrations first."
                    )
                }
            )
    session._history_user = by  # type: ignore[attr-defined]
    _check_session(session, chosen)
    session.full_clean()
    session.save()
    if engagements is not None:
        session.engagements.set(chosen)
    return session


@transaction.atomic
def child_session_create(
    *, registration: Registration, by: User | None, details: CascadeDetails
) -> Session:
    """Cascade: the representative trained in a session runs the same module in their factory.

    The child session is organised by the representative's factory and keeps the parent's
    provider, so the provider who trained the representative can help record attendance when
    nobody at the factory has an account.
    """
    parent = registration.session
    participant = registration.participant
    factory = participant.factory
    engagements = [e for e in parent.engagements.all() if e.factory_id == factory.pk]
    language = details.language or participant.language or parent.language
    run_by = participant.name if details.facilitator_name is None else details.facilitator_name
    return session_create(
        by=by,
        details=SessionDetails(
            module=parent.module,
            adaptation=parent.adaptation,
            language=language,
            delivery_model=DeliveryModel.BLENDED,
            date=details.date,
            starts_at=details.starts_at or parent.starts_at,
            ends_at=details.ends_at or parent.ends_at,
            venue=details.venue,
            facilitator_name=run_by,
        ),
        provider=parent.provider,
        organising_factory=factory,
        engagements=engagements,
        parent=parent,
        representative=participant,
    )


@transaction.atomic
def reflection_record(
    *, session: Session, by: User | None, went_well: str, to_change: str, held: bool = True
) -> Session:
    """Record the facilitator's reflection after the session; it marks the session held."""
    session.reflection_went_well = went_well
    session.reflection_to_change = to_change
    if held and session.status == Session.Status.PLANNED:
        session.status = Session.Status.HELD
    session._history_user = by  # type: ignore[attr-defined]
    session.full_clean()
    session.save()
    return session


# --- venues ---------------------------------------------------------------------------------


def venue_create(
    *,
    by: User | None,
    details: VenueDetails,
    provider: Organisation | None = None,
    factory: Factory | None = None,
) -> Venue:
    """Add a venue: a room in a factory (factory set) or an external venue of an organiser."""
    if provider is None and factory is None:
        raise ValidationError(_("A venue belongs to an organiser or to a factory."))
    venue = Venue(provider=provider, factory=factory)
    details.apply(venue)
    venue.full_clean()
    venue.save()
    return venue


# --- participants ---------------------------------------------------------------------------


def participant_duplicates(*, factory: Factory, name: str, exclude: int | None = None) -> Any:
    """Participants of the factory with the same name (ignoring case and spacing)."""
    qs = Participant.objects.filter(factory=factory, name__iexact=normalise_name(name))
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs


@transaction.atomic
def participant_create(
    *, factory: Factory, by: User | None, details: ParticipantDetails
) -> Participant:
    """Record a person once; they keep one record across every session they attend."""
    participant = Participant(factory=factory)
    details.apply(participant)
    participant.name = normalise_name(participant.name)
    participant._history_user = by  # type: ignore[attr-defined]
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, by: User | None, details: ParticipantDetails
) -> Participant:
    details.apply(participant)
    participant.name = normalise_name(participant.name)
    participant._history_user = by  # type: ignore[attr-defined]
    participant.full_clean()
    participant.save()
    return participant


# --- registrations and groups ---------------------------------------------------------------


@transaction.atomic
def registration_add(
    *, session: Session, participant: Participant, by: User | None
) -> Registration:
    """Register a participant for a session; they must come from a factory in the session."""
    if participant.factory_id not in session_factory_ids(session):
        raise ValidationError(_("This person's factory does not take part in this session."))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    registration = Registration(session=session, participant=participant)
    registration._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(_("This person is already registered for this session.")) from None
    return registration


@transaction.atomic
def registration_remove(*, registration: Registration, by: User | None) -> None:
    """Take a person off the list; once attendance is recorded, the record stays."""
    if registration.present is not None:
        raise ValidationError(_("Attendance is recorded for this person: it cannot be removed."))
    registration._history_user = by  # type: ignore[attr-defined]
    registration.delete()


@transaction.atomic
def groups_form(*, session: Session, by: User | None) -> list[Group]:
    """Form groups of 5-7 from the registered participants, replacing any groups there were."""
    registrations = list(session.registrations.exclude(present=False).select_related("participant"))
    people = [
        grouping.Person(
            key=r.pk,
            sex=r.participant.sex,
            department=r.participant.department,
            role=r.participant.role,
        )
        for r in registrations
    ]
    placed = grouping.form_groups(people)
    session.registrations.update(group=None, group_role="")
    session.groups.filter(action_items__isnull=True).delete()
    by_pk = {r.pk: r for r in registrations}
    groups = []
    for number, members in enumerate(placed, start=1):
        group, _created = Group.objects.get_or_create(session=session, number=number)
        groups.append(group)
        roles = grouping.assign_roles(members)
        for person in members:
            registration = by_pk[person.key]  # type: ignore[index]
            registration.group = group
            registration.group_role = roles.get(person.key, "")
            registration._history_user = by  # type: ignore[attr-defined]
            registration.save(update_fields=["group", "group_role"])
    return groups


@transaction.atomic
def roles_rotate(*, session: Session, by: User | None) -> None:
    """Pass the reader, time keeper and note taker roles to the next people in each group."""
    registrations = list(
        session.registrations.filter(group__isnull=False).select_related("participant")
    )
    by_group: dict[int, list[Registration]] = {}
    for r in registrations:
        by_group.setdefault(r.group_id, []).append(r)  # type: ignore[arg-type]
    for members in by_group.values():
        people = [
            grouping.Person(key=r.pk, sex=r.participant.sex, role=r.participant.role)
            for r in members
        ]
        ordered = sorted(people, key=lambda p: (grouping.ROLE_PRIORITY.get(p.role, 3), str(p.key)))
        reader = next(
            (r.pk for r in members if r.group_role == Registration.GroupRole.READER), None
        )
        # The turn is the position of the current reader, plus one.
        current = next((i for i, p in enumerate(ordered) if p.key == reader), -1)
        roles = grouping.assign_roles(people, turn=current + 1)
        for r in members:
            role = roles.get(r.pk, "")
            if role != r.group_role:
                r.group_role = role
                r._history_user = by  # type: ignore[attr-defined]
                r.save(update_fields=["group_role"])


@transaction.atomic
def group_move(
    *, registration: Registration, number: int | None, by: User | None, group_role: str = ""
) -> Registration:
    """Move a participant to group `number` (created if needed), or out of every group (None)."""
    group = None
    if number is not None:
        if number < 1 or number > 99:
            raise ValidationError(_("Choose a group number from 1 to 99."))
        group, _created = Group.objects.get_or_create(session=registration.session, number=number)
    if group_role and group_role not in Registration.GroupRole.values:
        raise ValidationError(_("Choose a role in the group."))
    registration.group = group
    registration.group_role = group_role if group else ""
    registration._history_user = by  # type: ignore[attr-defined]
    registration.save(update_fields=["group", "group_role"])
    registration.session.groups.filter(members__isnull=True).exclude(
        action_items__isnull=False
    ).delete()
    return registration


# --- attendance -----------------------------------------------------------------------------


def _refuse_before_start(session: Session) -> None:
    if not session_started(session):
        raise ValidationError(
            _("Attendance cannot be recorded for a session that has not started.")
        )
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))


@transaction.atomic
def attendance_record(
    *, registration: Registration, present: bool, by: User | None, method: str = "tap"
) -> Registration:
    """Record whether a registered person came; refused before the session starts.

    A record made "by QR code" is a self check-in and follows its rules (attendance_check_in),
    whoever passes it on: it never changes what the facilitator recorded.
    """
    if method not in Registration.Method.values:
        raise ValueError(f"Unknown attendance method: {method}")
    if method == Registration.Method.QR:
        if not present:
            raise ValidationError(_("Self check-in only records that a person came."))
        if attendance_check_in(registration=registration, by=by) is CheckIn.RECORDED:
            raise ValidationError(
                _(
                    "The facilitator already recorded this person's attendance: "
                    "self check-in does not change it."
                )
            )
        return registration
    _refuse_before_start(registration.session)
    registration.present = bool(present)
    registration.method = method
    registration.recorded_at = timezone.now()
    registration.recorded_by = by
    registration._history_user = by  # type: ignore[attr-defined]
    registration.save(update_fields=["present", "method", "recorded_at", "recorded_by"])
    return registration


class CheckIn(StrEnum):
    """What a self check-in did."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"  # checked in before: nothing to do
    RECORDED = "recorded"  # the facilitator had recorded attendance: it stands


def check_in_open(session: Session, *, now: datetime | None = None) -> bool:
    """Whether self check-in is open: from the session's start until the end of its day."""
    if session.status == Session.Status.CANCELLED or not session_started(session, now=now):
        return False
    return (now or timezone.now()) < session_day_ends(session)


@transaction.atomic
def attendance_check_in(*, registration: Registration, by: User | None) -> CheckIn:
    """Mark a person present by self check-in, only if no attendance is recorded for them yet.

    Attendance is evidence for certificates and for the programme's results, and anyone with
    the QR code can tap any name: self check-in only fills a gap, and whatever the facilitator
    recorded (present or absent, by tap, sheet or import) stands until the facilitator
    changes it.
    """
    session = registration.session
    _refuse_before_start(session)
    if not check_in_open(session):
        raise ValidationError(
            _(
                "Check-in is open from the start of the session until the end of its day. "
                "Ask the facilitator."
            )
        )
    # Lock the row so a facilitator's tap at the same moment is never overwritten.
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.present is not None:
        for name in ("present", "method", "recorded_at", "recorded_by_id"):
            setattr(registration, name, getattr(current, name))
        if current.present and current.method == Registration.Method.QR:
            return CheckIn.ALREADY
        return CheckIn.RECORDED
    registration.present = True
    registration.method = Registration.Method.QR
    registration.recorded_at = timezone.now()
    registration.recorded_by = by
    registration._history_user = by  # type: ignore[attr-defined]
    registration.save(update_fields=["present", "method", "recorded_at", "recorded_by"])
    return CheckIn.CHECKED_IN


@transaction.atomic
def attendance_record_many(
    *,
    session: Session,
    marks: Iterable[tuple[Registration, bool]],
    by: User | None,
    method: str,
) -> int:
    """Record attendance for many people at once (sheet, import): all of it or none."""
    _refuse_before_start(session)
    count = 0
    for registration, present in marks:
        if registration.session_id != session.pk:
            raise ValidationError(_("This person is not registered for this session."))
        registration.session = session
        attendance_record(registration=registration, present=present, by=by, method=method)
        count += 1
    return count
