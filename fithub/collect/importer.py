"""Import offline submissions of a FIT Hub form from ODK Central or KoboToolbox exports.

Read are: ODK Central's CSV (a lone .csv or its .zip download; group paths joined by "-",
`meta-instanceID`, `KEY`, `SubmissionDate`, `FormVersion`) and its OData JSON (`value`,
nested groups, `__id`, `__system`), and KoboToolbox's JSON (a list, or the API's `results`;
group paths joined by "/", `_uuid`, `meta/instanceID`, `_submission_time`), CSV (";" or ","
separated, "/" group paths) and XLSX, its default download, with the CSV's columns on the first
sheet (repeat groups, which our form has none of, get sheets of their own). Kobo exports
"with labels" instead of names are read as well.
Columns are matched on the last part of their path, which works whatever group separator or
"remove group names" option the export used, because form_layout makes every name unique.

Unlike the factory import, which writes every row or none, each submission is imported on its
own: a submission is one factory's independent answers collected in the field, often weeks
ago, and one wrong factory in a file of 500 must not hold back the other 499. Every
submission is written in its own savepoint through the assessment services, and the ones
that cannot be written are listed with the reason. Importing the same file again changes
nothing: submissions are identified by their instance ID.
"""

import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fithub.accounts.models import User
from fithub.assessment import services
from fithub.assessment.models import Assessment, AssessmentRevision, QuestionnaireVersion
from fithub.assessment.scoping import assessed_factories_for, assessments_for
from fithub.collect import xlsform
from fithub.collect.xlsform import FormLayout, form_layout, form_version_number
from fithub.factories.models import Factory
from fithub.lib import tabular
from fithub.lib.i18n import language_codes
from fithub.lib.tabular import BadFile
from fithub.programmes.models import Engagement
from fithub.programmes.scoping import engagements_for

MAX_SUBMISSIONS = 50_000
BATCH = 500  # ids per query, far below SQLite's limit on query parameters
COMMIT_EVERY = 250  # submissions per transaction: one batch of INSERTs (see write_submissions)
INSTANCE_ID_MAX = 100
# Metadata keys, compared case-insensitively on the last part of the path.
# In order of preference: the instance ID of this version of the submission. An edit (in ODK
# Central, KoboToolbox or Enketo) gives the submission a new meta/instanceID and names the one
# it replaces in meta/deprecatedID; ODK Central's KEY/__id and Kobo's meta/rootUuid keep the
# first instance ID. The last two find the assessment an edit changes, below.
INSTANCE_KEYS = ("instanceid", "__id", "key", "_uuid")
DEPRECATED_KEYS = ("deprecatedid",)
ROOT_KEYS = ("rootuuid", "__id", "key", "_uuid")
EDITS_KEYS = ("edits",)  # ODK Central: how many times the submission was edited
EDITED_REVIEW = "edited"  # ODK Central's review state once a submission has been edited
VERSION_KEYS = ("formversion",)
REVIEW_KEYS = ("reviewstate", "_validation_status", "uid")
EDIT_META = (*DEPRECATED_KEYS, *ROOT_KEYS, *EDITS_KEYS)
# What the servers record: when they received a submission and who sent it (and Central's
# DeviceID, for forms without the deviceid question). Kobo has no device column of its own.
RECEIVED_KEYS = ("submissiondate", "_submission_time")
SUBMITTER_KEYS = ("submittername", "_submitted_by")
DEVICE_KEYS = ("deviceid",)
SERVER_META = (*RECEIVED_KEYS, *SUBMITTER_KEYS, *DEVICE_KEYS)
KOBO_KEYS = ("_uuid", "_submission_time")  # only KoboToolbox writes these
REJECTED_REVIEWS = ("rejected", "validation_status_not_approved", "not approved")
SPLIT = re.compile(r"[/\-]")
Progress = Callable[[int, int], None]  # (submissions settled, submissions in the file)


@dataclass
class RawSubmission:
    row: int  # CSV: the spreadsheet row (header = 1); JSON: the submission's position
    data: dict[str, Any]  # column or flattened path -> value as exported


@dataclass
class Rejected:
    row: int
    instance_id: str
    reason: str


@dataclass
class ImportReport:
    source: str = ""  # the format found, for the page
    submissions: int = 0
    created: list[int] = field(default_factory=list)  # assessment ids
    updated: list[int] = field(default_factory=list)  # assessments an edit changed
    already_imported: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[Rejected] = field(default_factory=list)  # imported, with something to know
    error: str = ""  # the file as a whole could not be read: nothing was imported

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class FieldMeta:
    """What the phone and the server recorded about a submission, as assessment_start takes it."""

    source: str = Assessment.Source.ODK
    language: str = "en"
    interviewed_on: date | None = None
    received_at: datetime | None = None
    submitted_by_name: str = ""
    device_id: str = ""


@dataclass
class Valid:
    row: int
    instance_id: str
    factory: Factory
    coordinator_name: str
    manager_name: str
    answers: list[dict[str, Any]]  # {statement, value, comment}, as answers_create takes them
    meta: "FieldMeta" = field(default_factory=lambda: FieldMeta())
    edits: Assessment | None = None  # the assessment this edit changes
    replaces: str = ""  # the instance ID the edit deprecated
    edit_of_unknown: bool = False  # an edit whose original is not in FIT Hub


# --- reading the file ----------------------------------------------------------------------


def read_file(data: bytes, name: str = "") -> tuple[str, list[RawSubmission]]:
    """Return the export's format and its submissions; raise BadFile if it is not an export."""
    if not data.strip():
        raise BadFile(_("The file is empty."))
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise BadFile(
            _("Old Excel files (.xls) cannot be read. Export the submissions as XLSX or CSV.")
        )
    if suffix in (".xlsx", ".xlsm") or (data.startswith(b"PK\x03\x04") and _is_workbook(data)):
        return _read_xlsx(data)
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data)
    text = _decode(data)
    if text.lstrip()[:1] in ("[", "{"):
        return _read_json(text)
    return _read_csv(text)


def _not_an_export() -> BadFile:
    return BadFile(
        _(
            "This is not a CSV or JSON file. Export the submissions from ODK Central or "
            "KoboToolbox as CSV or JSON and upload that file."
        )
    )


def _decode(data: bytes) -> str:
    text = tabular.decode(data)
    if text is None:
        raise _not_an_export()
    return text


def _read_zip(data: bytes) -> tuple[str, list[RawSubmission]]:
    """Read ODK Central's "download all" ZIP: the form's CSV, beside repeat CSVs and media."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            tabular.check_archive(archive)  # a few MB can unpack to gigabytes
            names = [n for n in archive.namelist() if n.lower().endswith(".csv") and "/" not in n]
            if not names:
                raise _not_an_export()
            # Repeat groups are exported as "<form>-<repeat>.csv" next to "<form>.csv".
            main = min(names, key=len)
            if archive.getinfo(main).file_size > settings.IMPORT_MAX_BYTES * 4:
                raise _too_large()
            return _read_csv(_decode(archive.read(main)))
    except (zipfile.BadZipFile, KeyError, OSError):
        raise _not_an_export() from None


def _is_workbook(data: bytes) -> bool:
    """Tell an Excel workbook (a ZIP too) from ODK Central's ZIP of CSV files."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _read_xlsx(data: bytes) -> tuple[str, list[RawSubmission]]:
    table = tabular.read_xlsx(io.BytesIO(data), limit=MAX_SUBMISSIONS + 1)
    return _read_table(table, kobo=_("KoboToolbox (Excel)"), central="", other=_("Excel"))


def _too_large() -> BadFile:
    return BadFile(tabular.too_large_message())


def _read_json(text: str) -> tuple[str, list[RawSubmission]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadFile(_("The JSON file could not be read: %(error)s") % {"error": e}) from None
    items: Any
    if isinstance(doc, dict) and isinstance(doc.get("value"), list):
        items, source = doc["value"], _("ODK Central (JSON)")
    elif isinstance(doc, dict) and isinstance(doc.get("results"), list):
        items, source = doc["results"], _("KoboToolbox (JSON)")
    elif isinstance(doc, list):
        items = doc
        first = next((i for i in items if isinstance(i, dict)), {})
        central = "__id" in first or "__system" in first
        source = _("ODK Central (JSON)") if central else _("KoboToolbox (JSON)")
    else:
        raise BadFile(
            _(
                "This JSON file holds no list of submissions. Export the submissions from "
                "ODK Central or KoboToolbox."
            )
        )
    if len(items) > MAX_SUBMISSIONS:
        raise _too_many()
    out = []
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise BadFile(
                _("Submission %(n)s in the JSON file is not a set of answers.") % {"n": position}
            )
        flat: dict[str, Any] = {}
        _flatten(item, "", flat)
        out.append(RawSubmission(position, flat))
    return str(source), out


def _flatten(value: dict[str, Any], prefix: str, out: dict[str, Any]) -> None:
    """Flatten nested groups into "group/field" keys; repeats (lists) are not part of our form."""
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, dict):
            _flatten(item, f"{path}/", out)
        elif not isinstance(item, list):
            out[path] = item


def _too_many() -> BadFile:
    return BadFile(
        _("The file has more than %(max)s submissions. Split it into smaller files.")
        % {"max": f"{MAX_SUBMISSIONS:,}"}
    )


def _read_csv(text: str) -> tuple[str, list[RawSubmission]]:
    # The delimiter is sniffed: KoboToolbox separates with ";" by default, ODK Central with ",".
    table = tabular.read_csv(text, limit=MAX_SUBMISSIONS + 1)
    return _read_table(
        table, kobo=_("KoboToolbox (CSV)"), central=_("ODK Central (CSV)"), other=_("CSV")
    )


def _read_table(
    table: tabular.Table, *, kobo: str, central: str, other: str
) -> tuple[str, list[RawSubmission]]:
    """Return a spreadsheet's rows as submissions, under the header in its first row."""
    if len(table) > MAX_SUBMISSIONS + 1:
        raise _too_many()
    header = [tabular.as_text(h).strip() for h in table[0][1]] if table else []
    rows = [
        RawSubmission(number, dict(zip(header, cells, strict=False))) for number, cells in table[1:]
    ]
    leaves = {_leaf(h).casefold() for h in header}
    if leaves & set(KOBO_KEYS):
        return str(kobo), rows
    if central and leaves & {"key", "submissiondate", "instanceid"}:
        return str(central), rows
    return str(other), rows


def _leaf(path: str) -> str:
    return SPLIT.split(path)[-1]


# --- matching columns to the form ------------------------------------------------------------


@dataclass
class Columns:
    fields: dict[str, str]  # column -> form field name
    meta: dict[str, str]  # metadata key (casefolded leaf) -> column


def match_columns(keys: list[str], layout: FormLayout) -> Columns:
    """Map the export's columns to the form's fields by name, else by label in any language."""
    names = {
        xlsform.FACTORY,
        xlsform.COORDINATOR,
        xlsform.MANAGER,
        xlsform.VERSION_FIELD,
        xlsform.LANGUAGE_FIELD,
        *xlsform.METADATA,
    }
    labels: dict[str, str] = {}
    for name, texts in xlsform.fixed_labels().items():
        labels.update(dict.fromkeys(texts, name))
    for f in layout.statements:
        names |= {f.name, f.comment}
        labels.update(dict.fromkeys(xlsform.statement_label(f.statement), f.name))
        labels.update(dict.fromkeys(xlsform.comment_label(f.statement), f.comment))
    labels = {text.strip(): name for text, name in labels.items()}
    result = Columns({}, {})
    for key in keys:
        found = _field_for(key, names, labels)
        if found is not None:
            result.fields.setdefault(key, found)
            continue
        meta = _leaf(key).casefold()
        if meta in (*INSTANCE_KEYS, *VERSION_KEYS, *REVIEW_KEYS, *EDIT_META, *SERVER_META):
            # "meta/instanceID" beats a bare "instanceID" no export has; first one wins.
            result.meta.setdefault(meta, key)
    return result


def _field_for(key: str, names: set[str], labels: dict[str, str]) -> str | None:
    if key in names:
        return key
    for part in (key.rsplit("/", 1)[-1], key.rsplit("-", 1)[-1]):
        if part in names:
            return part
    # An export with labels: "Section title/1.1. Statement text", or the label alone.
    parts = key.split("/")
    for i in range(len(parts)):
        if (label := "/".join(parts[i:]).strip()) in labels:
            return labels[label]
    return None


# --- checking each submission ----------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _ids(raw: RawSubmission, columns: Columns, keys: tuple[str, ...]) -> list[str]:
    found = []
    for key in keys:
        if key in columns.meta and (value := _text(raw.data.get(columns.meta[key]))):
            # Kobo's _uuid (and some rootUuid) is the instance ID without ODK's "uuid:" prefix.
            if key in ("_uuid", "rootuuid") and not value.startswith("uuid:"):
                value = f"uuid:{value}"
            found.append(value)
    return found


def _instance_id(raw: RawSubmission, columns: Columns) -> str:
    return next(iter(_ids(raw, columns, INSTANCE_KEYS)), "")


@dataclass
class Edit:
    replaces: str  # the deprecated instance ID, if the export has it
    ids: list[str]  # instance IDs the original may be stored under, best first


def _edit_of(raw: RawSubmission, columns: Columns, instance_id: str) -> Edit | None:
    """Return what an edited submission replaces; None for a submission never edited."""
    replaces = next(iter(_ids(raw, columns, DEPRECATED_KEYS)), "")
    roots = [i for i in _ids(raw, columns, ROOT_KEYS) if i != instance_id]
    edits = next(iter(_ids(raw, columns, EDITS_KEYS)), "0")
    review = _text(raw.data.get(columns.meta.get("reviewstate", ""))).casefold()
    edited = bool(replaces or roots) or review == EDITED_REVIEW or edits not in ("", "0")
    if not edited:
        return None
    return Edit(replaces, list(dict.fromkeys([i for i in (replaces, *roots) if i])))


def _moment(value: Any) -> datetime | None:
    """Read a server's or a phone's timestamp; one without a zone is UTC, as Kobo writes them."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(_text(value))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    """Read a date, or a timestamp's date where it was taken (its own offset, not UTC)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def _field_meta(
    raw: RawSubmission, columns: Columns, by_field: dict[str, str], *, kobo: bool
) -> FieldMeta:
    """Return a submission's metadata; a garbled value is left out, never a reason to refuse."""

    def form_value(name: str) -> Any:
        column = by_field.get(name)
        return raw.data.get(column) if column else None

    def server_value(keys: tuple[str, ...]) -> str:
        return next(
            (v for k in keys if k in columns.meta and (v := _text(raw.data.get(columns.meta[k])))),
            "",
        )

    language = _text(form_value(xlsform.LANGUAGE_FIELD))
    # The interview's own day; the server's date is when the phone next had a network.
    interviewed_on = _day(form_value("today")) or _day(form_value("start"))
    return FieldMeta(
        source=Assessment.Source.KOBO if kobo else Assessment.Source.ODK,
        language=language if language in language_codes() else "en",
        interviewed_on=interviewed_on,
        received_at=_moment(server_value(RECEIVED_KEYS)),
        submitted_by_name=server_value(SUBMITTER_KEYS)[:200],
        device_id=(_text(form_value("deviceid")) or server_value(DEVICE_KEYS))[:100],
    )


def _version_of(raw: RawSubmission, columns: Columns, by_field: dict[str, str]) -> int | None:
    column = by_field.get(xlsform.VERSION_FIELD)
    if column and (number := form_version_number(_text(raw.data.get(column)))) is not None:
        return number
    for key in VERSION_KEYS:
        if key in columns.meta:
            number = form_version_number(_text(raw.data.get(columns.meta[key])))
            if number is not None:
                return number
    return None


def _review_rejected(raw: RawSubmission, columns: Columns) -> bool:
    return any(
        _text(raw.data.get(columns.meta[key])).casefold() in REJECTED_REVIEWS
        for key in REVIEW_KEYS
        if key in columns.meta
    )


def _version_problem(
    found: int | None, version: QuestionnaireVersion, others: dict[int, QuestionnaireVersion]
) -> str:
    if found is None:
        return _("The submission does not say which version of the form it was filled in on.")
    other = others.get(found)
    if other is not None and other.status == QuestionnaireVersion.Status.PUBLISHED:
        return _(
            "Filled in on version %(found)s of the form, not version %(expected)s. "
            "Import it with version %(found)s chosen."
        ) % {"found": found, "expected": version.number}
    if other is not None and other.status == QuestionnaireVersion.Status.RETIRED:
        return _(
            "Filled in on version %(found)s of the form, which is no longer in use. "
            "The factory should answer the current version (%(expected)s)."
        ) % {"found": found, "expected": version.number}
    if other is not None:
        return _(
            "Filled in on version %(found)s of the form, a draft that was never published. "
            "The factory should answer the current version (%(expected)s)."
        ) % {"found": found, "expected": version.number}
    return _(
        "Filled in on version %(found)s of the form, which this questionnaire does not have."
    ) % {"found": found}


def check_submissions(
    raws: list[RawSubmission],
    *,
    version: QuestionnaireVersion,
    user: User | AnonymousUser,
    report: ImportReport,
    layout: FormLayout | None = None,
) -> list[Valid]:
    """Return the submissions that can be imported; list the others in the report."""
    layout = layout or form_layout(version)
    keys = list(dict.fromkeys(k for raw in raws for k in raw.data))
    columns = match_columns(keys, layout)
    by_field = {name: column for column, name in reversed(columns.fields.items())}
    if not any(k in columns.meta for k in INSTANCE_KEYS):
        raise BadFile(
            _(
                "The file has no instance ID column (meta-instanceID, KEY, __id or _uuid). "
                "Export the submissions from ODK Central or KoboToolbox without removing it."
            )
        )
    statement_columns = [by_field.get(f.name) for f in layout.statements]
    if xlsform.FACTORY not in by_field or not any(statement_columns):
        raise BadFile(
            _(
                "This file is not an export of “%(form)s”: the factory and the statements "
                "are not among its columns. Check that you chose the right questionnaire."
            )
            % {"form": version}
        )

    kobo = any(_leaf(k).casefold() in KOBO_KEYS for k in keys)
    others = {v.number: v for v in version.questionnaire.versions.exclude(pk=version.pk)}
    yes_no = _yes_no_values()
    seen: dict[str, int] = {}
    candidates: list[tuple[RawSubmission, str, Edit | None]] = []
    for raw in raws:
        instance_id = _instance_id(raw, columns)
        if not instance_id:
            report.rejected.append(Rejected(raw.row, "", _("The submission has no instance ID.")))
        elif len(instance_id) > INSTANCE_ID_MAX:
            report.rejected.append(
                Rejected(raw.row, instance_id[:40], _("The instance ID is too long."))
            )
        elif instance_id in seen:
            report.rejected.append(
                Rejected(
                    raw.row,
                    instance_id,
                    _("The same submission is in row %(row)s; it is imported once.")
                    % {"row": seen[instance_id]},
                )
            )
        else:
            seen[instance_id] = raw.row
            candidates.append((raw, instance_id, _edit_of(raw, columns, instance_id)))

    imported = _existing_instance_ids([iid for _raw, iid, _edit in candidates])
    originals = _originals([i for _raw, _iid, edit in candidates if edit for i in edit.ids], user)
    factory_column = by_field[xlsform.FACTORY]
    factory_ids = set()
    for raw, _iid, _edit in candidates:
        if (pk := xlsform.factory_id_from(_text(raw.data.get(factory_column)))) is not None:
            factory_ids.add(pk)
    writable = _writable_factories(factory_ids, user)

    valid: list[Valid] = []
    for raw, instance_id, edit in candidates:
        if instance_id in imported:
            report.already_imported += 1
            continue
        reasons = []
        original: Assessment | None = None
        if edit is not None:
            found_original = next((originals[i] for i in edit.ids if i in originals), None)
            in_file = next((seen[i] for i in edit.ids if i in seen), None)
            if found_original is None and in_file is not None:
                # Exports hold the latest version only; a file with both is made by hand.
                reasons.append(
                    _(
                        "This edits the submission in row %(row)s of the same file. "
                        "Import the file again to apply the edit."
                    )
                    % {"row": in_file}
                )
            elif found_original is False:
                reasons.append(_("This edits an assessment you may not change."))
            elif isinstance(found_original, Assessment):
                original = found_original
        if _review_rejected(raw, columns):
            reasons.append(_("A reviewer rejected this submission in ODK Central or KoboToolbox."))
        found = _version_of(raw, columns, by_field)
        if found != version.number:
            report.rejected.append(
                Rejected(
                    raw.row,
                    instance_id,
                    " ".join([*reasons, _version_problem(found, version, others)]),
                )
            )
            continue
        factory_text = _text(raw.data.get(factory_column))
        factory_id = xlsform.factory_id_from(factory_text)
        if not factory_text:
            reasons.append(_("The submission does not say which factory it is for."))
        elif factory_id not in writable:
            # One message for both: whether a factory exists is not for everyone to learn.
            reasons.append(
                _(
                    "“%(value)s” is not a factory whose assessments you may record "
                    "(unknown factory, or not yours)."
                )
                % {"value": factory_text[:60]}
            )
        if original is not None and factory_id in writable and original.factory_id != factory_id:
            reasons.append(
                _(
                    "This edit names another factory than the assessment it changes "
                    "(%(factory)s). Correct the factory in ODK Central or KoboToolbox."
                )
                % {"factory": original.factory.name}
            )
        if original is not None and original.version_id != version.pk:
            reasons.append(
                _("The assessment this edit changes was answered on version %(n)s of the form.")
                % {"n": original.version.number}
            )
        answers, problems = _answers(raw, layout, by_field, yes_no)
        reasons += problems
        if reasons:
            report.rejected.append(Rejected(raw.row, instance_id, " ".join(reasons)))
            continue
        assert factory_id is not None
        valid.append(
            Valid(
                raw.row,
                instance_id,
                writable[factory_id],
                _text(raw.data.get(by_field.get(xlsform.COORDINATOR, ""))),
                _text(raw.data.get(by_field.get(xlsform.MANAGER, ""))),
                answers,
                meta=_field_meta(raw, columns, by_field, kobo=kobo),
                edits=original,
                replaces=edit.replaces if edit else "",
                edit_of_unknown=edit is not None and original is None,
            )
        )
    return valid


def _yes_no_values() -> dict[str, bool]:
    """Map "yes"/"no" and their labels in every language (exports with labels) to answers."""
    values = {}
    for name, labels in xlsform.yes_no_labels().items():
        answer = name == xlsform.YES
        values[name] = answer
        values.update({label.casefold(): answer for label in labels})
    return values


def _answers(
    raw: RawSubmission, layout: FormLayout, by_field: dict[str, str], yes_no: dict[str, bool]
) -> tuple[list[dict[str, Any]], list[str]]:
    answers = []
    missing = []
    problems = []
    for f in layout.statements:
        column = by_field.get(f.name)
        text = _text(raw.data.get(column)) if column else ""
        if not text:
            missing.append(f.statement.code)
            continue
        value = yes_no.get(text.casefold())
        if value is None:
            problems.append(
                _("%(code)s: “%(value)s” is not yes or no.")
                % {"code": f.statement.code, "value": text[:40]}
            )
            continue
        comment_column = by_field.get(f.comment)
        comment = _text(raw.data.get(comment_column)) if comment_column else ""
        answers.append({"statement": f.statement, "value": value, "comment": comment})
    if missing:
        problems.insert(
            0,
            ngettext(
                "Statement %(codes)s has no answer.",
                "Statements %(codes)s have no answer.",
                len(missing),
            )
            % {"codes": ", ".join(missing)},
        )
    return answers, problems


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _existing_instance_ids(instance_ids: list[str]) -> set[str]:
    """Return the instance IDs already imported, as an assessment or as an edit of one."""
    found: set[str] = set()
    for chunk in _chunks(instance_ids):
        qs = Assessment.objects.filter(instance_id__in=chunk)
        found.update(iid for iid in qs.values_list("instance_id", flat=True) if iid)
        revisions = AssessmentRevision.objects.filter(instance_id__in=chunk)
        found.update(revisions.values_list("instance_id", flat=True))
    return found


def _originals(instance_ids: list[str], user: User | AnonymousUser) -> dict[str, Assessment | bool]:
    """Map instance IDs to the assessment stored under them (False: one the user may not change)."""
    ids = sorted(set(instance_ids))
    pks: dict[str, int] = {}
    for chunk in _chunks(ids):
        pks.update(
            (iid, pk)
            for iid, pk in Assessment.objects.filter(instance_id__in=chunk).values_list(
                "instance_id", "pk"
            )
            if iid
        )
        revisions = AssessmentRevision.objects.filter(instance_id__in=chunk)
        pks.update(revisions.values_list("instance_id", "assessment_id"))
    writable: dict[int, Assessment] = {}
    scope = assessments_for(user, write=True).select_related("factory", "version")
    for chunk in _chunks(sorted(set(pks.values()))):
        writable.update({a.pk: a for a in scope.filter(pk__in=chunk)})
    return {iid: writable.get(pk, False) for iid, pk in pks.items()}


def _writable_factories(pks: set[int], user: User | AnonymousUser) -> dict[int, Factory]:
    found: dict[int, Factory] = {}
    scope = assessed_factories_for(user, write=True)
    for chunk in _chunks(sorted(pks)):
        found.update({f.pk: f for f in scope.filter(pk__in=chunk)})
    return found


def _engagements(factory_ids: list[int], user: User | AnonymousUser) -> dict[int, Engagement]:
    """Return each factory's engagement, where the user sees exactly one that is under way."""
    by_factory: dict[int, list[Engagement]] = defaultdict(list)
    scope = engagements_for(user).filter(
        status__in=(Engagement.Status.PROSPECT, Engagement.Status.ACTIVE)
    )
    for chunk in _chunks(factory_ids):
        for engagement in scope.filter(factory__in=chunk):
            by_factory[engagement.factory_id].append(engagement)
    # With two providers (or two programmes) the right one is a person's choice, made later.
    return {pk: items[0] for pk, items in by_factory.items() if len(items) == 1}


# --- writing ---------------------------------------------------------------------------------


def import_submissions(
    data: bytes,
    *,
    name: str,
    version: QuestionnaireVersion,
    user: User,
    size: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an export's submissions as assessments of the version; report what happened."""
    report = ImportReport()
    if (len(data) if size is None else size) > settings.IMPORT_MAX_BYTES:
        report.error = str(_too_large())
        return report
    try:
        report.source, raws = read_file(data, name)
        report.submissions = len(raws)
        if not raws:
            raise BadFile(_("The file has no submissions."))
        layout = form_layout(version)
        valid = check_submissions(raws, version=version, user=user, report=report, layout=layout)
    except BadFile as e:
        report.error = str(e)
        return report
    if progress is not None:
        progress(report.submissions - len(valid), report.submissions)
    write_submissions(valid, version=version, user=user, report=report, progress=progress)
    report.rejected.sort(key=lambda r: r.row)
    return report


def write_submissions(
    valid: list[Valid],
    *,
    version: QuestionnaireVersion,
    user: User,
    report: ImportReport,
    progress: Progress | None = None,
) -> None:
    """Write the checked submissions: new ones a batch at a time, edits one by one."""
    engagements = _engagements(sorted({v.factory.pk for v in valid}), user)
    done = report.submissions - len(valid)  # the others were settled while checking
    for start in range(0, len(valid), COMMIT_EVERY):
        chunk = valid[start : start + COMMIT_EVERY]
        new = [item for item in chunk if item.edits is None]
        # A batch is one transaction of a few INSERTs (services.assessments_import). It fails
        # whole only when something changed since the check (another import of the same file
        # meanwhile) or a submission breaks a rule the check does not cover (an unanswered
        # statement): then that batch is written again one by one, each in its own savepoint,
        # so that the report names the submission and the others still land.
        if not _write_batch(
            new, version=version, user=user, engagements=engagements, report=report
        ):
            with transaction.atomic():
                for item in new:
                    _write_one(
                        item, version=version, user=user, engagements=engagements, report=report
                    )
        for item in chunk:
            if item.edits is not None:
                _write_edit(item, user=user, report=report)
        if progress is not None:
            progress(done + min(start + COMMIT_EVERY, len(valid)), report.submissions)


def _write_batch(
    items: list[Valid],
    *,
    version: QuestionnaireVersion,
    user: User,
    engagements: dict[int, Engagement],
    report: ImportReport,
) -> bool:
    """Write new submissions in one transaction; False (and nothing written) if one is refused."""
    if not items:
        return True
    sittings = [
        services.Sitting(
            factory=item.factory,
            answers=item.answers,
            instance_id=item.instance_id,
            engagement=engagements.get(item.factory.pk),
            coordinator_name=item.coordinator_name[:200],
            manager_name=item.manager_name[:200],
            language=item.meta.language,
            source=item.meta.source,
            interviewed_on=item.meta.interviewed_on,
            received_at=item.meta.received_at,
            submitted_by_name=item.meta.submitted_by_name,
            device_id=item.meta.device_id,
        )
        for item in items
    ]
    try:
        written = services.assessments_import(sittings=sittings, version=version, by=user)
    except (IntegrityError, ValidationError):
        return False
    for item, assessment in zip(items, written, strict=True):
        report.created.append(assessment.pk)
        if item.edit_of_unknown:
            report.notes.append(Rejected(item.row, item.instance_id, _edit_of_unknown_note()))
    return True


def _edit_of_unknown_note() -> str:
    return _("An edit of a submission that is not in FIT Hub: imported as a new assessment.")


def _write_one(
    item: Valid,
    *,
    version: QuestionnaireVersion,
    user: User,
    engagements: dict[int, Engagement],
    report: ImportReport,
) -> None:
    if item.edits is not None:
        _write_edit(item, user=user, report=report)
        return
    try:
        with transaction.atomic():
            assessment = services.assessment_start(
                factory=item.factory,
                version=version,
                by=user,
                engagement=engagements.get(item.factory.pk),
                coordinator_name=item.coordinator_name[:200],
                manager_name=item.manager_name[:200],
                instance_id=item.instance_id,
                source=item.meta.source,
                language=item.meta.language,
                interviewed_on=item.meta.interviewed_on,
                received_at=item.meta.received_at,
                submitted_by_name=item.meta.submitted_by_name,
                device_id=item.meta.device_id,
            )
            services.answers_create(assessment=assessment, answers=item.answers, by=user)
            services.assessment_submit(assessment=assessment, by=user)
    except IntegrityError:
        # Imported by someone else between the check and now.
        report.already_imported += 1
    except ValidationError as e:
        if "instance_id" in getattr(e, "error_dict", {}):  # the same race, caught earlier
            report.already_imported += 1
        else:
            report.rejected.append(Rejected(item.row, item.instance_id, " ".join(e.messages)))
    else:
        report.created.append(assessment.pk)
        if item.edit_of_unknown:
            report.notes.append(Rejected(item.row, item.instance_id, _edit_of_unknown_note()))


def _write_edit(item: Valid, *, user: User, report: ImportReport) -> None:
    assert item.edits is not None
    try:
        with transaction.atomic():
            services.assessment_revise(
                assessment=item.edits,
                answers=item.answers,
                by=user,
                instance_id=item.instance_id,
                replaces=item.replaces,
                coordinator_name=item.coordinator_name[:200],
                manager_name=item.manager_name[:200],
            )
    except IntegrityError:
        report.already_imported += 1  # the same edit, imported by someone else meanwhile
    except ValidationError as e:
        if "instance_id" in getattr(e, "error_dict", {}):
            report.already_imported += 1
        else:
            report.rejected.append(Rejected(item.row, item.instance_id, " ".join(e.messages)))
    else:
        report.updated.append(item.edits.pk)
