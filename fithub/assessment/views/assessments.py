"""Assessment pages: answering, submitting, results, recommendations and module plans."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.roles import FactoryRole, Kind, roles_of
from fithub.assessment import printing, selectors, services
from fithub.assessment.forms import (
    AnswerForm,
    AssessmentFilterForm,
    AssessmentPeopleForm,
    AssessmentStartForm,
    ModulePlanForm,
)
from fithub.assessment.models import (
    Answer,
    Assessment,
    Questionnaire,
    QuestionnaireVersion,
    Statement,
)
from fithub.assessment.recommend import recommendations_for
from fithub.assessment.scoping import (
    assessed_factories_for,
    assessments_for,
    can_edit_questionnaires,
    questionnaires_for,
    sees_questionnaires,
)
from fithub.assessment.views.common import (
    _assessment_for,
    _is_htmx,
    _pdf,
    _pdf_language,
    _user,
)
from fithub.catalogue.models import Module
from fithub.lib import pdf, slots
from fithub.programmes.scoping import engagements_for

PAGE_SIZE = 50


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
