"""Read the catalogue from CSV or Excel, check every row, and write it back out the same way.

The columns are those of an export, so an export imports back unchanged. A row whose code is
in the catalogue updates that module; a blank cell keeps what the module has.
"""

import copy
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fithub.catalogue.models import CODE_VALIDATOR, Audience, Category, Module
from fithub.factories.models import Department
from fithub.lib import tabular, xlsx
from fithub.lib.i18n import content_language_codes
from fithub.lib.tabular import BadFile, Table

MINUTES = ("duration_minutes", "case_study_minutes", "activities_minutes", "action_plan_minutes")
REQUIRED = ("code", "category", "audience", "duration_minutes", "title_en")
MAX_ROWS = 5000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = xlsx.CONTENT_TYPE


def columns() -> list[str]:
    """Return the columns in file order; one title and summary column per language."""
    return [
        "code",
        "category",
        "audience",
        *MINUTES,
        "departments",
        "prerequisites",
        *(f"title_{code}" for code in content_language_codes()),
        *(f"summary_{code}" for code in content_language_codes()),
        "licence",
        "attribution",
    ]


@dataclass
class ParsedRow:
    row: int
    module: Module | None  # the module this row updates; None creates one
    data: dict[str, Any]
    prerequisites: list[str] | None  # codes; None keeps the module's prerequisites


Report = tabular.Report[ParsedRow]


# --- reading -----------------------------------------------------------------------------


def read_upload(upload: UploadedFile) -> Report:
    """Read and check an uploaded catalogue; the report holds either rows or errors."""
    report = Report()
    try:
        table = tabular.read_file(upload, max_rows=MAX_ROWS)
        if len(table) < 2:
            raise BadFile(_("The file has no modules: it needs a header row and module rows."))
        _check(table, report)
    except BadFile as e:
        report.error(None, "", "", str(e))
    return report.finish()


def _norm(text: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().casefold())


def _labels(choices: Any) -> dict[str, str]:
    """Map each choice's value and its label in every language, normalised, to the value."""
    names = {_norm(value): value for value in choices.values}
    for code in content_language_codes():
        with translation.override(code):
            names.update({_norm(label): value for value, label in choices.choices})
    return names


def _minutes(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a whole number of minutes.") % {"value": value}
        ) from None
    if number < 0:
        raise ValidationError(_("Minutes cannot be negative."))
    return number


def _split(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", str(value or "")) if part.strip()]


def _check(table: Table, report: Report) -> None:
    wanted = columns()
    index: dict[str, int] = {}
    for i, header in enumerate(table[0][1]):
        name = _norm(header)
        if not name:
            continue
        if name in index:
            report.error(1, str(header), header, _("This column appears twice."))
        elif name in wanted:
            index[name] = i
        else:
            report.warnings.append(
                _("The column “%(column)s” is not known and was ignored.") % {"column": header}
            )
    for name in REQUIRED:
        if name not in index:
            report.error(1, name, "", _("This column is required."))
    if not report.ok:
        return

    choices = {
        "category": _labels(Category),
        "audience": _labels(Audience),
        "departments": _labels(Department),
    }
    first_row: dict[str, int] = {}
    parsed: list[tuple[int, dict[str, Any], list[str] | None]] = []
    for number, cells in table[1:]:
        before = report.error_count
        values: dict[str, Any] = {}
        for name, i in index.items():
            value = tabular.cell(cells[i]) if i < len(cells) else None
            if not report.refused_formula(number, name, value) and value not in (None, ""):
                values[name] = value
        data, prerequisites = _check_row(number, values, choices, first_row, report)
        if report.error_count == before:  # the model checks only rows whose cells are right
            parsed.append((number, data, prerequisites))

    existing = {m.code: m for m in Module.objects.filter(code__in=list(first_row))}
    named = {code for _n, _d, pre in parsed for code in pre or ()} - set(first_row)
    known_codes = set(first_row) | set(
        Module.objects.filter(code__in=named).values_list("code", flat=True)
    )
    for number, data, prerequisites in parsed:
        module = existing.get(data["code"])
        for code in prerequisites or ():
            if code == data["code"]:
                report.error(number, "prerequisites", code, _("A module cannot need itself."))
            elif code not in known_codes:
                report.error(
                    number,
                    "prerequisites",
                    code,
                    _("No module has the code %(code)s.") % {"code": code},
                )
        _validate(number, module, data, report)
        report.rows.append(ParsedRow(number, module, data, prerequisites))
    if report.ok:
        _check_circles(report)


def _check_row(
    number: int,
    values: dict[str, Any],
    choices: dict[str, dict[str, str]],
    first_row: dict[str, int],
    report: Report,
) -> tuple[dict[str, Any], list[str] | None]:
    """Parse one row's cells into module fields; report what is wrong with each."""
    data: dict[str, Any] = {}
    code = str(values.get("code", "")).upper()
    try:
        if not code:
            raise ValidationError(_("A code is required."))
        CODE_VALIDATOR(code)
        if code in first_row:
            raise ValidationError(_("This code is also in row %(row)s.") % {"row": first_row[code]})
        first_row[code] = number
        data["code"] = code
    except ValidationError as e:
        report.error(number, "code", code, " ".join(e.messages))
    for name in ("category", "audience"):
        if name in values:
            value = choices[name].get(_norm(values[name]))
            if value is None:
                report.error(
                    number,
                    name,
                    values[name],
                    _("Write one of: %(allowed)s.")
                    % {"allowed": ", ".join(dict.fromkeys(choices[name].values()))},
                )
            data[name] = value
    for name in MINUTES:
        try:
            if (minutes := _minutes(values.get(name))) is not None:
                data[name] = minutes
        except ValidationError as e:
            report.error(number, name, values[name], " ".join(e.messages))
    if "departments" in values:
        departments = []
        for part in _split(values["departments"]):
            value = choices["departments"].get(_norm(part))
            if value is None:
                report.error(
                    number,
                    "departments",
                    part,
                    _("“%(value)s” is not a department. Write one of: %(allowed)s.")
                    % {"value": part, "allowed": ", ".join(Department.values)},
                )
            elif value not in departments:
                departments.append(value)
        data["departments"] = departments
    for name in ("licence", "attribution"):
        if name in values:
            data[name] = str(values[name])
    for kind in ("title", "summary"):
        texts = {
            code: str(values[f"{kind}_{code}"])
            for code in content_language_codes()
            if f"{kind}_{code}" in values
        }
        if texts:
            data[kind] = texts
    prerequisites = None
    if "prerequisites" in values:
        prerequisites = list(dict.fromkeys(c.upper() for c in _split(values["prerequisites"])))
    return data, prerequisites


def _validate(number: int, module: Module | None, data: dict[str, Any], report: Report) -> None:
    """Report what the model refuses, such as parts that take longer than the module."""
    candidate = copy.copy(module) if module else Module()
    for kind in ("title", "summary"):
        # A blank cell keeps the text the module has in that language.
        if kind in data and module is not None:
            data[kind] = {**getattr(module, kind), **data[kind]}
    for name, value in data.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as e:
        for name, messages in e.message_dict.items():
            column = {
                "title": "title_en",
                "summary": "summary_en",
                NON_FIELD_ERRORS: "duration_minutes",
            }.get(name, name)
            if name in ("title", "summary"):
                value = data.get(name, {}).get("en", "")
            else:
                value = data.get(name, "")
            report.error(number, column, value, " ".join(messages))


def _check_circles(report: Report) -> None:
    """Report rows whose prerequisites would lead back to the row's own module."""
    edges: dict[str, set[str]] = {}
    through = Module.prerequisites.through.objects.values_list(
        "from_module__code", "to_module__code"
    )
    for source, target in through:
        edges.setdefault(source, set()).add(target)
    for row in report.rows:
        if row.prerequisites is not None:
            edges[row.data["code"]] = set(row.prerequisites)
    for row in report.rows:
        code = row.data["code"]
        seen, todo = set(), list(edges.get(code, ()))
        while todo:
            current = todo.pop()
            if current == code:
                report.error(
                    row.row,
                    "prerequisites",
                    ";".join(row.prerequisites or ()),
                    _("These prerequisites lead in a circle back to this module."),
                )
                break
            if current not in seen:
                seen.add(current)
                todo.extend(edges.get(current, ()))


# --- writing -----------------------------------------------------------------------------


def module_rows(qs: QuerySet[Module], *, excel: bool = False) -> Iterator[list[Any]]:
    """Yield the header, then one row per module in columns() order."""
    # Excel gets text cells as they are (fithub.lib.xlsx); CSV needs the apostrophe.
    protect = (lambda text: text) if excel else tabular.neutralise
    yield columns()
    for m in qs.prefetch_related("prerequisites").order_by("sort_order", "code"):
        text = {
            **{f"title_{code}": m.title.get(code, "") for code in content_language_codes()},
            **{f"summary_{code}": m.summary.get(code, "") for code in content_language_codes()},
            "code": m.code,
            "category": m.category,
            "audience": m.audience,
            "departments": ";".join(m.departments),
            "prerequisites": ";".join(p.code for p in m.prerequisites.all()),
            "licence": m.licence,
            "attribution": m.attribution,
        }
        yield [getattr(m, name) if name in MINUTES else protect(text[name]) for name in columns()]


def _filename(extension: str) -> str:
    return f"fithub-catalogue-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_csv(qs: QuerySet[Module]) -> HttpResponse:
    """Write the modules as UTF-8 CSV with a BOM, so that Excel shows Bengali and Urdu."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(module_rows(qs))
    response = HttpResponse(buffer.getvalue(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def export_xlsx(qs: QuerySet[Module]) -> HttpResponse:
    """Write the modules to an Excel workbook."""
    return xlsx.response(module_rows(qs, excel=True), sheet="Modules", filename=_filename("xlsx"))
