"""Questionnaire pages: versions, sections, statements, publishing and printing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.models import Organisation
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.assessment import imports, printing, services
from fithub.assessment.forms import (
    ImportForm,
    LinkFormSet,
    QuestionnaireForm,
    SectionForm,
    StatementForm,
    VersionNotesForm,
)
from fithub.assessment.models import (
    QuestionnaireVersion,
    Section,
    Statement,
    StatementModule,
)
from fithub.assessment.scoping import (
    questionnaires_for,
    sees_questionnaires,
    versions_for,
)
from fithub.assessment.views.common import (
    _draft_for,
    _owners,
    _pdf,
    _pdf_language,
    _section_for,
    _statement_for,
    _user,
    _version_for,
)
from fithub.catalogue.models import Module
from fithub.lib import pdf
from fithub.lib.i18n import language_codes

# --- questionnaires ------------------------------------------------------------------------


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    if not sees_questionnaires(request.user):
        raise Http404
    visible = versions_for(request.user).order_by("-number")
    questionnaires = (
        questionnaires_for(request.user)
        .select_related("owner")
        .prefetch_related(Prefetch("versions", queryset=visible, to_attr="visible_versions"))
    )
    ctx = {
        "questionnaires": questionnaires,
        # A superuser edits every questionnaire but owns none to create one for.
        "can_create": bool(
            roles_of(request.user).orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,))
        ),
        "editable": set(questionnaires_for(request.user, write=True).values_list("pk", flat=True)),
    }
    return render(request, "assessment/questionnaires.html", ctx)


@login_required
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    owners = _owners(request, write=True)
    choices = Organisation.objects.filter(pk__in=[o.pk for o in owners])
    form = QuestionnaireForm(request.POST or None, owners=choices if len(owners) > 1 else None)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data.pop("owner", None) or owners[0]
        questionnaire = services.questionnaire_create(
            owner=owner, by=_user(request), **form.cleaned_data
        )
        messages.success(request, _("Questionnaire created. Add its sections and statements."))
        return redirect("assessment:version", questionnaire.versions.get().pk)
    return render(request, "assessment/questionnaire_form.html", {"form": form})


@login_required
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(questionnaires_for(request.user, write=True), pk=pk)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    form.fields["slug"].disabled = True
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        services.questionnaire_update(
            questionnaire=questionnaire, by=_user(request), title=form.cleaned_data["title"]
        )
        messages.success(request, _("Changes saved."))
        return redirect("assessment:questionnaires")
    ctx = {"form": form, "questionnaire": questionnaire}
    return render(request, "assessment/questionnaire_form.html", ctx)


def _version_content(version: QuestionnaireVersion) -> list[Section]:
    links = StatementModule.objects.select_related("module").order_by("-weight", "module__code")
    statements = Statement.objects.order_by("order", "pk").prefetch_related(
        Prefetch("links", queryset=links)
    )
    return list(
        version.sections.order_by("order", "pk").prefetch_related(
            Prefetch("statements", queryset=statements)
        )
    )


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version_for(request, pk)
    can_edit = versions_for(request.user, write=True).filter(pk=pk).exists()
    sections = _version_content(version)
    draft = None
    if can_edit:
        draft = version.questionnaire.versions.filter(
            status=QuestionnaireVersion.Status.DRAFT
        ).first()
    ctx = {
        "version": version,
        "questionnaire": version.questionnaire,
        "sections": sections,
        "statement_count": sum(len(s.statements.all()) for s in sections),
        "can_edit": can_edit,
        "draft": draft,
        "versions": versions_for(request.user)
        .filter(questionnaire=version.questionnaire_id)
        .order_by("-number"),
        "language_choices": language_codes(),
        "lang": request.GET.get("lang") if request.GET.get("lang") in language_codes() else None,
        "publish_form": VersionNotesForm(initial={"notes": version.notes}),
    }
    return render(request, "assessment/version.html", ctx)


@require_POST
@login_required
def version_new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a published version: make a new draft copying it (or open the draft there is)."""
    version = _version_for(request, pk, write=True)
    try:
        draft = services.questionnaire_version_new_draft(version=version, by=_user(request))
    except ValidationError as e:
        existing = version.questionnaire.versions.filter(
            status=QuestionnaireVersion.Status.DRAFT
        ).first()
        messages.info(request, " ".join(e.messages))
        if existing is not None:
            return redirect("assessment:version", existing.pk)
        return redirect("assessment:version", version.pk)
    messages.success(
        request,
        _("Version %(number)s is a new draft copied from version %(old)s.")
        % {"number": draft.number, "old": version.number},
    )
    return redirect("assessment:version", draft.pk)


@require_POST
@login_required
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _draft_for(request, pk)
    form = VersionNotesForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else None
    try:
        services.questionnaire_version_publish(version=version, by=_user(request), notes=notes)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Version %(number)s is published. New assessments use it.")
            % {"number": version.number},
        )
    return redirect("assessment:version", version.pk)


@login_required
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = _draft_for(request, pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_save(version=version, by=_user(request), **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Section added."))
            return redirect(reverse("assessment:version", args=[version.pk]) + f"#sec-{section.pk}")
    ctx = {"form": form, "version": version}
    return render(request, "assessment/section_form.html", ctx)


@login_required
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section_for(request, pk)
    version = section.version
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                version=version, section=section, by=_user(request), **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(reverse("assessment:version", args=[version.pk]) + f"#sec-{section.pk}")
    ctx = {"form": form, "version": version, "section": section}
    return render(request, "assessment/section_form.html", ctx)


@require_POST
@login_required
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section_for(request, pk)
    version = section.version
    services.section_delete(section=section, by=_user(request))
    messages.success(request, _("Section removed."))
    return redirect("assessment:version", version.pk)


def _statement_form(
    request: HttpRequest, *, section: Section, statement: Statement | None
) -> HttpResponse:
    version = section.version
    form = StatementForm(request.POST or None, instance=statement)
    modules = Module.objects.filter(is_active=True).order_by("sort_order", "code")
    initial = (
        [{"module": link.module, "weight": link.weight} for link in statement.links.all()]
        if statement
        else []
    )
    links = LinkFormSet(
        request.POST or None, initial=initial, prefix="links", form_kwargs={"modules": modules}
    )
    if request.method == "POST" and form.is_valid() and links.is_valid():
        chosen = [
            (f.cleaned_data["module"], f.cleaned_data.get("weight") or 1)
            for f in links.forms
            if f.cleaned_data.get("module")
        ]
        try:
            saved = services.statement_save(
                section=section,
                statement=statement,
                by=_user(request),
                links=chosen,
                **form.cleaned_data,
            )
        except ValidationError as e:
            if hasattr(e, "error_dict") and "links" in e.error_dict:
                links_errors = e.error_dict.pop("links")
                form.add_error(None, links_errors)
            if not hasattr(e, "error_dict") or e.error_dict:
                form.add_error(None, e)
        else:
            messages.success(request, _("Statement saved."))
            return redirect(reverse("assessment:version", args=[version.pk]) + f"#st-{saved.pk}")
    ctx = {
        "form": form,
        "links": links,
        "version": version,
        "section": section,
        "statement": statement,
    }
    return render(request, "assessment/statement_form.html", ctx)


@login_required
def statement_create(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section_for(request, pk)
    return _statement_form(request, section=section, statement=None)


@login_required
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement_for(request, pk)
    return _statement_form(request, section=statement.section, statement=statement)


@require_POST
@login_required
def statement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement_for(request, pk)
    version = statement.section.version
    try:
        services.statement_delete(statement=statement, by=_user(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Statement removed."))
    return redirect("assessment:version", version.pk)


@login_required
def version_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill a draft version from CSV or Excel: every row is checked, then all are written."""
    version = _draft_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {
        "form": form,
        "version": version,
        "columns": imports.questionnaire_columns(),
    }
    if request.method == "POST" and form.is_valid():
        report = imports.read_questionnaire(form.cleaned_data["file"])
        ctx["report"] = report
        if report.ok:
            try:
                count = services.questionnaire_version_import(
                    version=version, rows=report.rows, by=_user(request)
                )
            except ValidationError as e:
                for message in e.messages:
                    report.error(None, "", "", message)
            else:
                messages.success(
                    request,
                    _("%(count)s statements imported into version %(number)s.")
                    % {"count": count, "number": version.number},
                )
                return redirect("assessment:version", version.pk)
    return render(request, "assessment/version_import.html", ctx)


@login_required
def version_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a version in the columns the import reads."""
    return imports.questionnaire_csv(_version_for(request, pk))


@login_required
def questionnaire_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version_for(request, pk)
    language = _pdf_language(request, request.LANGUAGE_CODE)
    if pdf.unavailable_reason():
        messages.error(request, _("Printing is not available on this server yet."))
        return redirect("assessment:version", version.pk)
    content = printing.questionnaire_pdf(version=version, language=language)
    return _pdf(content, f"{version.questionnaire.slug}-v{version.number}-{language}.pdf")
