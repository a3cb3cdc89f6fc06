"""Writes for committees, members, elections, meetings, decisions, approvals and reviews.

Views, the API and the demo data all call these; none of them writes a model directly. Each
write's editable fields are one dataclass (`MemberDetails`, ...): the forms and serializers take
their field lists from it, so a field is named once. Every refusal is a ValidationError with
translated messages keyed by field, raised before anything is written.
"""

import dataclasses
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fithub.accounts.models import FactoryMembership, User
from fithub.committees import checks
from fithub.committees.checklist import DEFAULT_CHECKLIST
from fithub.committees.models import (
    Attendance,
    Candidate,
    ChecklistItem,
    Committee,
    Decision,
    Election,
    Meeting,
    Member,
    MinutesApproval,
    Review,
    ReviewAnswer,
    Side,
)
from fithub.committees.scoping import advisors_of
from fithub.factories.models import Factory, TeamMember
from fithub.lib.details import Details

Errors = dict[str, list[str]]


@dataclasses.dataclass(frozen=True, kw_only=True)
class CommitteeDetails(Details):
    name: str = ""
    established_on: date | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class MemberDetails(Details):
    name: str
    side: str
    selection: str
    role: str = Member.Role.MEMBER
    sex: str
    department: str
    union_member: bool = False
    term_starts_on: date
    term_ends_on: date | None = None
    user: User | None = None
    team_member: TeamMember | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ElectionDetails(Details):
    title: str
    seats: int
    nomination_opens_on: date
    nomination_closes_on: date
    eligible_voters: int | None = None
    guided_by: User | None = None
    notes: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class CandidateDetails(Details):
    name: str
    sex: str
    department: str
    union_member: bool = False
    nominated_on: date | None = None
    team_member: TeamMember | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class MeetingDetails(Details):
    held_on: date
    starts_at: time | None = None
    agenda: str = ""
    minutes: str = ""
    others_present: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class DecisionDetails(Details):
    text: str
    owner: Member | None = None
    owner_name: str = ""
    due_on: date | None = None


MEMBER_FIELDS = MemberDetails.field_names()
ELECTION_FIELDS = ElectionDetails.field_names()
CANDIDATE_FIELDS = CandidateDetails.field_names()
MEETING_FIELDS = MeetingDetails.field_names()
DECISION_FIELDS = DecisionDetails.field_names()
COMMITTEE_FIELDS = CommitteeDetails.field_names()


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def same_person_key(name: str) -> str:
    """Compare names as people read them: one Unicode form, spaces and case ignored."""
    return _clean(name).casefold()


def _save(obj: Any, by: User | None, **full_clean: Any) -> None:
    obj._history_user = by  # the audit trail records who
    obj.full_clean(**full_clean)
    obj.save()


def _today() -> date:
    return timezone.localdate()


# --- the committee ---------------------------------------------------------------------------


@transaction.atomic
def committee_create(
    *, factory: Factory, details: CommitteeDetails | None = None, by: User | None
) -> Committee:
    """Record that the factory has a bipartite committee (one per factory, kept across cycles)."""
    details = details or CommitteeDetails()
    if Committee.objects.filter(factory=factory).exists():
        raise ValidationError(_("This factory's committee is already recorded."))
    committee = Committee(factory=factory, **dataclasses.asdict(details))
    committee.name = _clean(committee.name)
    _save(committee, by)
    return committee


@transaction.atomic
def committee_update(*, committee: Committee, details: CommitteeDetails, by: User | None) -> None:
    """Change the committee's name or founding date."""
    committee.name = _clean(details.name)
    committee.established_on = details.established_on
    _save(committee, by)


# --- members ---------------------------------------------------------------------------------


def _check_member(member: Member, committee: Committee) -> None:
    errors: Errors = {}
    if (
        member.term_ends_on
        and member.term_starts_on
        and member.term_ends_on < member.term_starts_on
    ):
        _add(errors, "term_ends_on", _("The term cannot end before it starts."))
    if member.left_on and member.term_starts_on and member.left_on < member.term_starts_on:
        _add(errors, "left_on", _("A member cannot leave before their term starts."))
    values = {"name": member.name}
    if member.user_id is not None:
        roles = set(
            FactoryMembership.objects.filter(
                user_id=member.user_id, factory_id=committee.factory_id
            ).values_list("role", flat=True)
        )
        if not roles:
            _add(errors, "user", _("Choose someone with a FIT Hub account at this factory."))
        elif member.side == Side.WORKER and roles & {
            FactoryMembership.Role.COORDINATOR,
            FactoryMembership.Role.MANAGER,
        }:
            _add(
                errors,
                "side",
                _(
                    "%(name)s manages the factory's work in FIT Hub, so cannot sit on the "
                    "workers' side."
                )
                % values,
            )
        elif member.side == Side.MANAGEMENT and FactoryMembership.Role.WORKER_REP in roles:
            _add(
                errors,
                "side",
                _(
                    "%(name)s is a worker representative in FIT Hub, so cannot sit on the "
                    "management side."
                )
                % values,
            )
    if member.team_member_id is not None:
        team = member.team_member
        assert team is not None
        if team.factory_id != committee.factory_id:
            _add(errors, "team_member", _("Choose a member of this factory's improvement team."))
        elif member.side == Side.WORKER and team.role in (
            TeamMember.Role.COORDINATOR,
            TeamMember.Role.MANAGER,
        ):
            _add(
                errors,
                "side",
                _(
                    "%(name)s is a manager on the improvement team, so cannot sit on the "
                    "workers' side."
                )
                % values,
            )
        elif member.side == Side.MANAGEMENT and team.role in (
            TeamMember.Role.WORKER,
            TeamMember.Role.WORKER_REP,
        ):
            _add(
                errors,
                "side",
                _(
                    "%(name)s is a worker on the improvement team, so cannot sit on the "
                    "management side."
                )
                % values,
            )
    _check_same_person(errors, member, committee)
    _raise(errors)


def _check_same_person(errors: Errors, member: Member, committee: Committee) -> None:
    """Refuse a person already on the committee: on the other side, or twice on one side."""
    if member.left_on is not None:
        return
    key = same_person_key(member.name)
    # Compared in Python: names need Unicode-aware case folding, which SQLite lacks.
    for other in committee.members.filter(left_on__isnull=True).exclude(pk=member.pk):
        matches = (
            same_person_key(other.name) == key
            or (member.user_id is not None and other.user_id == member.user_id)
            or (member.team_member_id is not None and other.team_member_id == member.team_member_id)
        )
        if not matches:
            continue
        values = {"name": other.name}
        if other.side == member.side:
            _add(errors, "name", _("%(name)s is already a member of this committee.") % values)
        elif other.side == Side.MANAGEMENT:
            _add(
                errors,
                "side",
                _(
                    "%(name)s already sits on the management side of this committee; a person "
                    "sits on one side only."
                )
                % values,
            )
        else:
            _add(
                errors,
                "side",
                _(
                    "%(name)s already sits on the workers' side of this committee; a person "
                    "sits on one side only."
                )
                % values,
            )
        return


@transaction.atomic
def member_add(*, committee: Committee, details: MemberDetails, by: User | None) -> Member:
    """Add a member to the committee, on one side only."""
    member = Member(committee=committee, **dataclasses.asdict(details))
    member.name = _clean(member.name)
    _check_member(member, committee)
    _save(member, by)
    return member


@transaction.atomic
def member_update(*, member: Member, details: MemberDetails, by: User | None) -> Member:
    """Change a member's details; the same rules as adding them apply."""
    for name, value in dataclasses.asdict(details).items():
        setattr(member, name, value)
    member.name = _clean(member.name)
    _check_member(member, member.committee)
    _save(member, by)
    return member


@transaction.atomic
def member_leave(*, member: Member, left_on: date, by: User | None) -> Member:
    """Record that a member left the committee; their past attendance stays on record."""
    if member.left_on is not None:
        raise ValidationError({"left_on": _("This member has already left the committee.")})
    member.left_on = left_on
    _check_member(member, member.committee)
    _save(member, by)
    return member


# --- elections -------------------------------------------------------------------------------


def _check_election(election: Election, committee: Committee) -> None:
    errors: Errors = {}
    opens, closes = election.nomination_opens_on, election.nomination_closes_on
    if opens and closes and closes < opens:
        _add(errors, "nomination_closes_on", _("Nominations cannot close before they open."))
    if closes and election.held_on and election.held_on <= closes:
        _add(errors, "nomination_closes_on", _("Nominations must close before the voting day."))
    if election.guided_by_id is not None and not (
        advisors_of(committee.factory).filter(pk=election.guided_by_id).exists()
    ):
        _add(
            errors,
            "guided_by",
            _("Choose an advisor of a service provider working with this factory."),
        )
    if (
        election.voters is not None
        and election.eligible_voters is not None
        and election.voters > election.eligible_voters
    ):
        _add(
            errors,
            "eligible_voters",
            _("More workers voted (%(voters)s) than may vote.") % {"voters": election.voters},
        )
    _raise(errors)


@transaction.atomic
def election_create(*, committee: Committee, details: ElectionDetails, by: User | None) -> Election:
    """Open an election of worker representatives, with its nomination period."""
    election = Election(committee=committee, **dataclasses.asdict(details))
    election.title = _clean(election.title)
    _check_election(election, committee)
    _save(election, by)
    return election


@transaction.atomic
def election_update(*, election: Election, details: ElectionDetails, by: User | None) -> Election:
    """Change an election's details; its candidates and results stay."""
    for name, value in dataclasses.asdict(details).items():
        setattr(election, name, value)
    election.title = _clean(election.title)
    _check_election(election, election.committee)
    _save(election, by)
    return election


def _period(election: Election) -> dict[str, str]:
    return {
        "opens": date_format(election.nomination_opens_on),
        "closes": date_format(election.nomination_closes_on),
    }


@transaction.atomic
def candidate_add(*, election: Election, details: CandidateDetails, by: User | None) -> Candidate:
    """Put a worker's candidacy on the list, during the nomination period."""
    candidate = Candidate(election=election, **dataclasses.asdict(details))
    candidate.name = _clean(candidate.name)
    errors: Errors = {}
    if election.has_results:
        _add(errors, NON_FIELD_ERRORS, _("The results are recorded: nobody else can stand."))
    nominated = candidate.nominated_on
    if nominated and not (
        election.nomination_opens_on <= nominated <= election.nomination_closes_on
    ):
        _add(
            errors,
            "nominated_on",
            _("Nominations were open from %(opens)s to %(closes)s.") % _period(election),
        )
    if candidate.team_member_id is not None:
        team = candidate.team_member
        assert team is not None
        if team.factory_id != election.committee.factory_id:
            _add(errors, "team_member", _("Choose a member of this factory's improvement team."))
    key = same_person_key(candidate.name)
    if any(same_person_key(c.name) == key for c in election.candidates.all()):
        _add(errors, "name", _("%(name)s is already a candidate.") % {"name": candidate.name})
    for m in election.committee.members.filter(left_on__isnull=True, side=Side.MANAGEMENT):
        if same_person_key(m.name) == key or (
            candidate.team_member_id is not None and m.team_member_id == candidate.team_member_id
        ):
            _add(
                errors,
                "name",
                _(
                    "%(name)s sits on the management side of this committee, so cannot stand "
                    "as a worker representative."
                )
                % {"name": m.name},
            )
            break
    _raise(errors)
    _save(candidate, by)
    return candidate


@transaction.atomic
def candidate_remove(*, candidate: Candidate, by: User | None) -> None:
    """Take a candidacy off the list, before the results are recorded."""
    if candidate.election.has_results:
        raise ValidationError(_("The results are recorded: the list of candidates is final."))
    candidate._history_user = by  # type: ignore[attr-defined]
    candidate.delete()


@transaction.atomic
def election_results_record(
    *,
    election: Election,
    held_on: date,
    voters: int,
    votes: Mapping[int, int],
    by: User | None,
) -> Election:
    """Enter the count: the workers who voted and each candidate's votes (by candidate id).

    Refused before the nomination period has ended, with a candidate on more votes than there
    were voters, or once the elected have joined the committee.
    """
    errors: Errors = {}
    candidates = list(election.candidates.all())
    if any(c.member_id is not None for c in candidates):
        raise ValidationError(
            _("The elected have joined the committee: the results can no longer change.")
        )
    if held_on <= election.nomination_closes_on:
        _add(
            errors,
            "held_on",
            _("Results are entered after the nomination period, which ends on %(date)s.")
            % {"date": date_format(election.nomination_closes_on)},
        )
    elif held_on > _today():
        _add(errors, "held_on", _("The voting day cannot be in the future."))
    if not candidates:
        _add(errors, "votes", _("Add the candidates before entering the results."))
    ids = {c.pk for c in candidates}
    if set(votes) - ids:
        _add(errors, "votes", _("Enter votes only for this election's candidates."))
    elif ids - set(votes):
        _add(errors, "votes", _("Enter the votes of every candidate, 0 for none."))
    if voters < 0 or any(v < 0 for v in votes.values()):
        _add(errors, "votes", _("Votes and voters cannot be negative."))
    for c in candidates:
        got = votes.get(c.pk)
        if got is not None and got > voters:
            _add(
                errors,
                "votes",
                _("%(name)s has %(votes)s votes, more than the %(voters)s workers who voted.")
                % {"name": c.name, "votes": got, "voters": voters},
            )
    total = sum(votes.values())
    if "votes" not in errors and total > voters * election.seats:
        _add(
            errors,
            "votes",
            _(
                "%(total)s votes in all is more than %(voters)s voters could cast for "
                "%(seats)s seats."
            )
            % {"total": total, "voters": voters, "seats": election.seats},
        )
    if election.eligible_voters is not None and voters > election.eligible_voters:
        _add(
            errors,
            "voters",
            _("More workers voted than may vote (%(eligible)s).")
            % {"eligible": election.eligible_voters},
        )
    _raise(errors)
    for c in candidates:
        c.votes = votes[c.pk]
        _save(c, by)
    election.held_on = held_on
    election.voters = voters
    election.recorded_by = by
    election.results_recorded_at = timezone.now()
    _save(election, by)
    return election


def election_outcome(election: Election) -> checks.Outcome:
    """Who the recorded votes elect (none before the results are in)."""
    if not election.has_results:
        return checks.Outcome([], [])
    return checks.election_outcome(
        election.seats, [(c.pk, c.votes or 0) for c in election.candidates.all()]
    )


@transaction.atomic
def election_elected_join(
    *,
    election: Election,
    term_starts_on: date,
    term_ends_on: date | None,
    by: User | None,
) -> list[Member]:
    """Seat the elected on the workers' side, once; a re-elected member keeps their seat."""
    errors: Errors = {}
    candidates = {c.pk: c for c in election.candidates.all()}
    if not election.has_results:
        raise ValidationError(_("Enter the results before the elected join the committee."))
    if any(c.member_id is not None for c in candidates.values()):
        raise ValidationError(_("The elected have already joined the committee."))
    outcome = election_outcome(election)
    if outcome.tied:
        names = ", ".join(candidates[i].name for i in outcome.tied)
        raise ValidationError(
            _("%(names)s are tied for the last seat: hold a run-off and enter its count first.")
            % {"names": names}
        )
    if not outcome.elected:
        raise ValidationError(_("Nobody was elected: no candidate received a vote."))
    if election.held_on and term_starts_on < election.held_on:
        _add(errors, "term_starts_on", _("A term starts on or after the voting day."))
    if term_ends_on is not None and term_ends_on < term_starts_on:
        _add(errors, "term_ends_on", _("The term cannot end before it starts."))
    _raise(errors)
    joined = []
    sitting = list(election.committee.members.filter(left_on__isnull=True, side=Side.WORKER))
    for pk in outcome.elected:
        c = candidates[pk]
        if (member := _sitting_as(c, sitting)) is not None:
            # A re-elected representative keeps their seat (and the meetings they attended);
            # the new term extends it.
            member.selection = Member.Selection.ELECTED
            member.term_ends_on = term_ends_on
            _save(member, by)
            c.member = member
            _save(c, by)
            joined.append(member)
            continue
        member = Member(
            committee=election.committee,
            name=c.name,
            side=Side.WORKER,
            selection=Member.Selection.ELECTED,
            union_member=c.union_member,
            sex=c.sex,
            department=c.department,
            team_member=c.team_member,
            term_starts_on=term_starts_on,
            term_ends_on=term_ends_on,
        )
        try:
            _check_member(member, election.committee)
        except ValidationError as e:
            for messages in e.message_dict.values():
                errors.setdefault(NON_FIELD_ERRORS, []).extend(messages)
            continue
        _save(member, by)
        c.member = member
        _save(c, by)
        joined.append(member)
    # All the elected or none: a refusal for one (already on the committee) writes nothing.
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    return joined


def _sitting_as(candidate: Candidate, sitting: list[Member]) -> Member | None:
    """Return the candidate's current seat on the workers' side, if they already hold one."""
    key = same_person_key(candidate.name)
    for m in sitting:
        if same_person_key(m.name) == key or (
            candidate.team_member_id is not None and m.team_member_id == candidate.team_member_id
        ):
            return m
    return None


# --- meetings --------------------------------------------------------------------------------


def _revise(meeting: Meeting) -> None:
    """Raise the meeting's revision: approvals of the earlier text no longer count."""
    Meeting.objects.filter(pk=meeting.pk).update(revision=F("revision") + 1)
    meeting.refresh_from_db(fields=["revision"])


def _check_attendee(meeting: Meeting, member: Member) -> None:
    values = {"name": member.name, "date": date_format(meeting.held_on)}
    if member.committee_id != meeting.committee_id:
        raise ValidationError({"member": _("%(name)s is not a member of this committee.") % values})
    if member.term_starts_on > meeting.held_on or (
        member.left_on is not None and member.left_on < meeting.held_on
    ):
        raise ValidationError({"member": _("%(name)s was not a member on %(date)s.") % values})


@transaction.atomic
def meeting_create(
    *,
    committee: Committee,
    details: MeetingDetails,
    attendees: Iterable[Member] = (),
    by: User | None,
) -> Meeting:
    """Record a committee meeting, with the members present."""
    meeting = Meeting(committee=committee, created_by=by, **dataclasses.asdict(details))
    _save(meeting, by)
    members = list(attendees)
    for member in members:
        _check_attendee(meeting, member)
    for member in dict.fromkeys(members):
        attendance = Attendance(meeting=meeting, member=member)
        attendance._history_user = by  # type: ignore[attr-defined]
        attendance.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, details: MeetingDetails, by: User | None) -> Meeting:
    """Change a meeting's date, agenda or minutes; approvals given before are asked for again."""
    before = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    after = dataclasses.asdict(details)
    if before == after:
        return meeting
    for name, value in after.items():
        setattr(meeting, name, value)
    members = meeting.attendances.select_related("member")
    for attendance in members:
        _check_attendee(meeting, attendance.member)
    meeting.revision = meeting.revision + 1
    _save(meeting, by)
    return meeting


@transaction.atomic
def attendee_add(*, meeting: Meeting, member: Member, by: User | None) -> Attendance:
    """Record a member as present at the meeting."""
    _check_attendee(meeting, member)
    if meeting.attendances.filter(member=member).exists():
        raise ValidationError(
            {"member": _("%(name)s is already recorded as present.") % {"name": member.name}}
        )
    attendance = Attendance(meeting=meeting, member=member)
    attendance._history_user = by  # type: ignore[attr-defined]
    attendance.save()
    _revise(meeting)
    return attendance


@transaction.atomic
def attendee_remove(*, attendance: Attendance, by: User | None) -> None:
    """Take a member off the meeting's attendance."""
    meeting = attendance.meeting
    attendance._history_user = by  # type: ignore[attr-defined]
    attendance.delete()
    _revise(meeting)


@transaction.atomic
def attendees_set(*, meeting: Meeting, members: Iterable[Member], by: User | None) -> None:
    """Make the meeting's attendance exactly these members (all checked before any is written)."""
    wanted = list(dict.fromkeys(members))
    for member in wanted:
        _check_attendee(meeting, member)
    current = {a.member_id: a for a in meeting.attendances.all()}
    wanted_ids = {m.pk for m in wanted}
    changed = False
    for member_id, attendance in current.items():
        if member_id not in wanted_ids:
            attendance._history_user = by  # type: ignore[attr-defined]
            attendance.delete()
            changed = True
    for member in wanted:
        if member.pk not in current:
            attendance = Attendance(meeting=meeting, member=member)
            attendance._history_user = by  # type: ignore[attr-defined]
            attendance.save()
            changed = True
    if changed:
        _revise(meeting)


def _check_decision(decision: Decision, meeting: Meeting) -> None:
    errors: Errors = {}
    if not decision.text:
        _add(errors, "text", _("Write down what was decided."))
    owner = decision.owner if decision.owner_id is not None else None
    if owner is not None and owner.committee_id != meeting.committee_id:
        _add(
            errors,
            "owner",
            _("%(name)s is not a member of this committee.") % {"name": owner.name},
        )
    _raise(errors)


@transaction.atomic
def decision_add(*, meeting: Meeting, details: DecisionDetails, by: User | None) -> Decision:
    """Record what the meeting decided; it takes the committee's next decision number."""
    decision = Decision(
        committee_id=meeting.committee_id,
        meeting=meeting,
        created_by=by,
        **dataclasses.asdict(details),
    )
    decision.text = (decision.text or "").strip()
    decision.owner_name = _clean(decision.owner_name)
    _check_decision(decision, meeting)
    # Lock the committee row so two decisions recorded at once do not take the same number.
    Committee.objects.select_for_update().filter(pk=meeting.committee_id).first()
    last = Decision.objects.filter(committee_id=meeting.committee_id).aggregate(n=Max("number"))
    decision.number = (last["n"] or 0) + 1
    _save(decision, by, exclude=["number"])
    _revise(meeting)
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, details: DecisionDetails, by: User | None) -> Decision:
    """Change a decision's text, owner or date; its number and identity stay."""
    for name, value in dataclasses.asdict(details).items():
        setattr(decision, name, value)
    decision.text = (decision.text or "").strip()
    decision.owner_name = _clean(decision.owner_name)
    _check_decision(decision, decision.meeting)
    _save(decision, by)
    _revise(decision.meeting)
    return decision


@transaction.atomic
def minutes_approve(*, meeting: Meeting, member: Member, by: User | None) -> MinutesApproval:
    """Record one member's approval of the minutes as they stand, for that member's side."""
    errors: Errors = {}
    if member.committee_id != meeting.committee_id:
        raise ValidationError(
            {"member": _("%(name)s is not a member of this committee.") % {"name": member.name}}
        )
    if member.left_on is not None and member.left_on < _today():
        _add(errors, "member", _("%(name)s has left the committee.") % {"name": member.name})
    if meeting.held_on > _today():
        _add(errors, NON_FIELD_ERRORS, _("Minutes are approved after the meeting."))
    if not meeting.minutes.strip():
        _add(errors, NON_FIELD_ERRORS, _("Write the minutes before they are approved."))
    meeting.refresh_from_db(fields=["revision"])
    earlier = (
        meeting.approvals.filter(revision=meeting.revision, side=member.side)
        .select_related("member")
        .first()
    )
    if earlier is not None:
        _add(errors, "member", _already_approved(earlier))
    _raise(errors)
    approval = MinutesApproval(
        meeting=meeting,
        member=member,
        side=member.side,
        revision=meeting.revision,
        approved_by=by,
        approved_at=timezone.now(),
    )
    approval._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError:
        # Someone approved for the same side a moment ago.
        earlier = meeting.approvals.filter(revision=meeting.revision, side=member.side).first()
        raise ValidationError(
            {"member": _already_approved(earlier) if earlier else _("Already approved.")}
        ) from None
    return approval


def _already_approved(earlier: MinutesApproval) -> str:
    values = {
        "name": earlier.member.name,
        "date": date_format(timezone.localdate(earlier.approved_at)),
    }
    if earlier.side == Side.MANAGEMENT:
        return (
            _("The management side has already approved these minutes (%(name)s, %(date)s).")
            % values
        )
    return _("The workers' side has already approved these minutes (%(name)s, %(date)s).") % values


# --- effectiveness reviews -------------------------------------------------------------------


@transaction.atomic
def review_create(
    *,
    committee: Committee,
    reviewed_on: date,
    answers: Mapping[ChecklistItem, int],
    notes: str = "",
    by: User | None,
) -> Review:
    """Record the advisor's review: an answer to every question asked; the score follows."""
    errors: Errors = {}
    if reviewed_on > _today():
        _add(errors, "reviewed_on", _("A review cannot be dated in the future."))
    asked = set(ChecklistItem.objects.filter(is_active=True).values_list("pk", flat=True))
    given = {item.pk for item in answers}
    if asked - given:
        _add(errors, "answers", _("Answer every question."))
    if given - asked:
        _add(errors, "answers", _("Answer only the questions asked today."))
    if any(a not in ReviewAnswer.Answer.values for a in answers.values()):
        _add(errors, "answers", _("Answer no, partly or yes."))
    _raise(errors)
    review = Review(committee=committee, reviewed_on=reviewed_on, reviewer=by, notes=notes.strip())
    _save(review, by)
    ReviewAnswer.objects.bulk_create(
        ReviewAnswer(review=review, item=item, answer=answer) for item, answer in answers.items()
    )
    return review


def checklist_defaults_load() -> int:
    """Add the default review questions that are missing; return how many were added."""
    added = 0
    for order, (code, weight, text) in enumerate(DEFAULT_CHECKLIST, start=1):
        _item, created = ChecklistItem.objects.get_or_create(
            code=code, defaults={"text": text, "weight": weight, "order": order * 10}
        )
        added += created
    return added
