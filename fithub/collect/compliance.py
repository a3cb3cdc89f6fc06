"""The compliance assessment tool offline: its XLSForm, and submissions read back into assessments.

The form has one group per cluster, and in it one select_one per question (compliant,
non-compliant, not applicable) with optional notes, labels in every language. The factory's
facts are a select_multiple asked first, and a question that applies only with a fact is
relevant only when it is ticked, as on the phone page. The assessment number is typed (the
assessor reads it off the assessment's page): the form stays one per tool version, and never
holds a planned date or a factory list.

Submissions come back through the generic readers of `importer.py` (CSV, Excel, JSON, ZIP from
ODK Central or KoboToolbox). Each is its own field data: valid ones go into their assessment,
started if it was only planned, refused ones are listed with the reason; an instance ID already
imported changes nothing (OfflineSubmission).
"""

from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fithub.accounts.models import User
from fithub.collect import importer
from fithub.collect.xlsform import (
    METADATA,
    VERSION_FIELD,
    _digest,
    _each,
    _fill,
    _stored,
    language_column,
    safe_name,
    xlsform_bytes,
)
from fithub.compliance import services
from fithub.compliance.models import (
    Cluster,
    ComplianceAssessment,
    Fact,
    Finding,
    OfflineSubmission,
    Question,
    ToolVersion,
)
from fithub.compliance.scoping import assessments_for, sees_assessments, versions_for
from fithub.lib.i18n import FALLBACK, language_codes, localized
from fithub.lib.tabular import BadFile

RESULTS = "results"
FACTS_LIST = "facts"
FACTS = "facts"
ASSESSMENT = "assessment"
COUNT_LABELS = {
    "worker_interviews": gettext_lazy("Worker interviews"),
    "management_interviews": gettext_lazy("Management interviews"),
    "documents_reviewed": gettext_lazy("Documents reviewed"),
}
COUNTS = tuple(COUNT_LABELS)


@dataclass(frozen=True)
class QuestionField:
    name: str
    notes: str
    question: Question


@dataclass
class ToolLayout:
    version: ToolVersion
    groups: list[tuple[str, Cluster, list[QuestionField]]] = field(default_factory=list)

    @property
    def fields(self) -> list[QuestionField]:
        return [f for _n, _c, fields in self.groups for f in fields]


def tool_layout(version: ToolVersion) -> ToolLayout:
    """Return the version's clusters and questions with the form field name of each."""
    layout = ToolLayout(version)
    taken: set[str] = set()
    questions = (
        Question.objects.filter(version=version)
        .select_related("point__cluster")
        .order_by("point__cluster__order", "point__order", "order", "pk")
    )
    by_cluster: dict[int, list[QuestionField]] = {}
    clusters: dict[int, Cluster] = {}
    for q in questions:
        clusters[q.point.cluster_id] = q.point.cluster
        by_cluster.setdefault(q.point.cluster_id, []).append(
            QuestionField(safe_name(q.code, "q_", taken), safe_name(q.code, "n_", taken), q)
        )
    for pk, fields in by_cluster.items():
        layout.groups.append((safe_name(clusters[pk].code, "cl_", taken), clusters[pk], fields))
    return layout


def form_id(version: ToolVersion) -> str:
    return f"fithub_cat_{version.tool.slug}".replace("-", "_")


def build_tool_xlsform(version: ToolVersion) -> openpyxl.Workbook:
    """Return the XLSForm of a tool version: clusters as groups, labels in every language."""
    layout = tool_layout(version)
    langs = [language_column(code) for code in language_codes()]

    def multi(column: str) -> list[str]:
        return [f"{column}::{lang}" for lang in langs]

    columns = ["type", "name", *multi("label"), *multi("hint"), "required", "relevant",
               "constraint", *multi("constraint_message"), "appearance", "calculation"]  # fmt: skip
    survey: list[dict[str, Any]] = []

    def row(kind: str, name: str, **kw: Any) -> None:
        cells: dict[str, Any] = {"type": kind, "name": name}
        for key, value in kw.items():
            if isinstance(value, list):
                cells.update(zip(multi(key), value, strict=True))
            else:
                cells[key] = value
        survey.append(cells)

    for name in METADATA:
        row(name, name)
    row("calculate", VERSION_FIELD, calculation=f"'{version.number}'")
    row(
        "integer",
        ASSESSMENT,
        label=_each(gettext_lazy("FIT Hub assessment number")),
        hint=_each(gettext_lazy("The number in the address of the assessment's page.")),
        required="yes",
        constraint=". > 0",
        constraint_message=_each(gettext_lazy("Write digits only, such as 1234.")),
    )
    row(
        f"select_multiple {FACTS_LIST}",
        FACTS,
        label=_each(gettext_lazy("What the factory has (tick all that apply)")),
    )
    for name, label in COUNT_LABELS.items():
        row(
            "integer",
            name,
            label=_each(label),
            constraint=". >= 0 and . <= 10000",
            constraint_message=_each(gettext_lazy("Give a whole number from 0 to 10000.")),
        )
    for group, cluster, fields in layout.groups:
        row("begin_group", group, label=_stored(cluster.title))
        for f in fields:
            q = f.question
            relevant = " and ".join(f"selected(${{{FACTS}}}, '{fact}')" for fact in q.applies_if)
            labels = [f"{q.code}. {text}" for text in _stored(q.text)]
            row(f"select_one {RESULTS}", f.name, label=labels,
                hint=_stored(q.guidance) if q.guidance else "", required="yes",
                relevant=relevant)  # fmt: skip
            row("text", f.notes, label=_each(gettext_lazy("Notes on %(code)s"), code=q.code),
                relevant=relevant, appearance="multiline")  # fmt: skip
        row("end_group", "")
    lists = ((RESULTS, Finding.Result.choices), (FACTS_LIST, Fact.choices))
    choices: list[dict[str, Any]] = [
        {"list_name": name, "name": value, **dict(zip(multi("label"), _each(label), strict=True))}
        for name, options in lists
        for value, label in options
    ]
    title = localized(version.tool.title, FALLBACK) or version.tool.slug
    settings_row = {
        "form_title": f"{title} (v{version.number})",
        "form_id": form_id(version),
        "version": "",
        "instance_name": f"concat('FIT ', ${{{ASSESSMENT}}}, ' · ', today())",
        "default_language": language_column(FALLBACK),
    }
    settings_row["version"] = f"{version.number}-{_digest(survey, choices, settings_row)}"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    _fill(sheet, columns, survey)
    _fill(book.create_sheet("choices"), ["list_name", "name", *multi("label")], choices)
    _fill(book.create_sheet("settings"), list(settings_row), [settings_row])
    return book


# --- import ----------------------------------------------------------------------------------


@dataclass
class ComplianceImport:
    source: str = ""
    submissions: int = 0
    imported: list[int] = field(default_factory=list)  # assessment ids
    already_imported: int = 0
    rejected: list[importer.Rejected] = field(default_factory=list)
    error: str = ""


def _value(data: dict[str, Any], name: str) -> str:
    """A field's value whether the export named it plainly or by its group path."""
    for key, value in data.items():
        if key == name or key.rsplit("/", 1)[-1] == name or key.rsplit("-", 1)[-1] == name:
            return "" if value is None else str(value).strip()
    return ""


def _instance_id(data: dict[str, Any]) -> str:
    for key in ("meta/instanceID", "instanceID", "_uuid", "KEY", "meta-instanceID"):
        if data.get(key):
            value = str(data[key]).strip()
            return value if value.startswith("uuid:") else f"uuid:{value}"
    return ""


def _count(text: str) -> int:
    return int(float(text)) if text else 0


def _one(
    raw: importer.RawSubmission,
    *,
    version: ToolVersion,
    layout: ToolLayout,
    user: User,
    instance_id: str,
) -> ComplianceAssessment:
    """Write one submission into its assessment; raise ValidationError to refuse it."""
    data = raw.data
    number = _value(data, ASSESSMENT)
    if not number.isdigit():
        raise ValidationError(_("The submission has no FIT Hub assessment number."))
    assessment = assessments_for(user, write=True).filter(pk=int(number), version=version).first()
    if assessment is None:
        raise ValidationError(
            _("Assessment %(n)s is not one of yours on this tool version.") % {"n": number}
        )
    if assessment.status == ComplianceAssessment.Status.PLANNED:
        assessment = services.assessment_start(assessment=assessment, by=user)
    facts = set(_value(data, FACTS).split())
    services.facts_save(assessment=assessment, facts={f: f in facts for f in Fact.values}, by=user)
    try:
        counts = {name: _count(_value(data, name)) for name in COUNTS}
    except ValueError:
        raise ValidationError(_("The counts must be whole numbers.")) from None
    services.counts_save(assessment=assessment, by=user, **counts)
    for f in layout.fields:
        result = _value(data, f.name)
        if not result and not f.question.applies_to(assessment.facts):
            continue
        services.finding_save(
            assessment=assessment,
            question=f.question,
            result=result,
            notes=_value(data, f.notes),
            by=user,
        )
    OfflineSubmission.objects.create(
        instance_id=instance_id, assessment=assessment, created_by=user
    )
    return assessment


def import_submissions(
    data: bytes, *, name: str, version: ToolVersion, user: User | AnonymousUser
) -> ComplianceImport:
    """Import an ODK Central / KoboToolbox export of the tool's form; report every refusal."""
    report = ComplianceImport()
    try:
        report.source, rows = importer.read_file(data, name)
    except BadFile as e:
        report.error = str(e)
        return report
    assert isinstance(user, User)
    layout = tool_layout(version)
    report.submissions = len(rows)
    for raw in rows:
        instance_id = _instance_id(raw.data)
        if not instance_id:
            reason = _("The submission has no instance ID.")
            report.rejected.append(importer.Rejected(raw.row, "", reason))
            continue
        if OfflineSubmission.objects.filter(instance_id=instance_id).exists():
            report.already_imported += 1
            continue
        try:
            with transaction.atomic():  # one submission is all in or all out
                assessment = _one(
                    raw, version=version, layout=layout, user=user, instance_id=instance_id
                )
        except ValidationError as e:
            report.rejected.append(importer.Rejected(raw.row, instance_id, " ".join(e.messages)))
            continue
        except IntegrityError:  # the same instance imported at the same moment elsewhere
            report.already_imported += 1
            continue
        report.imported.append(assessment.pk)
    return report


# --- pages -----------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export from ODK Central or KoboToolbox"),
        help_text=gettext_lazy(
            "CSV, Excel (.xlsx) or JSON, or the ZIP file ODK Central downloads."
        ),
    )


def _version_for(request: HttpRequest, pk: int) -> ToolVersion:
    return get_object_or_404(versions_for(request.user).select_related("tool"), pk=pk)


@login_required
def tool_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a tool version's XLSForm, for ODK Central or KoboToolbox."""
    version = _version_for(request, pk)
    data = xlsform_bytes(build_tool_xlsform(version))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    name = f"{form_id(version)}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def tool_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import an export of the tool's form into the assessor's assessments."""
    version = _version_for(request, pk)
    if not sees_assessments(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_submissions(
            upload.read(), name=upload.name or "", version=version, user=request.user
        )
    ctx = {"version": version, "form": form, "report": report}
    return render(request, "collect/compliance_import.html", ctx)
