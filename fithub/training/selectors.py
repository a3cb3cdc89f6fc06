"""Reads that span relations: a session's people and groups, cascades and their reach."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from fithub.factories.models import Factory
from fithub.programmes.models import Engagement
from fithub.training import checks
from fithub.training.models import Group, Registration, Session


def with_counts(qs: QuerySet[Session]) -> QuerySet[Session]:
    """Add registered and present counts to each session."""
    return qs.annotate(
        registered=Count("registrations", distinct=True),
        attended=Count("registrations", filter=Q(registrations__present=True), distinct=True),
    )


def of_factory(qs: QuerySet[Session], factory_id: int) -> QuerySet[Session]:
    """Keep the sessions a factory takes part in or organises."""
    return qs.filter(
        Q(engagements__factory=factory_id) | Q(organising_factory=factory_id)
    ).distinct()


def session_with_relations(qs: QuerySet[Session]) -> QuerySet[Session]:
    """What the session page shows of a session itself, in a fixed number of queries."""
    return qs.select_related(
        "module",
        "adaptation",
        "provider",
        "organising_factory",
        "venue",
        "facilitator",
        "parent__module",
        "representative",
    ).prefetch_related(
        Prefetch(
            "engagements",
            queryset=Engagement.objects.select_related("factory", "programme", "provider"),
        )
    )


def session_factories(session: Session) -> list[Factory]:
    """The factories a session takes people from (its engagements' and its organiser)."""
    found: dict[int, Factory] = {}
    for e in session.engagements.all():
        found.setdefault(e.factory_id, e.factory)
    if session.organising_factory_id and session.organising_factory:
        found.setdefault(session.organising_factory_id, session.organising_factory)
    return sorted(found.values(), key=lambda f: (f.name, f.pk))


def registrations(
    session: Session, *, visible: QuerySet[Registration] | None = None
) -> QuerySet[Registration]:
    """The session's registrations with their people and groups (only the visible ones, if given).

    Pass `visible=registrations_for(user)` wherever a user will see the people.
    """
    qs = session.registrations.all() if visible is None else visible.filter(session=session)
    return qs.select_related("participant__factory", "group").order_by("participant__name", "pk")


def plan_for(
    session: Session, regs: list[Registration], *, factories: list[Factory] | None = None
) -> checks.Plan:
    """The facts the planning checks need, from a session and its (loaded) registrations.

    The factory checks name the factory: give `factories` (those the reader may see) to keep
    the warnings about the others out.
    """
    venue = session.venue
    return checks.Plan(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        module_minutes=session.module.duration_minutes,
        factories=[
            checks.FactoryFacts(
                id=f.pk,
                name=f.name,
                women_from=f.women_available_from,
                women_until=f.women_available_until,
                share_women=f.share_women,
            )
            for f in (session_factories(session) if factories is None else factories)
        ],
        people=[
            checks.PersonFacts(
                factory_id=r.participant.factory_id,
                sex=r.participant.sex,
                needs_step_free=r.participant.needs_step_free,
            )
            for r in regs
            if r.present is not False
        ],
        venue=checks.VenueFacts(venue.name, venue.capacity, venue.step_free) if venue else None,
    )


@dataclass
class GroupView:
    number: int
    group: Group | None
    members: list[Registration] = field(default_factory=list)

    @property
    def women(self) -> int:
        return sum(1 for r in self.members if r.participant.sex == "female")


def groups_of(regs: list[Registration]) -> tuple[list[GroupView], list[Registration]]:
    """Split loaded registrations into groups (by number) and the people in no group."""
    by_number: dict[int, GroupView] = {}
    loose = []
    for r in regs:
        if r.group is None:
            loose.append(r)
            continue
        view = by_number.setdefault(r.group.number, GroupView(r.group.number, r.group))
        view.members.append(r)
    for view in by_number.values():
        view.members.sort(key=lambda r: (r.group_role == "", r.group_role, r.participant.name))
    return [by_number[n] for n in sorted(by_number)], loose


# --- cascades -------------------------------------------------------------------------------


@dataclass
class Node:
    session: Session
    present: int  # people present in this session
    children: list["Node"] = field(default_factory=list)
    visible: bool = True
    reach_people: int = 0  # distinct people present here and in every descendant
    reach_factories: int = 0


def cascade_root(session: Session) -> Session:
    """The classroom session a cascade starts from (follows `parent` upwards)."""
    seen = {session.pk}
    while session.parent_id and session.parent_id not in seen:
        seen.add(session.parent_id)
        parent = Session.objects.select_related("module").filter(pk=session.parent_id).first()
        if parent is None:
            break
        session = parent
    return session


def cascade(root: Session, visible: QuerySet[Session] | None = None) -> Node:
    """Build the tree below a session with its reach, one query per level plus one.

    Reach counts distinct people present in the session and in all its descendants, and the
    distinct factories they work in.
    """
    sessions: dict[int, Session] = {root.pk: root}
    children: dict[int, list[int]] = defaultdict(list)
    level = [root.pk]
    while level:
        found = list(
            Session.objects.filter(parent__in=level)
            .exclude(pk__in=sessions.keys())
            .select_related("module", "organising_factory", "representative")
            .order_by("date", "pk")
        )
        for s in found:
            sessions[s.pk] = s
            children[s.parent_id].append(s.pk)  # type: ignore[index]
        level = [s.pk for s in found]
    present: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for session_id, participant_id, factory_id in Registration.objects.filter(
        session__in=sessions.keys(), present=True
    ).values_list("session", "participant", "participant__factory"):
        present[session_id].add((participant_id, factory_id))
    seen = (
        set(visible.filter(pk__in=sessions.keys()).values_list("pk", flat=True))
        if visible is not None
        else set(sessions)
    )

    def build(pk: int) -> tuple[Node, set[tuple[int, int]]]:
        node = Node(sessions[pk], present=len(present[pk]), visible=pk in seen)
        reached = set(present[pk])
        for child in children[pk]:
            sub, sub_reached = build(child)
            node.children.append(sub)
            reached |= sub_reached
        node.reach_people = len({p for p, _f in reached})
        node.reach_factories = len({f for _p, f in reached})
        return node, reached

    return build(root.pk)[0]


def flatten(node: Node, depth: int = 0) -> list[tuple[int, Node]]:
    """The tree as (depth, node) rows, parents before children."""
    rows = [(depth, node)]
    for child in node.children:
        rows.extend(flatten(child, depth + 1))
    return rows


# --- participants ------------------------------------------------------------------------


def history(participant: Any, sessions: QuerySet[Session]) -> QuerySet[Registration]:
    """Every session the participant was registered for (that the reader may see), newest first."""
    return (
        participant.registrations.filter(session__in=sessions.values("pk"))
        .select_related("session__module", "session__provider", "session__organising_factory")
        .order_by("-session__date", "-session__starts_at", "-pk")
    )
