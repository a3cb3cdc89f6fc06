"""Read findings from other audit tools, and the owner's finding-to-module mappings, from CSV.

Every row and column is checked before anything is written; a file with one bad row writes
nothing and lists every problem. Files are read by `fithub.lib.tabular`, so the same
spreadsheets (CSV in any common encoding or delimiter, or Excel) are accepted everywhere.
"""

import csv
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.translation import gettext as _

from fithub.assessment.models import STATEMENT_CODE_VALIDATOR
from fithub.catalogue.models import Module
from fithub.factories.models import Department
from fithub.lib import tabular
from fithub.lib.i18n import FALLBACK, language_codes
from fithub.lib.tabular import BadFile

FINDING_COLUMNS = ("source", "code", "description", "found_on", "resolved")
FINDING_REQUIRED = ("source", "code")
MAPPING_COLUMNS = ("source", "code", "module", "weight")
MAPPING_REQUIRED = ("source", "code", "module")
MAX_SOURCE = 40
MAX_CODE = 80
MAX_DESCRIPTION = 2000


# One dict per row: its number ("row") and the value of each column that was read.
Report = tabular.Report[dict[str, Any]]


def _norm(header: Any) -> str:
    return re.sub(r"[\s_\-]+", "_", str(header or "")).strip("_").casefold()


def _limited(limit: int, *, required: bool = False) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = tabular.as_text(value).strip()
        if required and not text:
            raise ValidationError(_("This column must not be blank."))
        if len(text) > limit:
            raise ValidationError(
                _("At most %(limit)s characters; this has %(count)s.")
                % {"limit": limit, "count": len(text)}
            )
        return text

    return parse


def _weight(value: Any) -> int:
    text = tabular.as_text(value).strip()
    if not text:
        return 1
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if not number.is_integer() or not 1 <= number <= 10:
        raise ValidationError(_("A weight is a whole number from 1 to 10."))
    return int(number)


def _read(
    upload: UploadedFile,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    parsers: dict[str, Callable[[Any], Any]],
    report: Report,
) -> None:
    try:
        table = tabular.read_file(upload)
    except BadFile as e:
        report.error(None, "", "", str(e))
        return
    header_row, header = table[0]
    column_at: dict[int, str] = {}
    for i, cell in enumerate(header):
        name = _norm(cell)
        if not name:
            continue
        if name not in columns:
            report.error(
                header_row,
                str(cell),
                "",
                _("Unknown column. The columns are: %(columns)s.")
                % {"columns": ", ".join(columns)},
            )
        elif name in column_at.values():
            report.error(header_row, str(cell), "", _("This column appears twice."))
        else:
            column_at[i] = name
    for name in required:
        if name not in column_at.values():
            report.error(header_row, name, "", _("This column is missing."))
    if not report.ok:
        return
    if len(table) == 1:
        report.error(None, "", "", _("The file has a header row but no data rows."))
        return
    for number, cells in table[1:]:
        data: dict[str, Any] = {}
        for i, name in column_at.items():
            # An apostrophe before = + - @ is how our exports protect text (tabular.neutralise),
            # so it is taken off again and the text imported as written.
            raw = tabular.cell(cells[i]) if i < len(cells) else None
            if report.refused_formula(number, name, raw):
                continue
            try:
                data[name] = parsers[name](raw)
            except ValidationError as e:
                report.error(number, name, tabular.as_text(raw), " ".join(e.messages))
        report.rows.append({"row": number, **data})


def read_findings(upload: UploadedFile) -> Report:
    """Read and check a findings file (source, code, description, found_on, resolved)."""
    report = Report()
    parsers: dict[str, Callable[[Any], Any]] = {
        "source": _limited(MAX_SOURCE, required=True),
        "code": _limited(MAX_CODE, required=True),
        "description": _limited(MAX_DESCRIPTION),
        "found_on": tabular.as_date,
        "resolved": tabular.as_boolean,
    }
    _read(upload, FINDING_COLUMNS, FINDING_REQUIRED, parsers, report)
    if report.ok:
        first_row: dict[tuple[str, str, Any], int] = {}
        for row in report.rows:
            key = (row["source"].casefold(), row["code"].casefold(), row.get("found_on"))
            if key in first_row:
                report.error(
                    row["row"],
                    "code",
                    row["code"],
                    _("The same finding, found on the same day, is also in row %(row)s.")
                    % {"row": first_row[key]},
                )
            else:
                first_row[key] = row["row"]
    return report.finish()


def read_mappings(upload: UploadedFile) -> Report:
    """Read and check a mapping file (source, code, module, weight); modules by their code."""
    report = Report()
    parsers: dict[str, Callable[[Any], Any]] = {
        "source": _limited(MAX_SOURCE, required=True),
        "code": _limited(MAX_CODE, required=True),
        "module": _limited(20, required=True),
        "weight": _weight,
    }
    _read(upload, MAPPING_COLUMNS, MAPPING_REQUIRED, parsers, report)
    codes = {str(r["module"]).upper() for r in report.rows if r.get("module")}
    modules = {m.code.upper(): m for m in Module.objects.filter(code__in=codes)}
    first_row: dict[tuple[str, str, str], int] = {}
    for row in report.rows:
        if "module" not in row:
            continue
        module = modules.get(str(row["module"]).upper())
        if module is None:
            report.error(
                row["row"], "module", row["module"], _("No module in the catalogue has this code.")
            )
            continue
        key = (row.get("source", "").casefold(), row.get("code", "").casefold(), module.code)
        if key in first_row:
            report.error(
                row["row"],
                "module",
                row["module"],
                _("This mapping is also in row %(row)s.") % {"row": first_row[key]},
            )
        else:
            first_row[key] = row["row"]
        row["module"] = module
    return report.finish()


# --- a questionnaire version ---------------------------------------------------------------


def questionnaire_columns() -> tuple[str, ...]:
    """Return the columns of a questionnaire file: one title and text column per language."""
    codes = language_codes()
    return (
        "section",
        *(f"section_title_{code}" for code in codes),
        "department",
        "code",
        *(f"text_{code}" for code in codes),
        *(f"guidance_{code}" for code in codes),
        "modules",
    )


def _code(value: Any) -> str:
    text = tabular.as_text(value).strip()
    if not text:
        raise ValidationError(_("This column must not be blank."))
    STATEMENT_CODE_VALIDATOR(text)
    return text


def _department(value: Any) -> str:
    text = tabular.as_text(value).strip().casefold()
    if not text:
        return ""
    for choice, label in Department.choices:
        if text in (choice, str(label).casefold()):
            return str(choice)
    raise ValidationError(
        _("Unknown department. Write one of: %(choices)s.")
        % {"choices": ", ".join(Department.values)}
    )


def _links(value: Any) -> list[tuple[str, int]]:
    """Read "P-01:3; S-02" as [("P-01", 3), ("S-02", 1)]."""
    links = []
    for part in re.split(r"[;,\n]+", tabular.as_text(value)):
        if not part.strip():
            continue
        code, _sep, weight = part.partition(":")
        links.append((code.strip().upper(), _weight(weight)))
    return links


def read_questionnaire(upload: UploadedFile) -> Report:
    """Read and check a questionnaire file: one statement per row, its section on each row."""
    report = Report()
    columns = questionnaire_columns()
    parsers: dict[str, Callable[[Any], Any]] = {
        name: _limited(1000 if name.startswith("guidance") else 500) for name in columns
    }
    parsers.update({"section": _code, "code": _code, "department": _department, "modules": _links})
    _read(upload, columns, ("section", "code", f"text_{FALLBACK}"), parsers, report)
    modules = {
        m.code.upper(): m
        for m in Module.objects.filter(
            code__in={code for row in report.rows for code, _w in row.get("modules", [])}
        )
    }
    first_row: dict[str, int] = {}
    titled: set[str] = set()
    for row in report.rows:
        number = row["row"]
        if "code" in row:
            key = row["code"].casefold()
            if key in first_row:
                report.error(
                    number,
                    "code",
                    row["code"],
                    _("This statement code is also in row %(row)s.") % {"row": first_row[key]},
                )
            else:
                first_row[key] = number
        if "text_" + FALLBACK in row and not row["text_" + FALLBACK]:
            report.error(number, f"text_{FALLBACK}", "", _("This column must not be blank."))
        if row.get(f"section_title_{FALLBACK}"):
            titled.add(row.get("section", "").casefold())
        resolved = []
        for code, weight in row.get("modules", []):
            if code not in modules:
                report.error(
                    number, "modules", code, _("No module in the catalogue has this code.")
                )
            else:
                resolved.append((modules[code], weight))
        row["links"] = resolved
    for row in report.rows:
        section = row.get("section", "")
        if section and section.casefold() not in titled:
            titled.add(section.casefold())  # one message per section
            report.error(
                row["row"],
                f"section_title_{FALLBACK}",
                section,
                _("Give the section's English title on at least one of its rows."),
            )
    return report.finish()


def questionnaire_csv(version: Any) -> HttpResponse:
    """Write a questionnaire version in the columns read_questionnaire reads."""
    from fithub.assessment.models import Statement

    codes = language_codes()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = version.questionnaire.slug
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{version.number}.csv"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(questionnaire_columns())
    statements = (
        Statement.objects.filter(section__version=version)
        .select_related("section")
        .prefetch_related("links__module")
        .order_by("section__order", "section_id", "order", "pk")
    )
    for s in statements:
        links = "; ".join(
            f"{link.module.code}:{link.weight}"
            for link in sorted(s.links.all(), key=lambda link: (-link.weight, link.module.code))
        )
        writer.writerow(
            [
                _safe(s.section.code),
                *(_safe(s.section.title.get(code, "")) for code in codes),
                s.section.department,
                _safe(s.code),
                *(_safe(s.text.get(code, "")) for code in codes),
                *(_safe((s.guidance or {}).get(code, "")) for code in codes),
                links,
            ]
        )
    return response


def _safe(value: str) -> str:
    return tabular.neutralise(value)
