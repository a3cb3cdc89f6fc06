"""Reads that span the committee's records, for its pages and for the apps below it.

The read interface for later apps (none of these applies scoping: the caller shows the result
only to readers its own rules allow, e.g. `committees.scoping.committee_factories_for`, or a
release of progress report 2 to a buyer):

- improvement: `decision_records(decisions)` turns scoped decisions into `DecisionRecord`s, the
  facts a plan item is made from (see the models' docstring for the one-to-one link);
- cycles (timeline, differentiation): `meetings_held(factory=..., since=..., until=...)`
  counts quorate meetings; `elections_held(...)` the elections whose results are in;
  `committee_summary(committee)` gives members per side, the checks and the last meeting;
- reports (progress report 2, "PICC effectiveness"): `latest_review(factory=...)` returns the
  advisor's latest `ReviewSummary`, with its score and answers.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from fithub.committees import checks
from fithub.committees.models import (
    Attendance,
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
from fithub.factories.models import Factory

# --- members and checks ----------------------------------------------------------------------


def current_members(committee: Committee, *, today: date | None = None) -> QuerySet[Member]:
    """Return the members who have not left (a member leaving today still counts today)."""
    today = today or timezone.localdate()
    return committee.members.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))


def member_facts(members: Iterable[Member]) -> list[checks.MemberFacts]:
    return [checks.MemberFacts(m.name, m.side, m.sex, m.selection, m.term_ends_on) for m in members]


def workforce(factory: Factory) -> checks.Workforce:
    return checks.Workforce(factory.workers_female, factory.workers_male)


@dataclass
class CommitteeSummary:
    committee: Committee
    members: list[Member]
    checks: list[checks.Check]
    workers: int
    managers: int
    women_workers: int
    last_meeting: date | None
    meetings: int
    latest_review: "ReviewSummary | None" = None

    @property
    def problems(self) -> int:
        return sum(1 for c in self.checks if c.level != checks.Level.OK)


def committee_summary(committee: Committee, *, today: date | None = None) -> CommitteeSummary:
    """Return the committee's current members, its checks and its meetings, in four queries."""
    today = today or timezone.localdate()
    members = list(current_members(committee, today=today))
    meetings = committee.meetings.aggregate(n=Count("pk"), last=Max("held_on"))
    return CommitteeSummary(
        committee=committee,
        members=members,
        checks=checks.committee_checks(
            member_facts(members), workforce(committee.factory), today=today
        ),
        workers=sum(1 for m in members if m.side == Side.WORKER),
        managers=sum(1 for m in members if m.side == Side.MANAGEMENT),
        women_workers=sum(1 for m in members if m.side == Side.WORKER and m.sex == "female"),
        last_meeting=meetings["last"],
        meetings=meetings["n"],
        latest_review=latest_review(factory=committee.factory),
    )


# --- meetings --------------------------------------------------------------------------------


@dataclass
class ApprovalState:
    """Where a meeting's minutes stand: who approved the current revision for each side."""

    revision: int
    management: MinutesApproval | None = None
    worker: MinutesApproval | None = None
    # Approvals of an earlier revision: the minutes changed after them.
    earlier: list[MinutesApproval] = field(default_factory=list)

    @property
    def approved(self) -> bool:
        return self.management is not None and self.worker is not None

    @property
    def changed_after_approval(self) -> bool:
        return bool(self.earlier) and not self.approved


def approval_state(meeting: Meeting) -> ApprovalState:
    """Read the approvals (prefetched with `with_meeting_facts`) against the current revision."""
    state = ApprovalState(meeting.revision)
    for a in meeting.approvals.all():
        if a.revision != meeting.revision:
            state.earlier.append(a)
        elif a.side == Side.MANAGEMENT:
            state.management = a
        else:
            state.worker = a
    return state


def with_meeting_facts(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Fetch what a list of meetings shows, in a fixed number of queries whatever its length."""
    return qs.select_related("committee__factory").prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("member")),
        Prefetch("approvals", queryset=MinutesApproval.objects.select_related("member")),
        Prefetch("decisions", queryset=Decision.objects.select_related("owner")),
    )


@dataclass
class MeetingFacts:
    meeting: Meeting
    workers_present: list[Member]
    managers_present: list[Member]
    approval: ApprovalState

    @property
    def quorate(self) -> bool:
        return bool(self.workers_present) and bool(self.managers_present)


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    """Return who came from each side and where the approval stands (uses prefetched rows)."""
    present = [a.member for a in meeting.attendances.all()]
    return MeetingFacts(
        meeting,
        [m for m in present if m.side == Side.WORKER],
        [m for m in present if m.side == Side.MANAGEMENT],
        approval_state(meeting),
    )


def quorate_meetings(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Keep the meetings both sides attended, in the database."""
    sides = Attendance.objects.filter(meeting=OuterRef("pk"))
    return qs.filter(
        Exists(sides.filter(member__side=Side.WORKER)),
        Exists(sides.filter(member__side=Side.MANAGEMENT)),
    )


def meetings_held(*, factory: Factory, since: date, until: date, quorate: bool = True) -> int:
    """Count the factory's committee meetings from since to until (inclusive), quorate only."""
    qs = Meeting.objects.filter(committee__factory=factory, held_on__gte=since, held_on__lte=until)
    return (quorate_meetings(qs) if quorate else qs).count()


def elections_held(*, factory: Factory, since: date, until: date) -> QuerySet[Election]:
    """Return the factory's elections whose results were entered, by voting day in the range."""
    return Election.objects.filter(
        committee__factory=factory,
        results_recorded_at__isnull=False,
        held_on__gte=since,
        held_on__lte=until,
    ).order_by("held_on", "pk")


# --- decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRecord:
    """A decision as another app reads it: enough to make and describe a plan item."""

    id: int
    uid: UUID
    number: int
    factory_id: int
    committee_id: int
    meeting_id: int
    meeting_held_on: date
    text: str
    owner: str
    due_on: date | None
    url: str


def decision_records(decisions: QuerySet[Decision]) -> list[DecisionRecord]:
    """Return the decisions as `DecisionRecord`s, in two queries whatever their number."""
    rows = decisions.select_related("meeting", "committee", "owner").order_by("committee", "number")
    return [
        DecisionRecord(
            id=d.pk,
            uid=d.uid,
            number=d.number,
            factory_id=d.committee.factory_id,
            committee_id=d.committee_id,
            meeting_id=d.meeting_id,
            meeting_held_on=d.meeting.held_on,
            text=d.text,
            owner=d.owner_label,
            due_on=d.due_on,
            url=d.get_absolute_url(),
        )
        for d in rows
    ]


# --- reviews ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewAnswerFacts:
    question: str
    answer: int
    label: str
    weight: int


@dataclass(frozen=True)
class ReviewSummary:
    review: Review
    reviewed_on: date
    reviewer: str
    score: int | None
    answers: list[ReviewAnswerFacts]
    notes: str
    url: str


def review_summary(review: Review) -> ReviewSummary:
    """Return the review with its answers and its score (answers prefetched, or one query)."""
    answers = [
        ReviewAnswerFacts(a.item.text_text, a.answer, a.get_answer_display(), a.item.weight)
        for a in review.answers.all()
    ]
    return ReviewSummary(
        review=review,
        reviewed_on=review.reviewed_on,
        reviewer=str(review.reviewer) if review.reviewer else "—",
        score=checks.review_score(
            ((a.answer, a.weight) for a in answers), points=ReviewAnswer.POINTS
        ),
        answers=answers,
        notes=review.notes,
        url=review.get_absolute_url(),
    )


def with_answers(qs: QuerySet[Review]) -> QuerySet[Review]:
    return qs.select_related("reviewer").prefetch_related(
        Prefetch("answers", queryset=ReviewAnswer.objects.select_related("item"))
    )


def review_summaries(qs: QuerySet[Review]) -> list[ReviewSummary]:
    return [review_summary(r) for r in with_answers(qs)]


def latest_review(*, factory: Factory, until: date | None = None) -> ReviewSummary | None:
    """Return the advisor's latest review of the factory's committee (up to a date), or None."""
    qs = Review.objects.filter(committee__factory=factory)
    if until is not None:
        qs = qs.filter(reviewed_on__lte=until)
    review = with_answers(qs.order_by("-reviewed_on", "-pk")).first()
    return review_summary(review) if review else None


def committees_overview(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    """Annotate committees for the list: members per side, meetings, the last meeting."""
    current = Q(members__left_on__isnull=True) | Q(members__left_on__gte=timezone.localdate())
    return qs.select_related("factory").annotate(
        workers=Count("members", filter=current & Q(members__side=Side.WORKER), distinct=True),
        managers=Count("members", filter=current & Q(members__side=Side.MANAGEMENT), distinct=True),
        meeting_count=Count("meetings", distinct=True),
        last_meeting=Max("meetings__held_on"),
    )


def sides(members: Sequence[Member]) -> dict[str, list[Member]]:
    """Split members by side, management first as the minutes list them."""
    return {
        Side.MANAGEMENT: [m for m in members if m.side == Side.MANAGEMENT],
        Side.WORKER: [m for m in members if m.side == Side.WORKER],
    }
