"""Writes for improvement plans: items from every source, their status, evidence, sign-off.

Views, the API and the demo data all call these; none of them writes a model directly. An
item's editable fields are one dataclass (`ItemDetails`): forms and serializers take their field
lists from it. Every refusal is a ValidationError with translated messages (keyed by field
where there is one), raised before anything is written.
"""

import calendar
import dataclasses
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from fithub.accounts.models import FactoryMembership, User
from fithub.accounts.roles import FactoryRole, Kind, Role
from fithub.assessment.models import Answer
from fithub.catalogue.models import Module
from fithub.committees.models import Decision
from fithub.factories.models import Factory, TeamMember
from fithub.improvement import selectors
from fithub.improvement.models import (
    AdoptionFollowUp,
    AdvisoryVisit,
    ImprovementItem,
    ImprovementPlan,
    ItemComment,
    ItemEvidence,
    ItemTransition,
    PlanSignOff,
    ReminderDigest,
    Status,
)
from fithub.improvement.scoping import SIGNING_ROLES, followups_for, items_for
from fithub.lib.details import Details
from fithub.lib.evidence import evidence_prepare
from fithub.programmes.models import Engagement
from fithub.training.models import Group, Session
from fithub.training.services import session_factory_ids

Errors = dict[str, list[str]]
Source = ImprovementItem.Source


@dataclasses.dataclass(frozen=True, kw_only=True)
class ItemDetails(Details):
    """What the factory writes on an item; every source fills the same fields."""

    issue: str = ""
    root_cause: str = ""
    action: str = ""
    action_type: str = ImprovementItem.ActionType.IMPROVEMENT
    module: Module | None = None
    owner: TeamMember | None = None
    owner_name: str = ""
    department: str = ""
    due_on: date | None = None
    priority: int = ImprovementItem.Priority.NORMAL
    kpi: str = ""


ITEM_FIELDS = ItemDetails.field_names()

# Which status each move starts from, and where it leads.
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "start": ((Status.OPEN, Status.RETURNED), Status.IN_PROGRESS),
    "done": ((Status.OPEN, Status.IN_PROGRESS, Status.RETURNED), Status.DONE),
    "verify": ((Status.DONE,), Status.VERIFIED),
    "return": ((Status.DONE,), Status.RETURNED),
    "drop": ((Status.OPEN, Status.IN_PROGRESS, Status.RETURNED, Status.DONE), Status.DROPPED),
}
NEEDS_REASON = {"return", "drop"}


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _today() -> date:
    return timezone.localdate()


def _touch(plan: ImprovementPlan) -> None:
    """Date the plan's last change: a sign-off before it no longer stands."""
    plan.changed_at = timezone.now()
    ImprovementPlan.objects.filter(pk=plan.pk).update(changed_at=plan.changed_at)


# --- the plan --------------------------------------------------------------------------------


@transaction.atomic
def plan_for(*, engagement: Engagement, by: User | None) -> ImprovementPlan:
    """Return the engagement's improvement plan, starting it if there is none yet."""
    plan = ImprovementPlan.objects.filter(engagement=engagement).first()
    if plan is not None:
        return plan
    plan = ImprovementPlan(engagement=engagement, factory_id=engagement.factory_id)
    plan._history_user = by  # type: ignore[attr-defined]  # the audit trail records who
    plan.save()
    return plan


@transaction.atomic
def plan_sign_off(*, plan: ImprovementPlan, side: str, by: User) -> PlanSignOff:
    """Sign the plan as it stands, for the factory's management or its workers."""
    if side not in SIGNING_ROLES:
        raise ValidationError({"side": [_("Choose the side you sign for.")]})
    holds = FactoryMembership.objects.filter(
        user=by, factory_id=plan.factory_id, role=SIGNING_ROLES[PlanSignOff.Side(side)]
    ).exists()
    if not holds:
        raise ValidationError(
            {
                "side": [
                    _("Only a factory manager signs for management.")
                    if side == PlanSignOff.Side.MANAGER
                    else _("Only a worker representative signs for the workers.")
                ]
            }
        )
    if not plan.items.exists():
        raise ValidationError(_("The plan has no items to sign off yet."))
    if side in plan.standing_sign_offs():
        raise ValidationError(_("This side has already signed the plan as it stands."))
    return PlanSignOff.objects.create(plan=plan, side=side, signed_by=by)


# --- items -----------------------------------------------------------------------------------


def _check_item(item: ImprovementItem, *, created_on: date, earliest_due: date | None) -> None:
    errors: Errors = {}
    if not (item.issue or item.action):
        errors.setdefault("action", []).append(_("Say what the issue is or what will be done."))
    earliest = earliest_due or created_on
    if item.due_on is not None and item.due_on < earliest:
        errors.setdefault("due_on", []).append(
            _("The due date cannot be before the item was recorded.")
            if earliest_due is None
            else _("The due date cannot be before the session.")
        )
    if item.owner is not None and item.owner.factory_id != item.plan.factory_id:
        errors.setdefault("owner", []).append(
            _("Choose a member of this factory's improvement team.")
        )
    _raise(errors)


def _apply(item: ImprovementItem, details: ItemDetails) -> None:
    for name in ITEM_FIELDS:
        value = getattr(details, name)
        setattr(item, name, value.strip() if isinstance(value, str) else value)


def _save(item: ImprovementItem, by: User | None) -> None:
    item._history_user = by  # type: ignore[attr-defined]
    item.full_clean(exclude=["plan", "session", "group", "answer", "decision", "module", "owner"])
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Two people acting on the same statement at once: the constraint keeps one item.
        raise ValidationError(_("An item from this source is already in the plan.")) from None


@transaction.atomic
def item_create(
    *,
    plan: ImprovementPlan,
    details: ItemDetails,
    by: User | None,
    source: str = Source.MANUAL,
    source_ref: str = "",
    session: Session | None = None,
    group: Group | None = None,
    answer: Answer | None = None,
    decision: Decision | None = None,
) -> ImprovementItem:
    """Add an item to the plan, linked to where it came from (typed in when nothing else)."""
    item = ImprovementItem(
        plan=plan,
        source=source,
        source_ref=source_ref,
        session=session,
        group=group,
        answer=answer,
        decision=decision,
        created_by=by,
    )
    _apply(item, details)
    if source_ref and plan.items.filter(source_ref=source_ref).exists():
        raise ValidationError(_("An item from this source is already in the plan."))
    _check_item(item, created_on=_today(), earliest_due=session.date if session else None)
    _save(item, by)
    _touch(plan)
    return item


@transaction.atomic
def item_update(*, item: ImprovementItem, details: ItemDetails, by: User | None) -> ImprovementItem:
    """Change what an open item says; a verified or dropped item is closed."""
    if item.is_closed:
        raise ValidationError(_("A verified or dropped item cannot be changed."))
    item = ImprovementItem.objects.select_related("plan", "session").get(pk=item.pk)
    _apply(item, details)
    created_on = timezone.localdate(item.created_at)
    _check_item(
        item, created_on=created_on, earliest_due=item.session.date if item.session else None
    )
    _save(item, by)
    _touch(item.plan)
    return item


def _move(item: ImprovementItem, move: str, *, by: User | None, reason: str = "") -> ItemTransition:
    starts, to = MOVES[move]
    reason = (reason or "").strip()
    item = ImprovementItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    if item.status not in starts:
        raise ValidationError(
            _("An item that is “%(status)s” cannot become “%(to)s”.")
            % {"status": item.get_status_display(), "to": Status(to).label}
        )
    if move in NEEDS_REASON and not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    transition = ItemTransition.objects.create(
        item=item, from_status=item.status, to_status=to, by=by, reason=reason
    )
    item.status = to
    item._history_user = by  # type: ignore[attr-defined]
    item.save(update_fields=["status", "updated_at"])
    _touch(item.plan)
    return transition


@transaction.atomic
def item_start(*, item: ImprovementItem, by: User | None, reason: str = "") -> ItemTransition:
    """The factory starts work on an open or returned item."""
    return _move(item, "start", by=by, reason=reason)


@transaction.atomic
def item_done(*, item: ImprovementItem, by: User | None, reason: str = "") -> ItemTransition:
    """The factory says the item is done; the advisor then verifies or returns it."""
    return _move(item, "done", by=by, reason=reason)


@transaction.atomic
def item_verify(*, item: ImprovementItem, by: User | None, reason: str = "") -> ItemTransition:
    """The provider's advisor confirms, against the evidence, that the item is done."""
    return _move(item, "verify", by=by, reason=reason)


@transaction.atomic
def item_return(*, item: ImprovementItem, by: User | None, reason: str) -> ItemTransition:
    """The provider's advisor sends a done item back, saying why."""
    return _move(item, "return", by=by, reason=reason)


@transaction.atomic
def item_drop(*, item: ImprovementItem, by: User | None, reason: str) -> ItemTransition:
    """The factory gives an item up, saying why."""
    return _move(item, "drop", by=by, reason=reason)


@transaction.atomic
def items_import(
    *, plan: ImprovementPlan, rows: list[ItemDetails], by: User | None
) -> list[ImprovementItem]:
    """Add the checked rows of an import to the plan: all of them, or (on any refusal) none."""
    return [item_create(plan=plan, details=details, by=by) for details in rows]


# --- evidence and comments -------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    item: ImprovementItem,
    upload: File[bytes],
    stage: str,
    by: User | None,
    caption: str = "",
) -> ItemEvidence:
    """Attach a photo or document from before or after the change (checked by content)."""
    if stage not in ItemEvidence.Stage.values:
        raise ValidationError({"stage": [_("Say whether this shows before or after.")]})
    if item.status == Status.DROPPED:
        raise ValidationError(_("A dropped item takes no more evidence."))
    prepared = evidence_prepare(upload)
    evidence = ItemEvidence(
        item=item,
        kind=prepared.kind,
        stage=stage,
        caption=caption.strip(),
        original_name=prepared.original_name[:255],
        uploaded_by=by,
    )
    evidence.file.save(prepared.name, prepared.content, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def comment_add(*, item: ImprovementItem, text: str, by: User | None) -> ItemComment:
    """Add a comment to the item's discussion."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a comment.")]})
    comment = ItemComment(item=item, text=text, by=by)
    comment.full_clean(exclude=["item", "by"])
    comment.save()
    return comment


# --- adoption follow-ups --------------------------------------------------------------------

# How long before its due date a follow-up may already be answered (an early visit).
FOLLOWUP_OPENS_DAYS = 14


@dataclasses.dataclass(frozen=True, kw_only=True)
class FollowUpAnswer(Details):
    """What a follow-up records: is the practice in use, and a note on what was seen."""

    in_use: str
    note: str = ""


FOLLOWUP_FIELDS = FollowUpAnswer.field_names()


def add_months(day: date, months: int) -> date:
    """The same day of the month so many months on (the month's last day if it is shorter)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def followups_schedule(*, session: Session) -> list[AdoptionFollowUp]:
    """Schedule the 1- and 3-month follow-ups of a held session for each factory it trained.

    Idempotent: what exists stays as it is, so it runs on every save of the session and daily.
    """
    if session.status != Session.Status.HELD:
        return []
    made: list[AdoptionFollowUp] = []
    for factory in Factory.objects.filter(pk__in=session_factory_ids(session)):
        try:
            engagement = session_engagement(session, factory)
        except ValidationError:
            continue  # a factory with no engagement has no plan to follow up in
        for months in AdoptionFollowUp.Round.values:
            followup, created = AdoptionFollowUp.objects.get_or_create(
                engagement=engagement,
                session=session,
                months=months,
                defaults={"factory": factory, "due_on": add_months(session.date, months)},
            )
            if created:
                made.append(followup)
    return made


def followups_schedule_all() -> int:
    """Schedule the follow-ups of every held session that lacks them; return how many."""
    sessions = (
        Session.objects.filter(status=Session.Status.HELD)
        .exclude(adoption_followups__months=AdoptionFollowUp.Round.THREE_MONTHS)
        .prefetch_related("engagements")
    )
    return sum(len(followups_schedule(session=s)) for s in sessions)


@transaction.atomic
def followup_answer(
    *,
    followup: AdoptionFollowUp,
    answer: FollowUpAnswer,
    by: User | None,
    evidence: File[bytes] | None = None,
) -> AdoptionFollowUp:
    """Record whether the module's practice is in use, with a note and optional evidence."""
    followup = (
        AdoptionFollowUp.objects.select_for_update().select_related("session").get(pk=followup.pk)
    )
    errors: Errors = {}
    if answer.in_use not in AdoptionFollowUp.InUse.values:
        errors["in_use"] = [_("Say whether the practice is in use.")]
    opens = followup.due_on - timedelta(days=FOLLOWUP_OPENS_DAYS)
    if _today() < opens:
        errors.setdefault("in_use", []).append(
            _("It is too early for this follow-up: it opens on %(date)s.")
            % {"date": formats.date_format(opens, "SHORT_DATE_FORMAT")}
        )
    if followup.session.status != Session.Status.HELD:
        errors.setdefault("in_use", []).append(_("This session was not held."))
    _raise(errors)
    prepared = evidence_prepare(evidence) if evidence is not None else None
    followup.in_use = answer.in_use
    followup.note = answer.note.strip()
    followup.answered_by = by
    followup.answered_at = timezone.now()
    followup.full_clean(exclude=["engagement", "factory", "session", "answered_by", "evidence"])
    if prepared is not None:
        followup.evidence_kind = prepared.kind
        followup.evidence_name = prepared.original_name[:255]
        followup.evidence.save(prepared.name, prepared.content, save=False)
    followup._history_user = by  # type: ignore[attr-defined]
    followup.save()
    return followup


# --- advisory visits recorded offline ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class VisitMove:
    """A status an offline visit found an item in: the move that gets it there, and why."""

    item: ImprovementItem
    move: str
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class VisitAnswer:
    followup: AdoptionFollowUp
    answer: FollowUpAnswer


@transaction.atomic
def visit_record(
    *,
    plan: ImprovementPlan,
    instance_id: str,
    visited_on: date | None,
    moves: list[VisitMove],
    answers: list[VisitAnswer],
    by: User | None,
) -> AdvisoryVisit:
    """Apply what an offline visit recorded, once per instance ID: all of it, or nothing."""
    if AdvisoryVisit.objects.filter(instance_id=instance_id).exists():
        raise ValidationError(_("This visit was imported already."))
    for m in moves:
        if m.item.plan_id != plan.pk:
            raise ValidationError(_("This item is of another plan."))
        _move(m.item, m.move, by=by, reason=m.reason)
    for a in answers:
        if a.followup.engagement_id != plan.engagement_id:
            raise ValidationError(_("This follow-up is of another engagement."))
        followup_answer(followup=a.followup, answer=a.answer, by=by)
    try:
        with transaction.atomic():
            return AdvisoryVisit.objects.create(
                plan=plan,
                instance_id=instance_id,
                visited_on=visited_on,
                recorded_by=by,
                items_moved=len(moves),
                followups_answered=len(answers),
            )
    except IntegrityError:  # the same export imported twice at once
        raise ValidationError(_("This visit was imported already.")) from None


# --- the daily reminder digest ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Digest:
    """What one reader's reminder holds: only what that reader may see and act on."""

    items: list[ImprovementItem]
    followups: list[AdoptionFollowUp]


def reminder_recipients() -> QuerySet[User]:
    """Who gets a daily digest: each factory's coordinator, and the providers' facilitators.

    An item's owner is a member of the improvement team, who has no account to write to: the
    coordinator's digest names each item's owner instead.
    """
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(factory_memberships__role=FactoryRole.COORDINATOR)
            | Q(
                memberships__role=Role.FACILITATOR,
                memberships__organisation__kind=Kind.SERVICE_PROVIDER,
            )
        )
        .distinct()
        .order_by("pk")
    )


def digest_for(user: User, *, day: date) -> Digest:
    """The reader's overdue and soon-due items and follow-ups, through the scoping rules."""
    # Items the reader moves on (the factory's editors); follow-ups the reader answers.
    items = list(selectors.items_due(items_for(user, write=True), today=day))
    followups = list(
        selectors.followups_due(followups_for(user, write=True), today=day).order_by("due_on", "pk")
    )
    return Digest(items=items, followups=followups)


def digest_send(*, user: User, day: date) -> ReminderDigest | None:
    """E-mail the reader's digest for the day, once: a second call that day sends nothing."""
    if ReminderDigest.objects.filter(user=user, day=day).exists():
        return None
    digest = digest_for(user, day=day)
    if not (digest.items or digest.followups):
        return None
    with translation.override(user.language):
        subject = _("FIT Hub: what is due in your improvement plans")
        body = render_to_string(
            "improvement/email/digest.txt",
            {
                "user": user,
                "day": day,
                "items": digest.items,
                "followups": digest.followups,
                "site": settings.SITE_URL,
            },
        )
    try:
        with transaction.atomic():
            # The row is the promise "sent today": if sending fails it is rolled back with it,
            # and if another worker got here first the constraint stops this one.
            record = ReminderDigest.objects.create(
                user=user, day=day, items=len(digest.items), followups=len(digest.followups)
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return None
    return record


def reminders_send(*, day: date | None = None) -> int:
    """Send the day's digests to everyone with something due; return how many were sent."""
    day = day or _today()
    followups_schedule_all()  # a session held without a save signal (bulk, raw) is caught up
    return sum(digest_send(user=user, day=day) is not None for user in reminder_recipients())


# --- items from other sources ----------------------------------------------------------------


def session_engagement(session: Session, factory: Factory) -> Engagement:
    """The engagement whose plan a session's item for this factory joins."""
    found = [e for e in session.engagements.all() if e.factory_id == factory.pk]
    if found:
        return found[0]
    # A factory's own session (laissez-faire, a cascade) may name no engagement of it.
    latest = factory.engagements.order_by("-cycle", "-pk").first()
    if latest is None:
        raise ValidationError(
            {"factory": [_("This factory has no engagement to hold its improvement plan.")]}
        )
    return latest


@transaction.atomic
def session_item_add(
    *,
    session: Session,
    by: User | None,
    description: str,
    factory: Factory | None = None,
    group: Group | None = None,
    owner_name: str = "",
    due_on: date | None = None,
) -> ImprovementItem:
    """Record an improvement a group decided at the end of a module; it joins the plan."""
    factory_ids = session_factory_ids(session)
    if factory is None:
        if len(factory_ids) != 1:
            raise ValidationError({"factory": _("Choose the factory this improvement is for.")})
        factory = Factory.objects.get(pk=next(iter(factory_ids)))
    if factory.pk not in factory_ids:
        raise ValidationError({"factory": _("This factory does not take part in this session.")})
    if group is not None and group.session_id != session.pk:
        raise ValidationError({"group": _("This group is of another session.")})
    plan = plan_for(engagement=session_engagement(session, factory), by=by)
    details = ItemDetails(
        action=description,
        owner_name=owner_name,
        due_on=due_on,
        module=session.module,
        action_type=ImprovementItem.ActionType.IMPROVEMENT,
    )
    return item_create(
        plan=plan, details=details, by=by, source=Source.SESSION, session=session, group=group
    )


@transaction.atomic
def item_from_statement(
    *, plan: ImprovementPlan, answer: Answer, by: User | None, details: ItemDetails | None = None
) -> ImprovementItem:
    """Act on a statement the factory answered "no" (once per statement in a plan)."""
    if answer.assessment.factory_id != plan.factory_id:
        raise ValidationError(_("This answer is of another factory."))
    if answer.value is not False:
        raise ValidationError(_("Only a statement answered “no” becomes an item."))
    statement = answer.statement
    details = details or ItemDetails(
        issue=statement.text_text,
        module=statement.modules.first(),
        action_type=ImprovementItem.ActionType.CORRECTIVE,
    )
    return item_create(
        plan=plan,
        details=details,
        by=by,
        source=Source.STATEMENT,
        source_ref=f"statement:{statement.pk}",
        answer=answer,
    )


@transaction.atomic
def item_from_decision(
    *, plan: ImprovementPlan, decision: Decision, by: User | None
) -> ImprovementItem:
    """Turn a committee decision into an item (once: the item holds the decision)."""
    if decision.committee.factory_id != plan.factory_id:
        raise ValidationError(_("This decision is of another factory's committee."))
    if ImprovementItem.objects.filter(decision=decision).exists():
        raise ValidationError(_("An item from this source is already in the plan."))
    details = ItemDetails(
        action=decision.text,
        owner_name=decision.owner.name if decision.owner else decision.owner_name,
        due_on=decision.due_on if decision.due_on and decision.due_on >= _today() else None,
    )
    return item_create(
        plan=plan,
        details=details,
        by=by,
        source=Source.DECISION,
        source_ref=f"decision:{decision.uid}",
        decision=decision,
    )


def finding_ref(*, tool: str, code: str) -> str:
    """The `source_ref` of a compliance finding: the compliance app creates items with it."""
    return f"finding:{tool}:{code}"
