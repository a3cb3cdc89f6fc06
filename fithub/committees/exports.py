"""A committee's members and meetings as CSV or Excel, with headings in the reader's language.

These are lists for people (to print, to send to head office), not files to import back, so
the columns are the labels the pages show. Text a spreadsheet would run as a formula is made
plain in CSV (CSV injection) and is a text cell in Excel; names in Bengali and Urdu survive
Excel thanks to the BOM.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fithub.committees import selectors
from fithub.committees.models import Committee, Member
from fithub.factories.exports import csv_response
from fithub.lib import tabular, xlsx


@dataclass
class Table:
    name: str
    sheet: str
    header: list[str]
    rows: list[list[Any]]


def _text(value: Any) -> Any:
    return tabular.neutralise(value) if isinstance(value, str) else value


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _stem(committee: Committee, what: str) -> str:
    factory = slugify(committee.factory.name) or f"factory-{committee.factory_id}"
    return f"fithub-committee-{factory}-{what}-{timezone.localdate():%Y-%m-%d}"


def members_table(committee: Committee) -> Table:
    """Every member, present and former, one row each."""
    header = [
        _("Name"),
        _("Side"),
        _("Elected or appointed"),
        _("Role on the committee"),
        _("Sex"),
        _("Department"),
        _("Trade union member"),
        _("Term starts on"),
        _("Term ends on"),
        _("Left the committee on"),
        _("FIT Hub user"),
    ]
    members = committee.members.select_related("user").order_by("side", "name", "pk")
    rows = [
        [
            m.name,
            m.get_side_display(),
            m.get_selection_display(),
            m.get_role_display(),
            m.get_sex_display(),
            m.get_department_display(),
            _yes(m.union_member),
            m.term_starts_on,
            m.term_ends_on,
            m.left_on,
            m.user.email if m.user else "",
        ]
        for m in members
    ]
    return Table(_stem(committee, "members"), _("Members"), header, rows)


def _names(members: list[Member]) -> str:
    return ", ".join(m.name for m in members)


def meetings_table(committee: Committee) -> Table:
    """Every meeting, newest first: who came from each side, quorum, decisions, approvals."""
    header = [
        _("Date"),
        _("Management present"),
        _("Workers present"),
        _("Quorum"),
        _("Agenda"),
        pgettext("meeting record", "Minutes"),
        _("Decisions"),
        _("Approved by management"),
        _("Approved by the workers"),
    ]
    rows = []
    for meeting in selectors.with_meeting_facts(committee.meetings.all()):
        facts = selectors.meeting_facts(meeting)
        decisions = "\n".join(
            f"{d.number}. {d.text}"
            + (f" ({d.owner_label})" if d.owner_label else "")
            + (f" · {d.due_on.isoformat()}" if d.due_on else "")
            for d in meeting.decisions.all()
        )
        approval = facts.approval
        rows.append(
            [
                meeting.held_on,
                _names(facts.managers_present),
                _names(facts.workers_present),
                _yes(facts.quorate),
                meeting.agenda,
                meeting.minutes,
                decisions,
                approval.management.member.name if approval.management else "",
                approval.worker.member.name if approval.worker else "",
            ]
        )
    return Table(_stem(committee, "meetings"), _("Meetings"), header, rows)


def _csv_rows(table: Table) -> Iterator[list[Any]]:
    yield table.header
    for row in table.rows:
        yield [v.isoformat() if isinstance(v, date) else "" if v is None else _text(v) for v in row]


def respond(table: Table, kind: str) -> HttpResponseBase:
    """Send the table as CSV (streamed, with a BOM) or as an Excel workbook."""
    if kind == "csv":
        return csv_response(_csv_rows(table), f"{table.name}.csv")
    rows = [table.header, *table.rows]
    return xlsx.response(rows, sheet=table.sheet, filename=f"{table.name}.xlsx")
