"""Import offline submissions of a FIT Hub form from ODK Central or KoboToolbox exports.

Read are: ODK Central's CSV (a lone .csv or its .zip download; group paths joined by "-",
`meta-instanceID`, `KEY`, `SubmissionDate`, `FormVersion`) and its OData JSON (`value`,
nested groups, `__id`, `__system`), and KoboToolbox's JSON (a list, or the API's `results`;
group paths joined by "/", `_uuid`, `meta/instanceID`, `_submission_time`) and CSV (";" or ","
separated, "/" group paths). Kobo exports "with labels" instead of names are read as well.
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
from fithub.assessment.models import Assessment, QuestionnaireVersion
from fithub.assessment.scoping import assessed_factories_for
from fithub.collect import xlsform
from fithub.collect.xlsform import FormLayout, form_layout, form_version_number
from fithub.factories.models import Factory
from fithub.lib import tabular
from fithub.lib.tabular import BadFile
from fithub.programmes.models import Engagement
from fithub.programmes.scoping import engagements_for

MAX_SUBMISSIONS = 50_000
BATCH = 500  # ids per query, far below SQLite's limit on query parameters
COMMIT_EVERY = 50  # submissions per transaction (each also has its own savepoint)
INSTANCE_ID_MAX = 100
# Metadata keys, compared case-insensitively on the last part of the path.
# In order of preference. ODK Central's KEY/__id is the submission's first instance ID and stays
# when the submission is edited there (meta-instanceID changes), so an edit made after the import
# is not imported a second time as a new assessment.
INSTANCE_KEYS = ("__id", "key", "instanceid", "_uuid")
VERSION_KEYS = ("formversion",)
REVIEW_KEYS = ("reviewstate", "_validation_status", "uid")
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
    already_imported: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    error: str = ""  # the file as a whole could not be read: nothing was imported

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class Valid:
    row: int
    instance_id: str
    factory: Factory
    coordinator_name: str
    manager_name: str
    answers: list[dict[str, Any]]  # {statement, value, comment}, as answers_create takes them


# --- reading the file ----------------------------------------------------------------------


def read_file(data: bytes, name: str = "") -> tuple[str, list[RawSubmission]]:
    """Return the export's format and its submissions; raise BadFile if it is not an export."""
    if not data.strip():
        raise BadFile(_("The file is empty."))
    suffix = PurePath(name).suffix.lower()
    if suffix in (".xlsx", ".xls", ".xlsm"):
        raise BadFile(
            _("Excel files cannot be imported. Export the submissions as CSV or JSON instead.")
        )
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
    if len(table) > MAX_SUBMISSIONS + 1:
        raise _too_many()
    header = [h.strip() for h in table[0][1]] if table else []
    rows = [
        RawSubmission(number, dict(zip(header, cells, strict=False))) for number, cells in table[1:]
    ]
    leaves = {_leaf(h).casefold() for h in header}
    if "_uuid" in leaves or "_submission_time" in leaves:
        return str(_("KoboToolbox (CSV)")), rows
    if leaves & {"key", "submissiondate", "instanceid"}:
        return str(_("ODK Central (CSV)")), rows
    return str(_("CSV")), rows


def _leaf(path: str) -> str:
    return SPLIT.split(path)[-1]


# --- matching columns to the form ------------------------------------------------------------


@dataclass
class Columns:
    fields: dict[str, str]  # column -> form field name
    meta: dict[str, str]  # metadata key (casefolded leaf) -> column


def match_columns(keys: list[str], layout: FormLayout) -> Columns:
    """Map the export's columns to the form's fields by name, else by label in any language."""
    names = {xlsform.FACTORY, xlsform.COORDINATOR, xlsform.MANAGER, xlsform.VERSION_FIELD}
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
        if meta in (*INSTANCE_KEYS, *VERSION_KEYS, *REVIEW_KEYS):
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


def _instance_id(raw: RawSubmission, columns: Columns) -> str:
    for key in INSTANCE_KEYS:
        if key in columns.meta and (value := _text(raw.data.get(columns.meta[key]))):
            # Kobo's _uuid is the instance ID without ODK's "uuid:" prefix.
            if key == "_uuid" and not value.startswith("uuid:"):
                value = f"uuid:{value}"
            return value
    return ""


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

    others = {v.number: v for v in version.questionnaire.versions.exclude(pk=version.pk)}
    yes_no = _yes_no_values()
    seen: dict[str, int] = {}
    candidates: list[tuple[RawSubmission, str]] = []
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
            candidates.append((raw, instance_id))

    imported = _existing_instance_ids([iid for _raw, iid in candidates])
    factory_column = by_field[xlsform.FACTORY]
    factory_ids = set()
    for raw, _iid in candidates:
        if (pk := xlsform.factory_id_from(_text(raw.data.get(factory_column)))) is not None:
            factory_ids.add(pk)
    writable = _writable_factories(factory_ids, user)

    valid: list[Valid] = []
    for raw, instance_id in candidates:
        if instance_id in imported:
            report.already_imported += 1
            continue
        reasons = []
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
    found: set[str] = set()
    for chunk in _chunks(instance_ids):
        qs = Assessment.objects.filter(instance_id__in=chunk)
        found.update(iid for iid in qs.values_list("instance_id", flat=True) if iid)
    return found


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
    """Write each checked submission on its own, through the assessment services."""
    engagements = _engagements(sorted({v.factory.pk for v in valid}), user)
    done = report.submissions - len(valid)  # the others were settled while checking
    for start in range(0, len(valid), COMMIT_EVERY):
        # Each submission has its own savepoint, so a refused one takes nothing else with it.
        # Committing every COMMIT_EVERY submissions rather than after each saves PostgreSQL a
        # wait for the disk per submission (15-20% of the time, measured), and still holds
        # SQLite's single write lock for well under a second at a time.
        with transaction.atomic():
            for item in valid[start : start + COMMIT_EVERY]:
                _write_one(item, version=version, user=user, engagements=engagements, report=report)
        if progress is not None:
            progress(done + min(start + COMMIT_EVERY, len(valid)), report.submissions)


def _write_one(
    item: Valid,
    *,
    version: QuestionnaireVersion,
    user: User,
    engagements: dict[int, Engagement],
    report: ImportReport,
) -> None:
    try:
        with transaction.atomic():
            assessment = services.assessment_start(
                factory=item.factory,
                version=version,
                by=user,
                engagement=engagements.get(item.factory.pk),
                coordinator_name=item.coordinator_name[:200],
                manager_name=item.manager_name[:200],
                source=Assessment.Source.ODK,
                instance_id=item.instance_id,
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
