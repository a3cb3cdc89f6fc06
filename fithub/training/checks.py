"""Planning checks: what to fix before a session so that everyone it is meant for can come.

Pure functions over plain facts (no database): the session page builds a Plan and shows the
warnings, each with a link to the field or section that fixes it. They follow FIT's gender and
inclusion guidance: hours when women can attend, women taking part, step-free venues, and a
slot long enough for the module.
"""

from dataclasses import dataclass, field
from datetime import time

from django.utils.formats import time_format
from django.utils.translation import gettext as _

WOMEN_HOURS = "women_hours"
NO_WOMEN = "no_women"
STEP_FREE = "step_free"
CAPACITY = "capacity"
MODULE_TOO_LONG = "module_too_long"


@dataclass(frozen=True)
class FactoryFacts:
    id: int
    name: str
    women_from: time | None = None
    women_until: time | None = None
    share_women: float | None = None


@dataclass(frozen=True)
class PersonFacts:
    factory_id: int
    sex: str
    needs_step_free: bool = False


@dataclass(frozen=True)
class VenueFacts:
    name: str
    capacity: int
    step_free: bool


@dataclass(frozen=True)
class Plan:
    starts_at: time
    ends_at: time
    module_minutes: int | None
    factories: list[FactoryFacts] = field(default_factory=list)
    people: list[PersonFacts] = field(default_factory=list)
    venue: VenueFacts | None = None

    @property
    def slot_minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (
            self.starts_at.hour * 60 + self.starts_at.minute
        )


@dataclass(frozen=True)
class PlanningWarning:
    code: str
    message: str
    # The session field (or page section) that fixes it: "starts_at", "venue", "people", ...
    fix: str


def women_hours(plan: Plan) -> list[PlanningWarning]:
    """Warn when the session starts or ends outside the hours a factory says women can attend."""
    found = []
    for f in plan.factories:
        early = f.women_from is not None and plan.starts_at < f.women_from
        late = f.women_until is not None and plan.ends_at > f.women_until
        if not (early or late):
            continue
        found.append(
            PlanningWarning(
                WOMEN_HOURS,
                _(
                    "%(factory)s says women workers can attend from %(start)s to %(end)s; "
                    "this session runs from %(from)s to %(to)s."
                )
                % {
                    "factory": f.name,
                    "start": time_format(f.women_from) if f.women_from else "—",
                    "end": time_format(f.women_until) if f.women_until else "—",
                    "from": time_format(plan.starts_at),
                    "to": time_format(plan.ends_at),
                },
                "starts_at" if early else "ends_at",
            )
        )
    return found


def no_women(plan: Plan) -> list[PlanningWarning]:
    """Warn when nobody registered from a factory whose workforce is mostly women is a woman."""
    if not plan.people:
        return []
    found = []
    for f in plan.factories:
        if f.share_women is None or f.share_women <= 0.5:
            continue
        if any(p.factory_id == f.id and p.sex == "female" for p in plan.people):
            continue
        found.append(
            PlanningWarning(
                NO_WOMEN,
                _(
                    "Most of %(factory)s's workers are women (%(share)s%%), "
                    "but no woman from it is registered."
                )
                % {"factory": f.name, "share": round(f.share_women * 100)},
                "people",
            )
        )
    return found


def step_free(plan: Plan) -> list[PlanningWarning]:
    """Warn when someone registered needs step-free access and the venue has none."""
    if plan.venue is None or plan.venue.step_free:
        return []
    count = sum(1 for p in plan.people if p.needs_step_free)
    if not count:
        return []
    return [
        PlanningWarning(
            STEP_FREE,
            _("%(venue)s has no step-free access, and %(count)s registered people need it.")
            % {"venue": plan.venue.name, "count": count},
            "venue",
        )
    ]


def capacity(plan: Plan) -> list[PlanningWarning]:
    """Warn when more people are registered than the venue holds."""
    if plan.venue is None or len(plan.people) <= plan.venue.capacity:
        return []
    return [
        PlanningWarning(
            CAPACITY,
            _("%(count)s people are registered, but %(venue)s holds %(capacity)s.")
            % {
                "count": len(plan.people),
                "venue": plan.venue.name,
                "capacity": plan.venue.capacity,
            },
            "venue",
        )
    ]


def module_too_long(plan: Plan) -> list[PlanningWarning]:
    """Warn when the module takes longer than the time planned for it."""
    if not plan.module_minutes or plan.module_minutes <= plan.slot_minutes:
        return []
    return [
        PlanningWarning(
            MODULE_TOO_LONG,
            _("The module takes %(module)s minutes, but the session lasts %(slot)s minutes.")
            % {"module": plan.module_minutes, "slot": plan.slot_minutes},
            "ends_at",
        )
    ]


CHECKS = (women_hours, no_women, step_free, capacity, module_too_long)


def planning_warnings(plan: Plan) -> list[PlanningWarning]:
    """Run every planning check, in the order the facilitator would fix them."""
    return [w for check in CHECKS for w in check(plan)]
