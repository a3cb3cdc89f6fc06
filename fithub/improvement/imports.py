"""Read a CSV or Excel file of improvement items for one plan: every row checked before any is
written, every problem named by row and column, in the reader's language.

Columns are named by the codes below (the template's header), in any order; labels are read
in English or the reader's language alike (“Corrective action”, “Normal”). An owner is a member
of this plan's factory's improvement team, named as the team lists them; a row that says what
an item of the plan already says (issue and action) is left alone, so a file imported twice
adds nothing the second time.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fithub.catalogue.models import Module
from fithub.factories.models import Department, TeamMember
from fithub.improvement.models import ImprovementItem, ImprovementPlan
from fithub.improvement.services import ItemDetails
from fithub.lib import tabular
from fithub.lib.text import fold

COLUMNS = (
    "issue", "root_cause", "action", "action_type", "module", "owner", "department", "due_on",
    "priority", "kpi",
)  # fmt: skip
MAX_ROWS = 2000  # a plan holds tens of items; a file of thousands is the wrong file
MAX_TEXT = 2000


@dataclass
class ItemReport(tabular.Report[ItemDetails]):
    """The rows to add, and the rows left alone because the plan already has them."""

    unchanged: list[int] = field(default_factory=list)
    preview: list[tuple[int, ItemDetails]] = field(default_factory=list)

    @property
    def plan(self) -> str:
        """A fingerprint of what the import will write, to confirm it is what was shown."""
        text = repr([(n, d) for n, d in self.preview]) + repr(self.unchanged)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _choices(choices: list[tuple[Any, Any]]) -> dict[str, Any]:
    """Each choice under its code and its label in English and in the reader's language."""
    found: dict[str, Any] = {}
    for value, label in choices:
        found[fold(str(value))] = value
        found[fold(str(label))] = value
        with translation.override("en"):
            found[fold(str(label))] = value
    return found


def template_rows() -> list[list[str]]:
    """The header and one example row, for the template download."""
    example = [
        "Fire exit blocked by bales", "No place to store bales", "Mark a storage area",
        "corrective", "", "", "finishing", "", "2", "",
    ]  # fmt: skip
    return [list(COLUMNS), example]


def read_upload(upload: UploadedFile, *, plan: ImprovementPlan) -> ItemReport:
    """Check every row of the file against the plan; the report holds rows only if all are right."""
    report = ItemReport()
    try:
        table = tabular.read_file(upload, max_rows=MAX_ROWS)
    except tabular.BadFile as e:
        report.error(None, "", "", str(e))
        return report.finish()
    (_row1, header), *rows = table
    names = [fold(tabular.as_text(h)).replace(" ", "_") for h in header]
    unknown = [h for h in names if h and h not in COLUMNS]
    for h in unknown:
        report.error(1, h, h, _("This column is not one FIT Hub reads; see the template."))
    if not ({"issue", "action"} & set(names)):
        report.error(1, "action", "", _("The file needs an “issue” or an “action” column."))
    if not report.ok:
        return report.finish()
    lookups = _Lookups(plan)
    for number, cells in rows:
        values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(names)}
        details = _row(report, number, values, lookups)
        if details is None:
            continue
        if (fold(details.issue), fold(details.action)) in lookups.existing:
            report.unchanged.append(number)
        else:
            lookups.existing.add((fold(details.issue), fold(details.action)))
            report.rows.append(details)
            report.preview.append((number, details))
    if not report.ok:
        report.preview = []
    return report.finish()


class _Lookups:
    """What the rows are checked against, read once for the whole file."""

    def __init__(self, plan: ImprovementPlan) -> None:
        self.today: date = timezone.localdate()
        self.modules = {fold(m.code): m for m in Module.objects.all()}
        self.team: dict[str, list[TeamMember]] = {}
        for member in TeamMember.objects.filter(factory_id=plan.factory_id):
            self.team.setdefault(fold(member.name), []).append(member)
        self.action_types = _choices(ImprovementItem.ActionType.choices)
        self.priorities = _choices(ImprovementItem.Priority.choices)
        self.departments = _choices(Department.choices)
        self.existing = {
            (fold(issue), fold(action))
            for issue, action in plan.items.values_list("issue", "action")
        }


def _row(
    report: ItemReport, number: int, values: dict[str, Any], lookups: _Lookups
) -> ItemDetails | None:
    before = report.error_count
    text: dict[str, str] = {}
    for name, value in values.items():
        if report.refused_formula(number, name, value):
            continue
        text[name] = tabular.as_text(value).strip()
        if len(text[name]) > MAX_TEXT:
            report.error(number, name, value, _("Write at most 2000 characters."))
    data: dict[str, Any] = {
        name: text.get(name, "") for name in ("issue", "root_cause", "action", "kpi")
    }
    if not (data["issue"] or data["action"]):
        report.error(number, "action", "", _("Say what the issue is or what will be done."))
    types = _("Write immediate, corrective, preventive or improvement.")
    checks = (
        ("action_type", lookups.action_types, types),
        ("priority", lookups.priorities, _("Write a priority from 1 (critical) to 4 (low).")),
        ("department", lookups.departments, _("This is not a department FIT Hub knows.")),
    )
    for name, known, message in checks:
        if text.get(name):
            value = known.get(fold(text[name]))
            if value is None:
                report.error(number, name, text[name], message)
            else:
                data[name] = value
    if code := text.get("module"):
        data["module"] = lookups.modules.get(fold(code))
        if data["module"] is None:
            report.error(number, "module", code, _("No module has this code."))
    if who := text.get("owner"):
        members = lookups.team.get(fold(who), [])
        if len(members) == 1:
            data["owner"] = members[0]
        else:
            report.error(
                number,
                "owner",
                who,
                _("Nobody of this factory's improvement team is called so.")
                if not members
                else _("Two members of the team have this name: choose the owner on the page."),
            )
    if "due_on" in values:
        try:
            data["due_on"] = tabular.as_date(values["due_on"])
        except ValidationError as e:
            report.error(number, "due_on", values["due_on"], " ".join(e.messages))
        else:
            if data["due_on"] is not None and data["due_on"] < lookups.today:
                report.error(
                    number, "due_on", values["due_on"], _("The due date cannot be in the past.")
                )
    if report.error_count > before:
        return None
    return ItemDetails.from_mapping(data)
