"""Read attendance from a CSV file and check every row before anything is written.

Columns: `participant_id` or `name` (as registered for the session), and `present` (yes or
no). The whole file is checked first; every bad row is reported and nothing is written
unless all rows are good.
"""

import unicodedata

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from fithub.lib import tabular
from fithub.lib.tabular import BadFile
from fithub.training.models import Registration

ID_COLUMNS = ("participant_id", "participant", "id")
NAME_COLUMNS = ("name", "participant_name", "full_name")
PRESENT_COLUMNS = ("present", "attended", "attendance")
YES = ("yes", "y", "true", "1", "present", "x", "✓")
NO = ("no", "n", "false", "0", "absent")


# The rows are the attendance to record: each registration, and whether they were present.
Report = tabular.Report[tuple[Registration, bool]]


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _words(values: tuple[str, ...], translated: list[str]) -> set[str]:
    return {_key(v) for v in values} | {_key(t) for t in translated if t}


def read_attendance(upload: UploadedFile, *, registrations: list[Registration]) -> Report:
    """Check an attendance file against the registrations; the report has marks or errors."""
    report = Report()
    text = tabular.decode(upload.read())
    if text is None:
        report.error(None, "", "", _("This is not a CSV file. Save it as “CSV UTF-8”."))
        return report
    try:
        table = tabular.read_csv(text)
    except BadFile as e:
        report.error(None, "", "", str(e))
        return report
    if not table:
        report.error(None, "", "", _("The file is empty."))
        return report
    header_row, header = table[0]
    names = [_key(h).replace(" ", "_") for h in header]

    def find(options: tuple[str, ...]) -> int | None:
        return next((i for i, h in enumerate(names) if h in options), None)

    id_at, name_at, present_at = find(ID_COLUMNS), find(NAME_COLUMNS), find(PRESENT_COLUMNS)
    if present_at is None:
        report.error(header_row, "present", "", _("The file has no “present” column."))
    if id_at is None and name_at is None:
        report.error(
            header_row, "name", "", _("The file needs a “participant_id” or a “name” column.")
        )
    if not report.ok:
        return report
    assert present_at is not None
    by_id = {r.participant_id: r for r in registrations}
    by_name: dict[str, list[Registration]] = {}
    for r in registrations:
        by_name.setdefault(_key(r.participant.name), []).append(r)
    yes = _words(YES, [_("yes"), _("present")])
    no = _words(NO, [_("no"), _("absent")])
    seen: dict[int, int] = {}
    for number, cells in table[1:]:
        cells = [*cells, *[""] * (len(header) - len(cells))]
        registration = None
        raw_id = cells[id_at].strip() if id_at is not None else ""
        raw_name = cells[name_at].strip() if name_at is not None else ""
        if raw_id:
            if not raw_id.isdigit() or int(raw_id) not in by_id:
                report.error(
                    number,
                    "participant_id",
                    raw_id,
                    _("No one with this participant id is registered for the session."),
                )
                continue
            registration = by_id[int(raw_id)]
        elif raw_name:
            matches = by_name.get(_key(raw_name), [])
            if not matches:
                report.error(
                    number,
                    "name",
                    raw_name,
                    _("No one of this name is registered for the session."),
                )
                continue
            if len(matches) > 1:
                report.error(
                    number,
                    "name",
                    raw_name,
                    _("Several people of this name are registered: use participant_id."),
                )
                continue
            registration = matches[0]
        else:
            report.error(number, "name", "", _("Give the participant's id or name."))
            continue
        raw_present = cells[present_at].strip()
        value = _key(raw_present)
        if value in yes:
            present = True
        elif value in no:
            present = False
        else:
            report.error(number, "present", raw_present, _("Write yes or no."))
            continue
        if registration.pk in seen:
            report.error(
                number,
                "name",
                raw_name or raw_id,
                _("This person is already on row %(row)s.") % {"row": seen[registration.pk]},
            )
            continue
        seen[registration.pk] = number
        report.rows.append((registration, present))
    if report.ok and not report.rows:
        report.error(None, "", "", _("The file has no rows below the header."))
    return report.finish()
