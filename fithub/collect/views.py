"""Offline collection pages: download a questionnaire's XLSForm or XForm, import submissions."""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError

from fithub.accounts.models import User
from fithub.assessment.models import QuestionnaireVersion
from fithub.assessment.scoping import assessed_factories_for, versions_for
from fithub.collect import services, xlsform
from fithub.collect import surveys as survey_forms
from fithub.collect.forms import SubmissionImportForm, SurveyImportForm
from fithub.collect.scoping import importable_versions_for, may_import, submission_imports_for
from fithub.lib import tabular
from fithub.surveys.models import Survey
from fithub.surveys.scoping import surveys_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_IMPORTS = 10


def _version_for(request: HttpRequest, pk: int) -> QuestionnaireVersion:
    """Return the questionnaire version if the user may see it; else 404."""
    qs = versions_for(request.user).select_related("questionnaire")
    return get_object_or_404(qs, pk=pk)


def _importable_versions(request: HttpRequest) -> QuerySet[QuestionnaireVersion]:
    """Return the versions the user may import into; 404 if they record no assessments."""
    if not may_import(request.user):
        raise Http404
    return (
        importable_versions_for(request.user)
        .select_related("questionnaire")
        .order_by("questionnaire__slug", "-number")
    )


def _xlsform(request: HttpRequest, version: QuestionnaireVersion) -> bytes:
    # The form lists the factories the user may record assessments for (see xlsform.py).
    factories = assessed_factories_for(request.user, write=True).only("pk", "name", "city")
    return xlsform.xlsform_bytes(xlsform.build_xlsform(version, factories=factories))


def _filename(version: QuestionnaireVersion, suffix: str) -> str:
    return f"{version.form_id}_v{version.number}.{suffix}"


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    versions = (
        versions_for(request.user)
        .select_related("questionnaire")
        .order_by("questionnaire__slug", "-number")
    )
    ctx = {
        "versions": versions,
        "can_import": may_import(request.user),
    }
    if not versions and not ctx["can_import"]:
        raise Http404
    return render(request, "collect/list.html", ctx)


@login_required
def xlsform_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version_for(request, pk)
    response = HttpResponse(_xlsform(request, version), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "xlsx")}"'
    return response


@login_required
def xform_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version_for(request, pk)
    try:
        # ODK Validate (Java, about a second) runs in the tests, not on every download.
        xml = xlsform.build_xform(_xlsform(request, version))
    except PyXFormError as e:
        message = _("This questionnaire version cannot be made into a form: %(error)s")
        return HttpResponse(
            message % {"error": e}, status=409, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "xml")}"'
    return response


@login_required
def submissions_import(request: HttpRequest) -> HttpResponse:
    """Upload an ODK Central or KoboToolbox export; it is imported in the background."""
    versions = _importable_versions(request)
    form = SubmissionImportForm(request.POST or None, request.FILES or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tabular.check_size(upload)  # on the size it declares, before a byte is read
        except tabular.BadFile as e:
            form.add_error("file", str(e))
        else:
            record = services.submission_import_queue(
                version=form.cleaned_data["version"],
                data=upload.read(),
                file_name=upload.name or "",
                language=translation.get_language() or "en",
                by=cast(User, request.user),
            )
            return redirect(record)
    recent = submission_imports_for(request.user).select_related("version__questionnaire")[
        :RECENT_IMPORTS
    ]
    return render(request, "collect/import.html", {"form": form, "recent": recent})


@login_required
def submission_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an import's progress while it runs, then its report."""
    qs = submission_imports_for(request.user).select_related("version__questionnaire")
    record = get_object_or_404(qs.defer("data"), pk=pk)
    template = "collect/import_detail.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(request, template, {"record": record})


def _survey_for(request: HttpRequest, pk: int) -> Survey:
    """Return the survey if the user runs it (its session's provider); else 404."""
    qs = surveys_for(request.user, write=True).select_related("session__module", "version")
    return get_object_or_404(qs, pk=pk)


@login_required
def survey_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk)
    book = survey_forms.build_survey_xlsform(survey)
    response = HttpResponse(xlsform.xlsform_bytes(book), content_type=XLSX_TYPE)
    name = f"fithub_survey_{survey.pk}_v{survey.version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def survey_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a survey form's submissions; a session's few dozen are read at once."""
    survey = _survey_for(request, pk)
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tabular.check_size(upload)
        except tabular.BadFile as e:
            form.add_error("file", str(e))
        else:
            report = survey_forms.survey_submissions_import(
                survey=survey,
                data=upload.read(),
                file_name=upload.name or "",
                by=cast(User, request.user),
            )
    ctx = {"survey": survey, "form": form, "report": report}
    return render(request, "collect/survey_import.html", ctx)
