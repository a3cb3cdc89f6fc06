"""The follow-up visit form: item statuses and adoption answers, offline, for one plan.

An advisor (or the factory's coordinator) downloads the XLSForm of a plan before a visit, fills
it in with ODK Collect or KoboCollect where there is no network, and imports the ODK Central or
KoboToolbox export here. The form asks, for each item still to verify, where it stands now, and
for each follow-up that is open, whether the module's practice is in use. Field names carry
the ids (`item_<id>`, `fu_<id>`), so a form is for one plan; `fithub_plan` says which.

Imports read exports with collect/importer.py's readers and apply every submission through the
improvement services with the same rules as the pages: who may start or mark done, who may
verify or return (with a reason), who may answer a follow-up. Each submission is one
advisory visit, written whole or not at all; the others in the file go in. Importing the same
export again writes nothing: a visit is identified by its instance ID.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import openpyxl
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fithub.accounts.models import User
from fithub.collect import importer, xlsform
from fithub.collect.xlsform import METADATA, language_column
from fithub.improvement import selectors, services
from fithub.improvement.models import (
    AdoptionFollowUp,
    AdvisoryVisit,
    ImprovementItem,
    ImprovementPlan,
    Status,
)
from fithub.improvement.scoping import followups_for, items_for, verifiable_items_for
from fithub.lib.i18n import FALLBACK, language_codes
from fithub.lib.tabular import BadFile

PLAN_FIELD = "fithub_plan"
ITEM_STATUS = "item_status"
IN_USE = "in_use"
UNCHANGED = "unchanged"
NOT_SEEN = "not_seen"
ITEM_FIELD = re.compile(r"^item_(\d+)$")
FOLLOWUP_FIELD = re.compile(r"^fu_(\d+)$")
# What a visit may find an item to be, and the move that gets it there.
MOVE_TO = {
    Status.IN_PROGRESS: "start",
    Status.DONE: "done",
    Status.VERIFIED: "verify",
    Status.RETURNED: "return",
}
ADVISOR_MOVES = {"verify", "return"}
# Items a visit looks at: those not yet closed.
OPEN = (Status.OPEN, Status.IN_PROGRESS, Status.RETURNED, Status.DONE)


def visit_items(plan: ImprovementPlan) -> list[ImprovementItem]:
    return list(plan.items.filter(status__in=OPEN).order_by("priority", "due_on", "pk"))


def visit_followups(plan: ImprovementPlan, *, today: date) -> list[AdoptionFollowUp]:
    """The plan's follow-ups a visit may answer: held sessions', open already, not answered."""
    opens = today + timedelta(days=services.FOLLOWUP_OPENS_DAYS)
    qs = selectors.followups(AdoptionFollowUp.objects.filter(engagement=plan.engagement_id))
    return list(qs.filter(in_use="", due_on__lte=opens).order_by("due_on", "pk"))


def build_visit_xlsform(plan: ImprovementPlan, *, today: date | None = None) -> openpyxl.Workbook:
    """Return the XLSForm of a follow-up visit to the plan's factory."""
    today = today or timezone.localdate()
    langs = [language_column(code) for code in language_codes()]

    def multi(column: str) -> list[str]:
        return [f"{column}::{lang}" for lang in langs]

    survey: list[dict[str, Any]] = []

    def row(kind: str, name: str, **kw: Any) -> None:
        cells: dict[str, Any] = {"type": kind, "name": name}
        for key, value in kw.items():
            if isinstance(value, list):
                cells.update(zip(multi(key), value, strict=True))
            else:
                cells[key] = value
        survey.append(cells)

    each = xlsform._each
    required = each(gettext_lazy("Answer this question."))
    for name in METADATA:
        row(name, name)
    row("calculate", PLAN_FIELD, calculation=f"'{plan.pk}'")
    items = visit_items(plan)
    if items:
        row("begin_group", "items", label=each(gettext_lazy("Improvement items")))
        for item in items:
            # What users wrote stays as written, in every language; the status is translated.
            label = _per_language(functools.partial(_item_label, item))
            row(f"select_one {ITEM_STATUS}", f"item_{item.pk}", label=label, required="yes",
                required_message=required)  # fmt: skip
            row(
                "text",
                f"reason_{item.pk}",
                label=each(gettext_lazy("Why is it returned?")),
                relevant=f"${{item_{item.pk}}} = '{Status.RETURNED}'",
                required="yes",
                required_message=required,
            )
        row("end_group", "")
    followups = visit_followups(plan, today=today)
    if followups:
        row("begin_group", "adoption", label=each(gettext_lazy("Adoption of practices")))
        for f in followups:
            label = _per_language(functools.partial(_followup_label, f))
            row(f"select_one {IN_USE}", f"fu_{f.pk}", label=label, required="yes",
                required_message=required)  # fmt: skip
            row(
                "text",
                f"funote_{f.pk}",
                label=each(gettext_lazy("What did you see?")),
                relevant=f"${{fu_{f.pk}}} != '{NOT_SEEN}'",
            )
        row("end_group", "")
    if not items and not followups:
        row("note", "nothing", label=each(gettext_lazy("Nothing is open in this plan.")))
    choices = [
        {"list_name": ITEM_STATUS, "name": name, **dict(zip(multi("label"), labels, strict=True))}
        for name, labels in _item_choices()
    ] + [
        {"list_name": IN_USE, "name": name, **dict(zip(multi("label"), labels, strict=True))}
        for name, labels in _in_use_choices()
    ]
    settings_row = {
        "form_title": f"{_title(plan)} (#{plan.pk})",
        "form_id": f"fithub_visit_{plan.pk}",
        "version": "",
        "instance_name": "concat('Visit · ', today())",
        "default_language": language_column(FALLBACK),
    }
    settings_row["version"] = xlsform._digest(survey, choices, settings_row)
    columns = ["type", "name", *multi("label"), "required", *multi("required_message"),
               "relevant", "calculation"]  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    xlsform._fill(sheet, columns, survey)
    xlsform._fill(book.create_sheet("choices"), ["list_name", "name", *multi("label")], choices)
    xlsform._fill(book.create_sheet("settings"), list(settings_row), [settings_row])
    return book


def _title(plan: ImprovementPlan) -> str:
    # One title for the servers' form lists, in the form's default language (as xlsform.py).
    with translation.override(FALLBACK):
        title = _("Follow-up visit")
    return f"{title} · {plan.factory.name}"


def _item_label(item: ImprovementItem) -> str:
    now = _("now: %(status)s") % {"status": item.get_status_display()}
    return f"{item.title[:200]} ({now})"


def _followup_label(f: AdoptionFollowUp) -> str:
    question = _("Is the practice in use?")
    return f"{f.session.module} · {f.get_months_display()} · {question}"


def _per_language(make: Callable[[], str]) -> list[str]:
    """Return a label made in each language in turn (users' text inside it stays as written)."""
    out = []
    for code in language_codes():
        with translation.override(code):
            out.append(make())
    return out


def _item_choices() -> list[tuple[str, list[str]]]:
    return [
        (UNCHANGED, xlsform._each(gettext_lazy("No change"))),
        *[(str(s), xlsform._each(s.label)) for s in MOVE_TO],
    ]


def _in_use_choices() -> list[tuple[str, list[str]]]:
    return [
        *[(str(v), xlsform._each(v.label)) for v in AdoptionFollowUp.InUse],
        (NOT_SEEN, xlsform._each(gettext_lazy("Not checked at this visit"))),
    ]


# --- import ----------------------------------------------------------------------------------


@dataclass
class VisitReport:
    source: str = ""
    submissions: int = 0
    visits: list[AdvisoryVisit] = field(default_factory=list)
    already_imported: int = 0
    rejected: list[importer.Rejected] = field(default_factory=list)
    error: str = ""


def import_visits(
    *, plan: ImprovementPlan, data: bytes, name: str, user: User | AnonymousUser
) -> VisitReport:
    """Import an export of the plan's visit form: each submission whole, or listed as refused."""
    report = VisitReport()
    try:
        report.source, raws = importer.read_file(data, name)
    except BadFile as e:
        report.error = str(e)
        return report
    report.submissions = len(raws)
    rules = _Rules(plan, user)
    for raw in raws:
        values = {importer._leaf(k).casefold(): v for k, v in raw.data.items()}
        instance_id = next(
            (t for key in importer.INSTANCE_KEYS if (t := importer._text(values.get(key)))), ""
        )[: importer.INSTANCE_ID_MAX]
        if not instance_id:
            report.rejected.append(
                importer.Rejected(raw.row, "", _("The submission has no instance ID."))
            )
            continue
        if AdvisoryVisit.objects.filter(instance_id=instance_id).exists():
            report.already_imported += 1
            continue
        try:
            moves, answers = rules.read(values)
            visit = services.visit_record(
                plan=plan,
                instance_id=instance_id,
                visited_on=importer._day(values.get("today")),
                moves=moves,
                answers=answers,
                by=user if isinstance(user, User) else None,
            )
        except ValidationError as e:
            report.rejected.append(importer.Rejected(raw.row, instance_id, " ".join(e.messages)))
        else:
            report.visits.append(visit)
    return report


class _Rules:
    """What the importing user may do in this plan, read once for the whole file."""

    def __init__(self, plan: ImprovementPlan, user: User | AnonymousUser) -> None:
        self.plan = plan
        self.items = {i.pk: i for i in plan.items.all()}
        self.editable = set(
            items_for(user, write=True).filter(plan=plan).values_list("pk", flat=True)
        )
        self.verifiable = set(
            verifiable_items_for(user).filter(plan=plan).values_list("pk", flat=True)
        )
        self.followups = {
            f.pk: f for f in followups_for(user, write=True).filter(engagement=plan.engagement_id)
        }

    def read(
        self, values: dict[str, Any]
    ) -> tuple[list[services.VisitMove], list[services.VisitAnswer]]:
        if importer._text(values.get(PLAN_FIELD)) != str(self.plan.pk):
            raise ValidationError(_("This submission is of another plan's visit form."))
        moves, answers = [], []
        for key, value in values.items():
            text = importer._text(value)
            if (m := ITEM_FIELD.match(key)) and text and text != UNCHANGED:
                moves += self._move(int(m.group(1)), text, values)
            elif (m := FOLLOWUP_FIELD.match(key)) and text and text != NOT_SEEN:
                answers.append(self._answer(int(m.group(1)), text, values))
        return moves, answers

    def _move(self, pk: int, to: str, values: dict[str, Any]) -> list[services.VisitMove]:
        item = self.items.get(pk)
        if item is None or to not in MOVE_TO:
            raise ValidationError(_("The form names an item or a status FIT Hub does not know."))
        if item.status == to:
            return []  # found as it already stands
        move = MOVE_TO[Status(to)]
        allowed = self.verifiable if move in ADVISOR_MOVES else self.editable
        if pk not in allowed:
            raise ValidationError(
                _("You may not make “%(item)s” “%(status)s”.")
                % {"item": item.title[:60], "status": Status(to).label}
            )
        reason = importer._text(values.get(f"reason_{pk}"))
        return [services.VisitMove(item=item, move=move, reason=reason)]

    def _answer(self, pk: int, in_use: str, values: dict[str, Any]) -> services.VisitAnswer:
        followup = self.followups.get(pk)
        if followup is None:
            raise ValidationError(_("The form names a follow-up you may not answer."))
        note = importer._text(values.get(f"funote_{pk}"))
        return services.VisitAnswer(
            followup=followup, answer=services.FollowUpAnswer(in_use=in_use, note=note)
        )
