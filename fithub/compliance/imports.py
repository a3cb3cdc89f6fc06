"""A tool version as a CSV or Excel file: one question per row, read and written the same way.

The whole file is checked before anything is written; a file with one bad row writes nothing
and names every problem (an unknown compliance point, a code used twice, a language missing, a
condition nobody knows). Files are read by `fithub.lib.tabular`, which refuses hostile files
(formulas, zip bombs, huge sheets). The sample tools in data/ are files of this same shape.
"""

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.translation import gettext as _

from fithub.compliance import cat
from fithub.compliance.models import CODE_VALIDATOR, Fact, Question, ToolVersion
from fithub.lib import tabular, xlsx
from fithub.lib.i18n import language_codes
from fithub.lib.tabular import BadFile

Report = tabular.Report[dict[str, Any]]
MAX_TEXT = 1000
MAX_GUIDANCE = 2000
MAX_QUESTIONS = 2000


def tool_columns() -> tuple[str, ...]:
    """Return the columns of a tool file: the question's text and guidance per language."""
    codes = language_codes()
    return (
        "cluster",
        "point",
        "code",
        *(f"text_{code}" for code in codes),
        "legal_reference",
        *(f"guidance_{code}" for code in codes),
        "publicly_reported",
        "dialogue",
        "applies_if",
    )


def required_columns() -> tuple[str, ...]:
    return ("point", "code", *(f"text_{code}" for code in language_codes()))


def _norm(header: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(header or "")).strip("_").casefold()


def _limited(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = tabular.as_text(value).strip()
        if len(text) > limit:
            raise ValidationError(
                _("At most %(limit)s characters; this has %(count)s.")
                % {"limit": limit, "count": len(text)}
            )
        return text

    return parse


def _code(value: Any) -> str:
    text = tabular.as_text(value).strip()
    if not text:
        raise ValidationError(_("This column must not be blank."))
    CODE_VALIDATOR(text)
    return text


def _upper(value: Any) -> str:
    return tabular.as_text(value).strip().upper()


def _facts(value: Any) -> list[str]:
    """Read "has_union; has_accommodation" as a list of known facts."""
    facts = [f.strip().casefold() for f in re.split(r"[;,\s]+", tabular.as_text(value)) if f]
    unknown = [f for f in facts if f not in Fact.values]
    if unknown:
        raise ValidationError(
            _("Unknown condition %(unknown)s. Write any of: %(facts)s.")
            % {"unknown": ", ".join(unknown), "facts": ", ".join(Fact.values)}
        )
    return list(dict.fromkeys(facts))


def _parsers() -> dict[str, Callable[[Any], Any]]:
    parsers: dict[str, Callable[[Any], Any]] = {
        name: _limited(MAX_GUIDANCE if name.startswith("guidance") else MAX_TEXT)
        for name in tool_columns()
    }
    parsers.update(
        {
            "cluster": _upper,
            "point": _upper,
            "code": _code,
            "legal_reference": _limited(300),
            "publicly_reported": tabular.as_boolean,
            "dialogue": tabular.as_boolean,
            "applies_if": _facts,
        }
    )
    return parsers


def _read_rows(upload: UploadedFile, report: Report) -> None:
    columns = tool_columns()
    try:
        table = tabular.read_file(upload, max_rows=MAX_QUESTIONS)
    except BadFile as e:
        report.error(None, "", "", str(e))
        return
    header_row, header = table[0]
    column_at: dict[int, str] = {}
    for i, raw in enumerate(header):
        name = _norm(raw)
        if not name:
            continue
        if name not in columns:
            report.error(
                header_row,
                str(raw),
                "",
                _("Unknown column. The columns are: %(columns)s.")
                % {"columns": ", ".join(columns)},
            )
        elif name in column_at.values():
            report.error(header_row, str(raw), "", _("This column appears twice."))
        else:
            column_at[i] = name
    for name in required_columns():
        if name not in column_at.values():
            report.error(header_row, name, "", _("This column is missing."))
    if not report.ok:
        return
    if len(table) == 1:
        report.error(None, "", "", _("The file has a header row but no data rows."))
        return
    parsers = _parsers()
    for number, cells in table[1:]:
        data: dict[str, Any] = {}
        for i, name in column_at.items():
            raw = tabular.cell(cells[i]) if i < len(cells) else None
            if report.refused_formula(number, name, raw):
                continue
            try:
                data[name] = parsers[name](raw)
            except ValidationError as e:
                report.error(number, name, tabular.as_text(raw), " ".join(e.messages))
        report.rows.append({"row": number, **data})


def read_tool(upload: UploadedFile) -> Report:
    """Read and check a tool file; the report's rows are ready for services.tool_version_import."""
    report = Report()
    _read_rows(upload, report)
    first_row: dict[str, int] = {}
    for row in report.rows:
        number = row["row"]
        point = row.get("point")
        if point is not None:
            if point not in cat.POINT_BY_CODE:
                report.error(
                    number,
                    "point",
                    point,
                    _("Unknown compliance point. Use one of the tool's global codes (CL-CHL, …)."),
                )
            elif row.get("cluster") and row["cluster"] != cat.CLUSTER_OF_POINT[point]:
                report.error(
                    number,
                    "cluster",
                    row["cluster"],
                    _("Compliance point %(point)s is in cluster %(cluster)s.")
                    % {"point": point, "cluster": cat.CLUSTER_OF_POINT[point]},
                )
        if "code" in row:
            key = row["code"].casefold()
            if key in first_row:
                report.error(
                    number,
                    "code",
                    row["code"],
                    _("This question code is also in row %(row)s.") % {"row": first_row[key]},
                )
            else:
                first_row[key] = number
        for code in language_codes():
            name = f"text_{code}"
            if name in row and not row[name]:
                report.error(number, name, "", _("The question has no text in this language."))
    return report.finish()


# --- export ----------------------------------------------------------------------------------


def _rows(version: ToolVersion) -> list[list[Any]]:
    codes = language_codes()
    questions = Question.objects.filter(version=version).select_related("point__cluster")
    return [
        [
            q.point.cluster.code,
            q.point.code,
            q.code,
            *(q.text.get(code, "") for code in codes),
            q.legal_reference,
            *((q.guidance or {}).get(code, "") for code in codes),
            "yes" if q.publicly_reported else "no",
            "yes" if q.dialogue else "no",
            "; ".join(q.applies_if or []),
        ]
        for q in questions.order_by("point__cluster__order", "point__order", "order", "pk")
    ]


def _filename(version: ToolVersion, suffix: str) -> str:
    return f"{version.tool.slug}-v{version.number}.{suffix}"


def tool_csv(version: ToolVersion) -> HttpResponse:
    """Write a tool version in the columns read_tool reads (texts protected from formulas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(tool_columns())
    for row in _rows(version):
        writer.writerow([tabular.neutralise(v) if isinstance(v, str) else v for v in row])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "csv")}"'
    response.write("\ufeff" + buffer.getvalue())  # the BOM: Excel then reads UTF-8
    return response


def tool_xlsx(version: ToolVersion) -> HttpResponse:
    """Write a tool version as an Excel sheet, every text a text cell."""
    rows = [list(tool_columns()), *_rows(version)]
    return xlsx.response(rows, sheet=f"v{version.number}", filename=_filename(version, "xlsx"))
