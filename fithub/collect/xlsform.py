"""Build the XLSForm (and, through pyxform, the XForm) of a questionnaire version.

The form is filled in offline with ODK Collect or KoboCollect and its submissions come back
through `importer.py`. Both sides derive the field names from `form_layout`, so a name in the
form is always a name the importer knows.

Which factory a submission is for is a select_one of the factories the exporting user may
record assessments for (choice name = FIT Hub factory id), not a typed id: offline there is
nothing to check a typed number against, and a mistyped id that happens to be another factory
the user may write would silently file the answers under the wrong factory. A list cannot be
mistyped, shows the names people know, and its labels end in "(#id)" so that even an export
"with labels" still carries the id. The list makes the form differ per user and over time, so
the form's `version` string carries a digest of the content next to the questionnaire version
number (ODK Central refuses a changed form under an unchanged version). A user who may record
assessments for no factory (a programme owner reviewing the form) gets a text question for
the factory number instead, with a constraint; both produce the same value for the importer.

The questionnaire version also travels inside every submission, as the hidden calculated
field `fithub_version`: KoboToolbox replaces the form's `version` setting with its own, and
exports do not always include it, while calculated values are in every export.

So does what the servers do not record: the interview's date and times (the `start`, `end`
and `today` metadata; the server's submission time is when the phone next had a network,
often days later), the device, and the language the form was filled in, `fithub_language`.
XForms have no function for the current language, but `jr:choice-name` gives a choice's
label in it: the one choice of LANGUAGE_LIST is labelled with each language's code, on a
question that is never shown.
"""

import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from pyxform.xls2xform import convert

from fithub.assessment.models import QuestionnaireVersion, Section, Statement
from fithub.lib.i18n import FALLBACK, language_codes, localized

FORM_ROOT = "data"  # the XForm's instance root element
YES_NO = "yes_no"
FACTORIES = "factories"
FACTORY = "factory"
COORDINATOR = "coordinator_name"
MANAGER = "manager_name"
VERSION_FIELD = "fithub_version"
LANGUAGE_FIELD = "fithub_language"
LANGUAGE_LIST = "fithub_languages"
LANGUAGE_CHOICE = "fithub_language_choice"  # the hidden select_one LANGUAGE_FIELD reads
CURRENT = "current"
# ODK metadata questions (type = name); their values come from the phone, not the person.
METADATA = ("start", "end", "today", "deviceid")
YES, NO = "yes", "no"
# Above this many factories the choice list gets a search box instead of a long list.
AUTOCOMPLETE_FROM = 12
UNSAFE = re.compile(r"[^A-Za-z0-9_]")
FACTORY_ID_IN_LABEL = re.compile(r"\(#(\d+)\)\s*$")


@dataclass(frozen=True)
class StatementField:
    name: str  # the select_one yes/no question
    comment: str  # its optional comment
    statement: Statement


@dataclass(frozen=True)
class SectionGroup:
    name: str
    section: Section
    fields: list[StatementField]


@dataclass
class FormLayout:
    version: QuestionnaireVersion
    groups: list[SectionGroup] = field(default_factory=list)

    @property
    def statements(self) -> list[StatementField]:
        return [f for g in self.groups for f in g.fields]


def safe_name(text: str, prefix: str, taken: set[str]) -> str:
    """Return an XForm-safe name (letters, digits, underscore) for text, unique within taken."""
    base = prefix + UNSAFE.sub("_", text).strip("_")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def form_layout(version: QuestionnaireVersion) -> FormLayout:
    """Return the version's sections and statements with the form field name of each."""
    layout = FormLayout(version)
    groups: set[str] = set()
    questions: set[str] = set()
    comments: set[str] = set()
    sections = version.sections.prefetch_related("statements").order_by("order", "pk")
    for section in sections:
        fields = []
        for statement in sorted(section.statements.all(), key=lambda s: (s.order, s.pk)):
            # Statement codes are free-form ("1.2", "S-01") and need not be unique once
            # made safe; "s_" and "c_" keep questions and comments from ever colliding.
            name = safe_name(statement.code, "s_", questions)
            fields.append(
                StatementField(name, safe_name(statement.code, "c_", comments), statement)
            )
        if fields:  # ODK refuses an empty group, and there is nothing in it to answer
            layout.groups.append(
                SectionGroup(safe_name(section.code, "sec_", groups), section, fields)
            )
    return layout


def language_column(code: str) -> str:
    """Return the XLSForm name of a language: "English (en)", the ODK convention."""
    try:
        return f"{get_language_info(code)['name']} ({code})"
    except KeyError:
        return code


def factory_label(name: str, city: str, pk: int) -> str:
    """Return a factory's choice label; it ends in "(#id)" so that labels still carry the id."""
    return f"{name}, {city} (#{pk})" if city else f"{name} (#{pk})"


def factory_id_from(value: str) -> int | None:
    """Return the factory id in a submitted value: the choice name, or a label's "(#id)"."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    if match := FACTORY_ID_IN_LABEL.search(text):
        return int(match.group(1))
    return None


def _each(text: str | Promise, **params: str) -> list[str]:
    """Return an interface text in every language, for the label columns."""
    out = []
    for code in language_codes():
        with translation.override(code):
            out.append(str(text) % params if params else str(text))
    return out


def _stored(value: dict[str, str] | None) -> list[str]:
    """Return text stored per language; a missing language shows English, not a blank."""
    return [localized(value, code) for code in language_codes()]


def statement_label(statement: Statement) -> list[str]:
    """Return a statement's question label in every language: its code, then its text."""
    return [f"{statement.code}. {text}" for text in _stored(statement.text)]


def comment_label(statement: Statement) -> list[str]:
    """Return the label of a statement's comment in every language; it names the statement."""
    # Named, not just "Comment": an export "with labels" must tell the comments apart.
    return _each(_("Comment on %(code)s (optional)"), code=statement.code)


def yes_no_labels() -> dict[str, list[str]]:
    """Return the yes/no choice labels in every language."""
    return {YES: _each(_("Yes")), NO: _each(_("No"))}


def fixed_labels() -> dict[str, list[str]]:
    """Return the labels of the questions every form has, in every language."""
    return {
        FACTORY: _each(_("Factory")) + _each(_("FIT Hub factory number")),
        COORDINATOR: _each(_("FIT coordinator")),
        MANAGER: _each(_("Factory manager")),
    }


def build_xlsform(
    version: QuestionnaireVersion, *, factories: Iterable[Any], layout: FormLayout | None = None
) -> openpyxl.Workbook:
    """Return the XLSForm of a questionnaire version, for the given factories."""
    layout = layout or form_layout(version)
    codes = language_codes()
    langs = [language_column(code) for code in codes]

    def multi(column: str) -> list[str]:
        return [f"{column}::{lang}" for lang in langs]

    survey_cols = [
        "type",
        "name",
        *multi("label"),
        *multi("hint"),
        "required",
        *multi("required_message"),
        "relevant",
        "constraint",
        *multi("constraint_message"),
        "appearance",
        "calculation",
    ]
    survey: list[dict[str, Any]] = []

    def row(kind: str, name: str, **kw: Any) -> None:
        cells: dict[str, Any] = {"type": kind, "name": name}
        for key, value in kw.items():
            if isinstance(value, list):  # one text per language
                cells.update(zip(multi(key), value, strict=True))
            else:
                cells[key] = value
        survey.append(cells)

    required = _each(_("Answer this question."))
    for name in METADATA:
        row(name, name)
    row("calculate", VERSION_FIELD, calculation=f"'{version.number}'")
    row(f"select_one {LANGUAGE_LIST}", LANGUAGE_CHOICE, label=langs, relevant="false()")
    row(
        "calculate",
        LANGUAGE_FIELD,
        calculation=f"jr:choice-name('{CURRENT}', '${{{LANGUAGE_CHOICE}}}')",
    )
    choices: list[dict[str, Any]] = [
        {
            "list_name": LANGUAGE_LIST,
            "name": CURRENT,
            **dict(zip(multi("label"), codes, strict=True)),
        }
    ]
    factory_rows = sorted(
        ((f.pk, factory_label(f.name, f.city, f.pk)) for f in factories), key=lambda r: r[1]
    )
    if factory_rows:
        row(
            f"select_one {FACTORIES}",
            FACTORY,
            label=_each(_("Factory")),
            required="yes",
            required_message=required,
            appearance="autocomplete" if len(factory_rows) > AUTOCOMPLETE_FROM else "",
        )
        choices += [
            {"list_name": FACTORIES, "name": str(pk), **dict.fromkeys(multi("label"), label)}
            for pk, label in factory_rows
        ]
        instance_name = f"concat(jr:choice-name(${{{FACTORY}}}, '${{{FACTORY}}}'), ' · ', today())"
    else:
        row(
            "text",
            FACTORY,
            label=_each(_("FIT Hub factory number")),
            hint=_each(_("The number in the address of the factory's page in FIT Hub.")),
            required="yes",
            required_message=required,
            constraint="regex(., '^[0-9]{1,12}$')",
            constraint_message=_each(_("Write digits only, such as 1234.")),
            appearance="numbers",
        )
        instance_name = f"concat('FIT ', ${{{FACTORY}}}, ' · ', today())"
    row("text", COORDINATOR, label=_each(_("FIT coordinator")), required="yes",
        required_message=required)  # fmt: skip
    row("text", MANAGER, label=_each(_("Factory manager")), required="yes",
        required_message=required)  # fmt: skip
    for group in layout.groups:
        row("begin_group", group.name, label=_stored(group.section.title))
        for f in group.fields:
            statement = f.statement
            row(
                f"select_one {YES_NO}",
                f.name,
                label=statement_label(statement),
                hint=_stored(statement.guidance) if statement.guidance else "",
                required="yes",
                required_message=required,
            )
            row(
                "text",
                f.comment,
                label=comment_label(statement),
                relevant=f"${{{f.name}}} != ''",
            )
        row("end_group", "")
    choices[1:1] = [
        {"list_name": YES_NO, "name": name, **dict(zip(multi("label"), labels, strict=True))}
        for name, labels in yes_no_labels().items()
    ]

    title = localized(version.questionnaire.title, FALLBACK) or version.questionnaire.slug
    settings_row = {
        "form_title": f"{title} (v{version.number})",
        "form_id": version.form_id,
        "version": "",  # filled in below, from the content
        "instance_name": instance_name,
        "default_language": language_column(FALLBACK),
    }
    settings_row["version"] = f"{version.number}-{_digest(survey, choices, settings_row)}"

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    _fill(sheet, survey_cols, survey)
    _fill(book.create_sheet("choices"), ["list_name", "name", *multi("label")], choices)
    _fill(book.create_sheet("settings"), list(settings_row), [settings_row])
    return book


def _digest(*parts: Any) -> str:
    """Return 8 hex digits that change whenever the form's content does."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:8]


def _fill(sheet: Any, columns: Sequence[str], rows: list[dict[str, Any]]) -> None:
    sheet.append(list(columns))
    for cells in rows:
        sheet.append([cells.get(c, "") or None for c in columns])


def xlsform_bytes(book: openpyxl.Workbook) -> bytes:
    """Return the workbook as .xlsx bytes."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_xform(xlsx: bytes, *, validate: bool = False) -> str:
    """Return the XForm (XML) built from XLSForm bytes; validate=True runs ODK Validate (Java)."""
    result = convert(
        xlsform=io.BytesIO(xlsx),
        file_type=".xlsx",
        form_name=FORM_ROOT,
        validate=validate,
        pretty_print=True,
    )
    return result.xform


def form_version_number(value: str) -> int | None:
    """Return the questionnaire version number in a form version such as "3" or "3-1a2b3c4d"."""
    match = re.fullmatch(r"\s*v?(\d+)(?:[-.][0-9A-Za-z]*)?\s*", value or "")
    return int(match.group(1)) if match else None
