"""The post-training survey offline: its XLSForm, and imports of ODK Central / Kobo exports.

One form per session's survey, so that a tablet passed round a training room without a
network files every answer under the right session: the survey's id and questionnaire version
travel in each submission as calculated fields, as the assessment form's version does
(xlsform.py). The form asks nothing the phone records of itself (no start, end, today or
deviceid metadata): the time and the device of an answer are what would tell who gave it.

Imports read the same exports as importer.py (its read_file), and, like it, take each
submission on its own: valid ones go in, the others are listed with the reason. Submissions
are identified by their instance ID, of which only a keyed one-way hash is kept
(surveys.services.instance_key), so the same file imported twice adds nothing, and nothing in
FIT Hub joins an answer to the ODK server's record of who sent it, from which device, when.
What the servers add (submitter, device, submission time) is never read.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fithub.accounts.models import User
from fithub.collect import xlsform
from fithub.collect.importer import (
    DEPRECATED_KEYS,
    EDITS_KEYS,
    INSTANCE_KEYS,
    REJECTED_REVIEWS,
    REVIEW_KEYS,
    ROOT_KEYS,
    SPLIT,
    RawSubmission,
    Rejected,
    read_file,
)
from fithub.factories.models import Sex
from fithub.lib.i18n import FALLBACK, language_codes, localized
from fithub.lib.tabular import BadFile
from fithub.surveys import services
from fithub.surveys.forms import AGREE_CHOICES, YES_NO_CHOICES
from fithub.surveys.models import Question, Response, Survey

SURVEY_FIELD = "fithub_survey"
SEX, ROLE = "sex", "role"
AGREE_LIST, YES_NO_LIST, SEX_LIST, ROLE_LIST = "agree5", "yes_no", "sexes", "roles"
INTRO = "anonymous"
# The first instance ID of a submission, whatever was edited since, then the latest one.
IDENTITY_KEYS = tuple(dict.fromkeys((*ROOT_KEYS[:-1], *INSTANCE_KEYS)))
META_KEYS = {*IDENTITY_KEYS, *DEPRECATED_KEYS, *EDITS_KEYS, *REVIEW_KEYS}
INSTANCE_ID_MAX = 100


@dataclass(frozen=True)
class SurveyField:
    name: str
    question: Question


def survey_fields(survey: Survey) -> list[SurveyField]:
    """Return the survey's questions with the form field name of each."""
    taken: set[str] = set()
    return [
        SurveyField(xlsform.safe_name(q.code, "q_", taken), q)
        for q in Question.objects.filter(version=survey.version)
    ]


def _each(text: str | Promise) -> list[str]:
    """Return an interface text in every language, for the label columns."""
    out = []
    for code in language_codes():
        with translation.override(code):
            out.append(str(text))
    return out


def _stored(value: dict[str, str]) -> list[str]:
    return [localized(value, code) for code in language_codes()]


def _choice_lists() -> dict[str, list[tuple[str, list[str]]]]:
    return {
        AGREE_LIST: [(v, _each(label)) for v, label in AGREE_CHOICES],
        YES_NO_LIST: [(v, _each(label)) for v, label in YES_NO_CHOICES],
        SEX_LIST: [(v, _each(label)) for v, label in Sex.choices],
        ROLE_LIST: [(v, _each(label)) for v, label in Response.Role.choices],
    }


SEX_LABEL = gettext_lazy("You are (optional)")
ROLE_LABEL = gettext_lazy("Your job (optional)")
INTRO_TEXT = gettext_lazy(
    "Your answers are anonymous: nobody can tell which answers are yours. Your code only "
    "makes sure that each person answers once."
)


def build_survey_xlsform(survey: Survey) -> openpyxl.Workbook:
    """Return the XLSForm of a session's survey, labelled in every language."""
    langs = [xlsform.language_column(code) for code in language_codes()]

    def multi(column: str) -> list[str]:
        return [f"{column}::{lang}" for lang in langs]

    columns = [
        "type",
        "name",
        *multi("label"),
        "required",
        *multi("required_message"),
        "relevant",
        "constraint",
        *multi("constraint_message"),
        "calculation",
    ]
    rows: list[dict[str, Any]] = []

    def row(kind: str, name: str, **kw: Any) -> None:
        cells: dict[str, Any] = {"type": kind, "name": name}
        for key, value in kw.items():
            if isinstance(value, list):
                cells.update(zip(multi(key), value, strict=True))
            else:
                cells[key] = value
        rows.append(cells)

    required = _each(gettext_lazy("Answer this question."))
    row("calculate", SURVEY_FIELD, calculation=f"'{survey.pk}'")
    row("calculate", xlsform.VERSION_FIELD, calculation=f"'{survey.version.number}'")
    row(
        f"select_one {xlsform.LANGUAGE_LIST}",
        xlsform.LANGUAGE_CHOICE,
        label=langs,
        relevant="false()",
    )
    row(
        "calculate",
        xlsform.LANGUAGE_FIELD,
        calculation=f"jr:choice-name('{xlsform.CURRENT}', '${{{xlsform.LANGUAGE_CHOICE}}}')",
    )
    row("note", INTRO, label=_each(INTRO_TEXT))
    for f in survey_fields(survey):
        q = f.question
        if q.kind == Question.Kind.TEXT:
            row(
                "text",
                f.name,
                label=_stored(q.text),
                constraint=f"string-length(.) <= {services.MAX_TEXT}",
                constraint_message=_each(gettext_lazy("Please keep this shorter.")),
            )
            continue
        listed = AGREE_LIST if q.kind == Question.Kind.AGREE else YES_NO_LIST
        row(
            f"select_one {listed}",
            f.name,
            label=_stored(q.text),
            required="yes" if q.required else "",
            required_message=required if q.required else "",
        )
    row(f"select_one {SEX_LIST}", SEX, label=_each(SEX_LABEL))
    row(f"select_one {ROLE_LIST}", ROLE, label=_each(ROLE_LABEL))

    choices: list[dict[str, Any]] = [
        {
            "list_name": xlsform.LANGUAGE_LIST,
            "name": xlsform.CURRENT,
            **dict(zip(multi("label"), language_codes(), strict=True)),
        }
    ]
    for list_name, items in _choice_lists().items():
        choices += [
            {"list_name": list_name, "name": v, **dict(zip(multi("label"), labels, strict=True))}
            for v, labels in items
        ]
    session = survey.session
    title = localized(session.module.title, FALLBACK) or session.module.code
    settings_row = {
        "form_title": f"{title} · {session.date:%Y-%m-%d}",
        "form_id": f"fithub_survey_{survey.pk}",
        "version": "",
        "default_language": xlsform.language_column(FALLBACK),
    }
    digest = hashlib.sha256(repr((rows, choices, settings_row)).encode()).hexdigest()[:8]
    settings_row["version"] = f"{survey.version.number}-{digest}"

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    _fill(sheet, columns, rows)
    _fill(book.create_sheet("choices"), ["list_name", "name", *multi("label")], choices)
    _fill(book.create_sheet("settings"), list(settings_row), [settings_row])
    return book


def _fill(sheet: Any, columns: list[str], rows: list[dict[str, Any]]) -> None:
    sheet.append(columns)
    for cells in rows:
        sheet.append([cells.get(c, "") or None for c in columns])


# --- importing ---------------------------------------------------------------------------


@dataclass
class SurveyImportReport:
    source: str = ""
    submissions: int = 0
    created: int = 0
    already_imported: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    error: str = ""  # the file as a whole could not be read: nothing was imported


def _leaf(key: str) -> str:
    return SPLIT.split(key)[-1]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Columns:
    fields: dict[str, str]  # form field name -> column
    meta: dict[str, str]  # metadata key (casefolded leaf) -> column


def _columns(keys: Iterable[str], fields: list[SurveyField]) -> _Columns:
    """Match the export's columns to the form's fields by name, else by label (any language)."""
    names = {SURVEY_FIELD, xlsform.VERSION_FIELD, xlsform.LANGUAGE_FIELD, SEX, ROLE}
    names |= {f.name for f in fields}
    labels = {text.strip(): f.name for f in fields for text in _stored(f.question.text)}
    labels |= dict.fromkeys(_each(SEX_LABEL), SEX) | dict.fromkeys(_each(ROLE_LABEL), ROLE)
    found = _Columns({}, {})
    for key in keys:
        leaf = _leaf(key)
        name = key if key in names else leaf if leaf in names else labels.get(key.strip())
        if name is not None:
            found.fields.setdefault(name, key)
        elif leaf.casefold() in META_KEYS:
            found.meta.setdefault(leaf.casefold(), key)
    return found


def _values() -> dict[str, dict[str, str]]:
    """Return, per choice list, each choice's name and its labels in every language -> name."""
    out: dict[str, dict[str, str]] = {}
    for list_name, items in _choice_lists().items():
        out[list_name] = {}
        for v, labels in items:
            out[list_name].update({v: v, **{label.casefold(): v for label in labels}})
    return out


def _meta(raw: RawSubmission, columns: _Columns, keys: Iterable[str]) -> list[str]:
    found = []
    for key in keys:
        if key in columns.meta and (value := _text(raw.data.get(columns.meta[key]))):
            # Kobo's _uuid (and rootUuid) is the instance ID without ODK's "uuid:" prefix.
            if key in ("_uuid", "rootuuid") and not value.startswith("uuid:"):
                value = f"uuid:{value}"
            found.append(value)
    return found


def _given(
    raw: RawSubmission, columns: _Columns, fields: list[SurveyField]
) -> tuple[services.Given, list[str]]:
    """Return the submission's answers as the survey services take them, and what is wrong."""
    values = _values()
    problems: list[str] = []

    def value(name: str, list_name: str | None) -> str:
        text = _text(raw.data.get(columns.fields.get(name, "")))
        if not text or list_name is None:
            return text
        chosen = values[list_name].get(text) or values[list_name].get(text.casefold())
        if chosen is None:
            problems.append(
                _("“%(value)s” is not one of the answers offered.") % {"value": text[:40]}
            )
            return ""
        return chosen

    lists: dict[str, str] = {Question.Kind.AGREE: AGREE_LIST, Question.Kind.YES_NO: YES_NO_LIST}
    answers = {f.question.code: value(f.name, lists.get(f.question.kind)) for f in fields}
    given = services.Given(answers=answers, sex=value(SEX, SEX_LIST), role=value(ROLE, ROLE_LIST))
    return given, problems


def survey_submissions_import(
    *, survey: Survey, data: bytes, file_name: str, by: User
) -> SurveyImportReport:
    """Import an ODK Central or KoboToolbox export of a survey's form; list what is refused."""
    report = SurveyImportReport()
    try:
        report.source, raws = read_file(data, file_name)
    except BadFile as e:
        report.error = str(e)
        return report
    report.submissions = len(raws)
    fields = survey_fields(survey)
    columns = _columns(dict.fromkeys(k for raw in raws for k in raw.data), fields)
    if not any(k in columns.meta for k in IDENTITY_KEYS):
        report.error = _(
            "The file has no instance ID column (meta-instanceID, KEY, __id or _uuid). "
            "Export the submissions from ODK Central or KoboToolbox without removing it."
        )
        return report
    if not any(f.name in columns.fields for f in fields):
        report.error = _(
            "This file is not an export of this session's survey form: none of its questions "
            "are among the columns."
        )
        return report
    ids = {raw.row: next(iter(_meta(raw, columns, IDENTITY_KEYS)), "") for raw in raws}
    keys = {iid: services.instance_key(iid) for iid in ids.values() if iid}
    imported = set(
        Response.objects.filter(survey=survey, instance_id__in=keys.values()).values_list(
            "instance_id", flat=True
        )
    )
    seen: dict[str, int] = {}
    for raw in raws:
        instance_id = ids[raw.row]
        reasons = _refusals(raw, columns, survey, instance_id, seen)
        if instance_id and keys[instance_id] in imported and not reasons:
            if _edited(raw, columns):
                reasons.append(
                    _(
                        "This submission was edited after it was imported. Anonymous answers "
                        "are not changed: the answers first imported stand."
                    )
                )
            else:
                report.already_imported += 1
                continue
        given, problems = _given(raw, columns, fields)
        reasons += problems
        if not reasons:
            language = _text(raw.data.get(columns.fields.get(xlsform.LANGUAGE_FIELD, "")))
            try:
                with transaction.atomic():
                    entered = services.response_enter(
                        survey=survey,
                        given=given,
                        language=language or survey.session.language,
                        by=by,
                        instance_id=instance_id,
                    )
            except ValidationError as e:
                reasons += _labelled(e, fields)
            else:
                if entered is None:
                    report.already_imported += 1
                else:
                    report.created += 1
                continue
        report.rejected.append(Rejected(raw.row, instance_id[:40], " ".join(reasons)))
    return report


def _refusals(
    raw: RawSubmission, columns: _Columns, survey: Survey, instance_id: str, seen: dict[str, int]
) -> list[str]:
    if not instance_id:
        return [_("The submission has no instance ID.")]
    if len(instance_id) > INSTANCE_ID_MAX:
        return [_("The instance ID is too long.")]
    if instance_id in seen:
        return [
            _("The same submission is in row %(row)s; it is imported once.")
            % {"row": seen[instance_id]}
        ]
    seen[instance_id] = raw.row
    reasons = []
    if any(
        _text(raw.data.get(columns.meta[key])).casefold() in REJECTED_REVIEWS
        for key in REVIEW_KEYS
        if key in columns.meta
    ):
        reasons.append(_("A reviewer rejected this submission in ODK Central or KoboToolbox."))
    found = _text(raw.data.get(columns.fields.get(SURVEY_FIELD, "")))
    if found != str(survey.pk):
        # One message whether that survey exists or not: it may be another provider's.
        reasons.append(
            _("This submission was filled in on another session's survey form, not this one's.")
        )
    version = _text(raw.data.get(columns.fields.get(xlsform.VERSION_FIELD, "")))
    if found == str(survey.pk) and version != str(survey.version.number):
        reasons.append(
            _("Filled in on version %(found)s of the questionnaire, not version %(expected)s.")
            % {"found": version[:10] or "?", "expected": survey.version.number}
        )
    return reasons


def _edited(raw: RawSubmission, columns: _Columns) -> bool:
    edits = next(iter(_meta(raw, columns, EDITS_KEYS)), "0")
    return bool(_meta(raw, columns, DEPRECATED_KEYS)) or edits not in ("", "0")


def _labelled(error: ValidationError, fields: list[SurveyField]) -> list[str]:
    """Return the services' messages, each after the question it is about."""
    labels = {f.question.code: f.question.label for f in fields}
    labels |= {SEX: str(SEX_LABEL), ROLE: str(ROLE_LABEL)}
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{labels.get(code, code)}: {message}"
        for code, messages in error.message_dict.items()
        for message in messages
    ]
