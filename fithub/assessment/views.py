"""Needs-assessment pages: questionnaires, answering, recommendations, plans, findings."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.assessment import imports, printing, selectors, services
from fithub.assessment.forms import (
    AnswerForm,
    AssessmentFilterForm,
    AssessmentPeopleForm,
    AssessmentStartForm,
    FindingMappingForm,
    ImportForm,
    LinkFormSet,
    ModulePlanForm,
    QuestionnaireForm,
    SectionForm,
    StatementForm,
    VersionNotesForm,
)
from fithub.assessment.models import (
    Answer,
    Assessment,
    ExternalFinding,
    FindingMapping,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Statement,
    StatementModule,
)
from fithub.assessment.recommend import recommendations_for
from fithub.assessment.scoping import (
    assessed_factories_for,
    assessments_for,
    can_edit_questionnaires,
    questionnaires_for,
    sees_questionnaires,
    versions_for,
)
from fithub.catalogue.models import Module
from fithub.factories.models import Factory
from fithub.lib import pdf, slots
from fithub.lib.i18n import language_codes
from fithub.programmes.scoping import engagements_for

PAGE_SIZE = 50
PDF_TYPE = "application/pdf"


# --- access helpers ------------------------------------------------------------------------


def _assessment_for(request: HttpRequest, pk: int, write: bool = False) -> Assessment:
    """Return the assessment if the user may see it (or answer it, with write=True); else 404."""
    qs = assessments_for(request.user, write=write).select_related(
        "factory", "version__questionnaire", "engagement__provider", "engagement__programme"
    )
    return get_object_or_404(qs, pk=pk)


def _version_for(request: HttpRequest, pk: int, write: bool = False) -> QuestionnaireVersion:
    """Return the questionnaire version if the user may see it (or edit it); else 404."""
    qs = versions_for(request.user, write=write).select_related("questionnaire__owner")
    return get_object_or_404(qs, pk=pk)


def _draft_for(request: HttpRequest, pk: int) -> QuestionnaireVersion:
    """Return the draft version the user may edit; else 404 (a published version never changes)."""
    version = _version_for(request, pk, write=True)
    if not version.is_editable:
        raise Http404
    return version


def _section_for(request: HttpRequest, pk: int) -> Section:
    """Return the section of a draft version the user may edit; else 404."""
    versions = versions_for(request.user, write=True).filter(
        status=QuestionnaireVersion.Status.DRAFT
    )
    qs = Section.objects.filter(version__in=versions.values("pk")).select_related(
        "version__questionnaire"
    )
    return get_object_or_404(qs, pk=pk)


def _statement_for(request: HttpRequest, pk: int) -> Statement:
    """Return the statement of a draft version the user may edit; else 404."""
    versions = versions_for(request.user, write=True).filter(
        status=QuestionnaireVersion.Status.DRAFT
    )
    qs = Statement.objects.filter(section__version__in=versions.values("pk")).select_related(
        "section__version__questionnaire"
    )
    return get_object_or_404(qs, pk=pk)


def _owners(request: HttpRequest, *, write: bool = False) -> list[Organisation]:
    """Return the programme owners the user works for (administers, with write); or 404."""
    r = roles_of(request.user)
    orgs = r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,) if write else None)
    if not orgs:
        raise Http404
    return list(Organisation.objects.filter(pk__in=orgs).order_by("name", "pk"))


def _owner_org(request: HttpRequest, *, write: bool = False) -> Organisation:
    """Return the programme owner the user acts for: their one, or the one chosen (`owner` in
    the query or the form) among several, first by name until they choose."""
    owners = _owners(request, write=write)
    chosen = request.POST.get("owner") or request.GET.get("owner")
    if chosen:
        found = next((o for o in owners if str(o.pk) == chosen), None)
        if found is None:
            raise Http404
        return found
    return owners[0]


def _factory_for(request: HttpRequest, pk: int, write: bool = False) -> Factory:
    """Return the factory if the user sees its assessments (or answers them); else 404."""
    return get_object_or_404(assessed_factories_for(request.user, write=write), pk=pk)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _user(request: HttpRequest) -> User:
    # login_required let only users in.
    return cast(User, request.user)


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


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _pdf_language(request: HttpRequest, default: str) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in language_codes() else default


@login_required
def questionnaire_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version_for(request, pk)
    language = _pdf_language(request, request.LANGUAGE_CODE)
    if pdf.unavailable_reason():
        messages.error(request, _("Printing is not available on this server yet."))
        return redirect("assessment:version", version.pk)
    content = printing.questionnaire_pdf(version=version, language=language)
    return _pdf(content, f"{version.questionnaire.slug}-v{version.number}-{language}.pdf")


# --- assessments ---------------------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    if not (sees_questionnaires(request.user) or roles_of(request.user).superuser):
        raise Http404
    qs = assessments_for(request.user).select_related("factory", "version__questionnaire")
    form = AssessmentFilterForm(request.GET or None)
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            qs = qs.filter(Q(factory__name__icontains=q) | Q(factory__os_id__iexact=q))
        if status := form.cleaned_data["status"]:
            qs = qs.filter(status=status)
    # From a factory's page: its assessments only (still within what the user may see).
    if (factory := request.GET.get("factory", "")).isdigit():
        qs = qs.filter(factory=int(factory))
    page = Paginator(selectors.with_progress(qs.order_by("-started_at", "-pk")), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page.get_page(request.GET.get("page")),
        "form": form,
        "query": query.urlencode(),
        "can_start": assessed_factories_for(request.user, write=True).exists(),
        "can_edit_questionnaires": can_edit_questionnaires(request.user),
        "sees_mappings": bool(roles_of(request.user).orgs(kind=Kind.PROGRAMME_OWNER)),
    }
    template = "assessment/list.html#results" if _is_htmx(request) else "assessment/list.html"
    return render(request, template, ctx)


def _startable_questionnaires(request: HttpRequest) -> QuerySet[Questionnaire]:
    published = QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
    return (
        questionnaires_for(request.user)
        .filter(pk__in=published.values("questionnaire"))
        .order_by("slug")
    )


@login_required
def assessment_start(request: HttpRequest) -> HttpResponse:
    factories = assessed_factories_for(request.user, write=True).order_by("name")
    if not factories.exists():
        raise Http404
    engagements = (
        engagements_for(request.user)
        .filter(factory__in=factories.values("pk"))
        .select_related("programme", "factory", "provider")
    )
    initial: dict[str, Any] = {"language": request.LANGUAGE_CODE}
    if (factory_pk := request.GET.get("factory", "")).isdigit():
        initial["factory"] = factory_pk
        if engagement := engagements.filter(factory=int(factory_pk)).first():
            initial["engagement"] = engagement.pk
    questionnaires = _startable_questionnaires(request)
    if questionnaires.count() == 1:
        initial["questionnaire"] = questionnaires.get().pk
    user = _user(request)
    r = roles_of(user)
    if r.factory:
        role = next(iter(r.factory.values()))
        initial["coordinator_name" if role == FactoryRole.COORDINATOR else "manager_name"] = (
            user.get_full_name()
        )
    form = AssessmentStartForm(
        request.POST or None,
        initial=initial,
        factories=factories,
        questionnaires=questionnaires,
        engagements=engagements,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = services.latest_published(data["questionnaire"].pk)
        try:
            if version is None:
                raise ValidationError(_("This questionnaire has no published version."))
            assessment = services.assessment_start(
                factory=data["factory"],
                version=version,
                engagement=data["engagement"],
                coordinator_name=data["coordinator_name"],
                manager_name=data["manager_name"],
                language=data["language"],
                by=user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Assessment started. Answers are saved as you go."))
            return redirect(assessment)
    return render(request, "assessment/start.html", {"form": form})


def _sheet_context(assessment: Assessment, *, can_answer: bool) -> dict[str, Any]:
    sheet = selectors.answer_sheet(assessment)
    return {
        "assessment": assessment,
        "sheet": sheet,
        "lang": assessment.language,
        "can_answer": can_answer and assessment.status == Assessment.Status.IN_PROGRESS,
        "answered": sheet.answered,
        "total": sheet.total,
    }


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    can_answer = assessments_for(request.user, write=True).filter(pk=pk).exists()
    ctx = _sheet_context(assessment, can_answer=can_answer)
    ctx["can_change"] = can_answer
    ctx["people_form"] = AssessmentPeopleForm(instance=assessment)
    ctx["earlier"] = selectors.earlier_assessments(assessment, assessments_for(request.user))[:1]
    ctx["revisions"] = assessment.revisions.all()
    ctx["panels"] = slots.render("assessment-detail", request, assessment)
    return render(request, "assessment/detail.html", ctx)


@require_POST
@login_required
def assessment_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Change who answers, and the language the statements are shown in."""
    assessment = _assessment_for(request, pk, write=True)
    form = AssessmentPeopleForm(request.POST, instance=Assessment.objects.get(pk=pk))
    if form.is_valid():
        try:
            services.assessment_update(
                assessment=assessment, by=_user(request), **form.cleaned_data
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Changes saved."))
    else:
        messages.error(request, _("The names or the language could not be saved."))
    return redirect(assessment)


@require_POST
@login_required
def answer_save(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    """Save one answer; htmx swaps the statement's row and updates the progress count."""
    assessment = _assessment_for(request, pk, write=True)
    statement = get_object_or_404(
        Statement.objects.select_related("section"),
        pk=statement_pk,
        section__version=assessment.version_id,
    )
    form = AnswerForm(request.POST, request.FILES)
    answer = Answer.objects.filter(assessment=assessment, statement=statement).first()
    saved = False
    if form.is_valid():
        try:
            answer = services.answer_save(
                assessment=assessment,
                statement=statement,
                value=form.answer_value(),
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data["evidence"],
                by=_user(request),
            )
            saved = True
        except ValidationError as e:
            form.add_error(None, e)
    if not _is_htmx(request):
        if saved:
            return redirect(reverse("assessment:detail", args=[pk]) + f"#s-{statement.pk}")
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(reverse("assessment:detail", args=[pk]) + f"#s-{statement.pk}")
    answered, total = selectors.progress(assessment)
    ctx = {
        "assessment": assessment,
        "row": selectors.Row(statement, answer),
        "lang": assessment.language,
        "can_answer": assessment.status == Assessment.Status.IN_PROGRESS,
        "answered": answered,
        "total": total,
        "form": form if not saved else None,
        "saved": saved,
        "oob": True,
    }
    return render(request, "assessment/detail.html#answered", ctx)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    answer = get_object_or_404(
        Answer.objects.filter(assessment__in=assessments_for(request.user).values("pk")), pk=pk
    )
    if not answer.evidence:
        raise Http404
    try:
        handle = answer.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = (answer.evidence.name or "").rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=False, filename=name)


@require_POST
@login_required
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk, write=True)
    try:
        services.assessment_submit(assessment=assessment, by=_user(request))
    except ValidationError as e:
        messages.error(
            request,
            " ".join(e.messages) + " " + _("Answer every statement, then submit again."),
        )
        return redirect(assessment)
    messages.success(request, _("Assessment submitted. Here are the modules it points to."))
    return redirect("assessment:recommendations", assessment.pk)


def _plan_order(result: Any, kept: list[Module], added: list[Module]) -> list[Module]:
    """Put the kept recommended modules in the recommendation's order, then the added ones."""
    position = {rec.module.id: i for i, rec in enumerate(result.suggested)}
    offset = len(position)
    for i, rec in enumerate(result.ranked):
        position.setdefault(rec.module.id, offset + i)
    ordered = sorted(kept, key=lambda m: position.get(m.pk, len(position)))
    return ordered + [m for m in added if m.pk not in {k.pk for k in kept}]


@login_required
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    result = recommendations_for(assessment)
    engagements = engagements_for(request.user, write=True).filter(factory=assessment.factory_id)
    can_agree = assessment.status == Assessment.Status.SUBMITTED and engagements.exists()
    form = None
    if can_agree:
        ranked_ids = [rec.module.id for rec in result.ranked]
        initial_engagement = (
            assessment.engagement_id
            if assessment.engagement_id and engagements.filter(pk=assessment.engagement_id).exists()
            else engagements.first().pk  # type: ignore[union-attr]
        )
        form = ModulePlanForm(
            request.POST or None,
            initial={
                "engagement": initial_engagement,
                "modules": [rec.module.id for rec in result.suggested],
            },
            engagements=engagements.select_related("programme", "provider"),
            recommended=Module.objects.filter(pk__in=ranked_ids),
            catalogue=Module.objects.filter(is_active=True)
            .exclude(pk__in=ranked_ids)
            .order_by("sort_order", "code"),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            modules = _plan_order(result, list(data["modules"]), list(data["added"]))
            try:
                services.module_plan_agree(
                    engagement=data["engagement"],
                    assessment=assessment,
                    modules=modules,
                    by=_user(request),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Module plan agreed."))
                return redirect("assessment:recommendations", assessment.pk)
    elif request.method == "POST":
        raise Http404
    sections = {s.pk: s for s in assessment.version.sections.all()}
    ctx = {
        "assessment": assessment,
        "result": result,
        "form": form,
        "sections": sections,
        "lang": assessment.language,
        "plan_engagements": list(
            engagements_for(request.user)
            .filter(factory=assessment.factory_id, module_plan__isnull=False)
            .select_related("programme", "provider")
        ),
        "max_section": result.weak_sections[0][1] if result.weak_sections else 0,
    }
    if form is not None:
        ctx["choices"] = _choice_rows(form, result)
    return render(request, "assessment/recommendations.html", ctx)


def _choice_rows(form: ModulePlanForm, result: Any) -> list[tuple[Any, Any]]:
    """Pair each recommended module's checkbox with its recommendation, in ranked order."""
    by_id = {str(rec.module.id): rec for rec in result.ranked}
    order = {rec.module.id: i for i, rec in enumerate(result.suggested)}
    rows = [(widget, by_id.get(str(widget.data["value"]))) for widget in form["modules"]]
    rows.sort(
        key=lambda wr: (
            order.get(wr[1].module.id, len(order)) if wr[1] else len(order),
            result.ranked.index(wr[1]) if wr[1] else 0,
        )
    )
    return rows


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Show, per section, which "no" became "yes" since an earlier sitting, and what got worse."""
    assessment = _assessment_for(request, pk)
    others = list(selectors.earlier_assessments(assessment, assessments_for(request.user)))
    chosen = None
    if (other := request.GET.get("with", "")).isdigit():
        chosen = next((a for a in others if a.pk == int(other)), None)
        if chosen is None:
            raise Http404
    elif others:
        chosen = next((a for a in others if a.started_at <= assessment.started_at), others[0])
    comparison = None
    if chosen is not None:
        earlier, later = sorted([chosen, assessment], key=lambda a: (a.started_at, a.pk))
        comparison = selectors.compare(earlier, later)
    ctx = {
        "assessment": assessment,
        "others": others,
        "chosen": chosen,
        "comparison": comparison,
        "lang": assessment.language,
    }
    return render(request, "assessment/compare.html", ctx)


@login_required
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    if pdf.unavailable_reason():
        messages.error(request, _("Printing is not available on this server yet."))
        return redirect(assessment)
    language = _pdf_language(request, assessment.language)
    content = printing.results_pdf(assessment=assessment, language=language)
    return _pdf(content, f"assessment-{assessment.pk}-{language}.pdf")


# --- findings from other tools -------------------------------------------------------------


@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    """List a factory's findings from other audit tools, and import more from CSV or Excel."""
    factory = _factory_for(request, pk)
    can_import = assessed_factories_for(request.user, write=True).filter(pk=pk).exists()
    form = ImportForm(request.POST or None, request.FILES or None) if can_import else None
    ctx: dict[str, Any] = {
        "factory": factory,
        "form": form,
        "can_import": can_import,
        "columns": imports.FINDING_COLUMNS,
    }
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            report = imports.read_findings(form.cleaned_data["file"])
            ctx["report"] = report
            if report.ok:
                created, updated = services.findings_import(
                    factory=factory, rows=report.rows, by=_user(request)
                )
                ctx["result"] = {"created": created, "updated": updated}
                ctx["form"] = ImportForm()
    ctx["findings"] = ExternalFinding.objects.filter(factory=factory).order_by(
        "resolved", "source", "code", "-found_on"
    )
    return render(request, "assessment/findings.html", ctx)


@login_required
def mappings(request: HttpRequest) -> HttpResponse:
    """The programme owner's table mapping other tools' finding codes to modules."""
    owner = _owner_org(request)
    can_edit = (
        roles_of(request.user).org.get(owner.pk, ("", ""))[1] == Role.ADMIN
        or roles_of(request.user).superuser
    )
    form = FindingMappingForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.finding_mapping_add(owner=owner, by=_user(request), **data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Mapping saved."))
                return redirect("assessment:mappings")
    rows = (
        FindingMapping.objects.filter(owner=owner)
        .select_related("module")
        .order_by("source", "code", "module__code")
    )
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(
            Q(source__icontains=q) | Q(code__icontains=q) | Q(module__code__icontains=q)
        )
    ctx = {
        "owner": owner,
        "owners": _owners(request),
        "rows": rows,
        "form": form,
        "can_edit": can_edit,
        "q": q,
        "import_form": ImportForm() if can_edit else None,
        "columns": imports.MAPPING_COLUMNS,
        "sources": FindingMapping.objects.filter(owner=owner)
        .values("source")
        .annotate(n=Count("pk"))
        .order_by("source"),
    }
    return render(request, "assessment/mappings.html", ctx)


@require_POST
@login_required
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # The owner is the mapping's own, if the user administers it.
    owners = _owners(request, write=True)
    mapping = get_object_or_404(FindingMapping, pk=pk, owner__in=owners)
    services.finding_mapping_remove(mapping=mapping, by=_user(request))
    messages.success(request, _("Mapping removed."))
    back = reverse("assessment:mappings")
    return redirect(f"{back}?owner={mapping.owner_id}" if len(owners) > 1 else back)


@login_required
def mappings_import(request: HttpRequest) -> HttpResponse:
    owner = _owner_org(request, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {
        "form": form, "owner": owner, "owners": _owners(request, write=True),
        "columns": imports.MAPPING_COLUMNS,
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        report = imports.read_mappings(form.cleaned_data["file"])
        ctx["report"] = report
        if report.ok:
            count = services.finding_mappings_import(
                owner=owner, rows=report.rows, by=_user(request)
            )
            ctx["result"] = {"count": count}
            ctx["form"] = ImportForm()
    return render(request, "assessment/mappings_import.html", ctx)
