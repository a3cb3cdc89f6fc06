"""Demo bipartite committees: one Bangladesh and one Karachi factory, each with an election,
meetings, decisions, approvals and an advisor's review. Called from seed_demo.

Everything goes through the committee services, as the pages would have written it. The
people are fictional; the demo factory manager, coordinator and worker representative logins
sit on their factory's committee, so the demo shows approving minutes for one's own side.
"""

from datetime import date, timedelta

from django.utils import timezone

from fithub.accounts.models import FactoryMembership, Membership, User
from fithub.committees import services
from fithub.committees.models import ChecklistItem, Committee, Meeting, Member
from fithub.factories.models import Factory

WORKER = "worker"
MANAGEMENT = "management"


def _advisor(factory: Factory) -> User | None:
    membership = (
        Membership.objects.filter(
            organisation=factory.registered_by, role=Membership.Role.FACILITATOR
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _login(factory: Factory, role: str) -> User | None:
    m = FactoryMembership.objects.filter(factory=factory, role=role).select_related("user").first()
    return m.user if m else None


def _seat(committee: Committee, name: str, side: str, sex: str, dept: str, **kw: object) -> Member:
    details = services.MemberDetails(
        name=name,
        side=side,
        selection="elected" if side == WORKER else "appointed",
        sex=sex,
        department=dept,
        term_starts_on=kw.pop("term_starts_on"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return services.member_add(committee=committee, details=details, by=None)


def _election(
    committee: Committee,
    *,
    title: str,
    opens: date,
    candidates: list[tuple[str, str, str, int]],
    voters: int,
    eligible: int,
    seats: int,
    term_years: int,
    advisor: User | None,
    recorder: User | None,
) -> list[Member]:
    election = services.election_create(
        committee=committee,
        details=services.ElectionDetails(
            title=title,
            seats=seats,
            nomination_opens_on=opens,
            nomination_closes_on=opens + timedelta(days=10),
            eligible_voters=eligible,
            guided_by=advisor,
            notes="Secret ballot on the factory floor, counted in front of both sides.",
        ),
        by=recorder,
    )
    votes = {}
    for name, sex, dept, count in candidates:
        c = services.candidate_add(
            election=election,
            details=services.CandidateDetails(
                name=name,
                sex=sex,
                department=dept,
                union_member=count % 2 == 0,
                nominated_on=opens + timedelta(days=3),
            ),
            by=recorder,
        )
        votes[c.pk] = count
    held = opens + timedelta(days=14)
    services.election_results_record(
        election=election, held_on=held, voters=voters, votes=votes, by=recorder
    )
    return services.election_elected_join(
        election=election,
        term_starts_on=held + timedelta(days=1),
        term_ends_on=held + timedelta(days=365 * term_years),
        by=recorder,
    )


def _meeting(
    committee: Committee,
    *,
    on: date,
    attendees: list[Member],
    agenda: str,
    minutes: str,
    decisions: list[tuple[str, Member | None, int]],
    approvers: list[tuple[Member, User | None]],
    recorder: User | None,
) -> Meeting:
    meeting = services.meeting_create(
        committee=committee,
        details=services.MeetingDetails(held_on=on, agenda=agenda, minutes=minutes),
        attendees=attendees,
        by=recorder,
    )
    for text, owner, due in decisions:
        services.decision_add(
            meeting=meeting,
            details=services.DecisionDetails(
                text=text, owner=owner, due_on=on + timedelta(days=due)
            ),
            by=recorder,
        )
    for member, by in approvers:
        services.minutes_approve(meeting=meeting, member=member, by=by)
    return meeting


def _review(committee: Committee, *, on: date, advisor: User | None, weak: set[str]) -> None:
    answers = {
        item: (1 if item.code in weak else 2)
        for item in ChecklistItem.objects.filter(is_active=True)
    }
    services.review_create(
        committee=committee,
        reviewed_on=on,
        answers=answers,
        notes="Both sides prepared the agenda together. Share the approved minutes on the notice "
        "board of every floor.",
        by=advisor,
    )


def _bangladesh(factory: Factory, today: date) -> None:
    manager = _login(factory, FactoryMembership.Role.MANAGER)
    advisor = _advisor(factory)
    committee = services.committee_create(
        factory=factory,
        details=services.CommitteeDetails(
            name="Participation Committee", established_on=today - timedelta(days=200)
        ),
        by=manager,
    )
    start = today - timedelta(days=200)
    chair = _seat(
        committee,
        manager.name if manager else "Md. Habibur Rahman",
        MANAGEMENT,
        "male",
        "management",
        role="chair",
        user=manager,
        term_starts_on=start,
    )
    hr = _seat(committee, "Farhana Yasmin", MANAGEMENT, "female", "hr", term_starts_on=start)
    compliance = _seat(
        committee, "Tanvir Ahmed", MANAGEMENT, "male", "compliance", term_starts_on=start
    )
    workers = _election(
        committee,
        title="Worker representatives",
        opens=today - timedelta(days=190),
        candidates=[
            ("Rokeya Begum", "female", "sewing", 412),
            ("Shahida Akter", "female", "finishing", 366),
            ("Mohammad Alamgir", "male", "cutting", 301),
            ("Nazma Khatun", "female", "sewing", 188),
            ("Abdul Karim", "male", "storeroom", 97),
        ],
        voters=684,
        eligible=820,
        seats=3,
        term_years=2,
        advisor=advisor,
        recorder=manager,
    )
    rokeya, shahida, alamgir = workers
    services.member_update(
        member=shahida,
        details=services.MemberDetails.from_mapping(
            {**{f: getattr(shahida, f) for f in services.MEMBER_FIELDS}, "role": "secretary"}
        ),
        by=manager,
    )
    everyone = [chair, hr, compliance, rokeya, shahida, alamgir]
    _meeting(
        committee,
        on=today - timedelta(days=150),
        attendees=everyone,
        agenda="1. How the committee works\n2. Heat on the sewing floor\n3. Drinking water",
        minutes="The committee agreed its rules: a meeting every month, the agenda sent a week "
        "before. Workers reported heat on sewing lines 3 to 6 in the afternoon.",
        decisions=[
            ("Measure the temperature on lines 3 to 6 twice a day for two weeks.", compliance, 14),
            ("Add two drinking-water points on the third floor.", hr, 30),
        ],
        approvers=[(chair, manager), (shahida, manager)],
        recorder=manager,
    )
    _meeting(
        committee,
        on=today - timedelta(days=90),
        attendees=[chair, hr, rokeya, shahida, alamgir],
        agenda="1. Temperature readings\n2. Maternity leave: who to ask",
        minutes="Readings reached 34 °C after 2 pm. Management will install exhaust fans. HR "
        "will explain maternity leave at every line meeting.",
        decisions=[
            ("Install exhaust fans on lines 3 to 6.", chair, 45),
            ("Explain maternity leave and benefits at every line meeting.", hr, 21),
        ],
        approvers=[(chair, manager), (rokeya, manager)],
        recorder=manager,
    )
    _meeting(
        committee,
        on=today - timedelta(days=20),
        attendees=[chair, compliance, rokeya, shahida],
        agenda="1. Fans: progress\n2. Training days still available",
        minutes="Four fans of six are installed. The committee proposes the next training on "
        "workplace cooperation for supervisors.",
        decisions=[("Ask the advisor to plan the workplace cooperation module.", shahida, 14)],
        approvers=[(chair, manager)],  # the workers' side has not approved yet
        recorder=manager,
    )
    _review(committee, on=today - timedelta(days=60), advisor=advisor, weak={"minutes_shared"})


def _karachi(factory: Factory, today: date) -> None:
    coordinator = _login(factory, FactoryMembership.Role.COORDINATOR)
    worker_rep = _login(factory, FactoryMembership.Role.WORKER_REP)
    advisor = _advisor(factory)
    committee = services.committee_create(
        factory=factory,
        details=services.CommitteeDetails(
            name="Bipartite committee", established_on=today - timedelta(days=400)
        ),
        by=coordinator,
    )
    start = today - timedelta(days=400)
    chair = _seat(
        committee, "Imran Sheikh", MANAGEMENT, "male", "management", role="chair",
        term_starts_on=start,
    )  # fmt: skip
    secretary = _seat(
        committee,
        coordinator.name if coordinator else "Nida Farooqui",
        MANAGEMENT,
        "female",
        "compliance",
        role="secretary",
        user=coordinator,
        term_starts_on=start,
    )
    shabana = _seat(
        committee,
        worker_rep.name if worker_rep else "Shabana Bibi",
        WORKER,
        "female",
        "sewing",
        role="vice_chair",
        user=worker_rep,
        union_member=True,
        term_starts_on=start,
        term_ends_on=today + timedelta(days=330),
    )
    # A term about to end shows the check the committee acts on: hold an election.
    aslam = _seat(
        committee, "Muhammad Aslam", WORKER, "male", "cutting", term_starts_on=start,
        term_ends_on=today + timedelta(days=30),
    )  # fmt: skip
    [rukhsana] = _election(
        committee,
        title="By-election, finishing floor",
        opens=today - timedelta(days=130),
        candidates=[
            ("Rukhsana Parveen", "female", "finishing", 143),
            ("Waqar Ali", "male", "finishing", 88),
        ],
        voters=231,
        eligible=260,
        seats=1,
        term_years=2,
        advisor=advisor,
        recorder=coordinator,
    )
    _meeting(
        committee,
        on=today - timedelta(days=75),
        attendees=[chair, secretary, shabana, aslam, rukhsana],
        agenda="1. Welcome to Rukhsana Parveen\n2. Overtime records\n3. First-aid boxes",
        minutes="Workers asked that overtime be shown on the pay slip. First-aid boxes on the "
        "finishing floor are empty.",
        decisions=[
            ("Show overtime hours and pay separately on every pay slip.", chair, 30),
            ("Refill the first-aid boxes and name a first-aider per floor.", secretary, 10),
        ],
        approvers=[(secretary, coordinator), (shabana, worker_rep)],
        recorder=coordinator,
    )
    _meeting(
        committee,
        on=today - timedelta(days=14),
        attendees=[chair, secretary, shabana, rukhsana],
        agenda="1. Pay slips: progress\n2. Fire drill",
        minutes="The new pay slip is printed from next month. The fire drill is set for the first "
        "Saturday of next month.",
        decisions=[("Hold a fire drill with every shift.", chair, 20)],
        approvers=[],  # both sides still to approve
        recorder=coordinator,
    )
    _review(committee, on=today - timedelta(days=40), advisor=advisor, weak={"women_represented"})


def seed(*, bd_factory: Factory, pk_factory: Factory, today: date | None = None) -> None:
    """Give one Bangladesh and one Karachi demo factory a committee with its history."""
    today = today or timezone.localdate()
    services.checklist_defaults_load()
    _bangladesh(bd_factory, today)
    _karachi(pk_factory, today)
