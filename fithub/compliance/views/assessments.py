"""Assessment pages: plan, start, assess cluster by cluster (htmx), submit, correct, rates."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.compliance import selectors, services
from fithub.compliance.forms import (
    CorrectionForm,
    CountsForm,
    FactsForm,
    FindingForm,
    PlanForm,
    RatesFilterForm,
)
from fithub.compliance.models import (
    Cluster,
    ComplianceAssessment,
    Finding,
    FindingEvidence,
    Question,
    ToolVersion,
)
from fithub.compliance.scoping import (
    assessments_for,
    assessors_for,
    plannable_assessments_for,
    plannable_engagements_for,
    sees_assessments,
)
from fithub.compliance.views.common import add_errors, assessment_for, is_htmx, user_of
from fithub.lib.evidence import evidence_response

Status = ComplianceAssessment.Status


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    if not sees_assessments(request.user):
        raise Http404
    qs = (
        assessments_for(request.user)
        .select_related("factory", "engagement__provider", "version__tool")
        .order_by("-planned_on", "-pk")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "compliance/list.html", {"page": page})


def _plan_form(request: HttpRequest, engagement: Any, **kw: Any) -> PlanForm:
    versions = ToolVersion.objects.filter(
        status=ToolVersion.Status.PUBLISHED, tool__country=engagement.factory.country
    ).select_related("tool")
    return PlanForm(
        request.POST or None, versions=versions, assessors=assessors_for(engagement), **kw
    )


@login_required
def assessment_plan(request: HttpRequest, engagement_pk: int) -> HttpResponse:
    """Plan an unannounced assessment: two assessors, two days, a date the factory never sees."""
    engagement = get_object_or_404(
        plannable_engagements_for(request.user).select_related("factory", "provider"),
        pk=engagement_pk,
    )
    form = _plan_form(request, engagement, initial={"days": 2})
    if request.method == "POST" and form.is_valid():
        details = services.PlanDetails(
            planned_on=form.cleaned_data["planned_on"],
            days=form.cleaned_data["days"],
            assessors=list(form.cleaned_data["assessors"]),
        )
        try:
            assessment = services.assessment_plan(
                engagement=engagement,
                version=form.cleaned_data["version"],
                details=details,
                by=user_of(request),
            )
            return redirect(assessment)
        except ValidationError as e:
            add_errors(form, e)
    return render(request, "compliance/plan.html", {"form": form, "engagement": engagement})


@login_required
def assessment_replan(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        plannable_assessments_for(request.user).select_related("engagement__factory"), pk=pk
    )
    initial = {
        "planned_on": assessment.planned_on,
        "days": assessment.days,
        "assessors": list(assessment.assessors.all()),
    }
    form = _plan_form(request, assessment.engagement, initial=initial, with_version=False)
    if request.method == "POST" and form.is_valid():
        details = services.PlanDetails(
            planned_on=form.cleaned_data["planned_on"],
            days=form.cleaned_data["days"],
            assessors=list(form.cleaned_data["assessors"]),
        )
        try:
            services.assessment_replan(assessment=assessment, details=details, by=user_of(request))
            return redirect(assessment)
        except ValidationError as e:
            add_errors(form, e)
    ctx = {"form": form, "engagement": assessment.engagement, "assessment": assessment}
    return render(request, "compliance/plan.html", ctx)


def _can_answer(request: HttpRequest, assessment: ComplianceAssessment) -> bool:
    return assessments_for(request.user, write=True).filter(pk=assessment.pk).exists()


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    clusters = (
        Cluster.objects.filter(version=assessment.version_id)
        .annotate(
            total=Count("points__questions", distinct=True),
            answered=Count(
                "points__questions__findings",
                filter=Q(points__questions__findings__assessment=assessment)
                & ~Q(points__questions__findings__result=""),
                distinct=True,
            ),
        )
        .order_by("order", "pk")
    )
    ctx = {
        "assessment": assessment,
        "assessors": assessment.assessors.all(),
        "clusters": clusters,
        "can_answer": _can_answer(request, assessment),
        "can_replan": assessment.status == Status.PLANNED
        and plannable_assessments_for(request.user).filter(pk=assessment.pk).exists(),
        "facts_form": FactsForm(initial=assessment.facts),
        "counts_form": CountsForm(
            initial={
                "worker_interviews": assessment.worker_interviews,
                "management_interviews": assessment.management_interviews,
                "documents_reviewed": assessment.documents_reviewed,
            }
        ),
        "revisions": assessment.revisions.select_related("created_by"),
    }
    return render(request, "compliance/assessment.html", ctx)


@login_required
@require_POST
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, write=True)
    services.assessment_start(assessment=assessment, by=user_of(request))
    return redirect(assessment)


@login_required
@require_POST
def assessment_facts(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, write=True)
    form = FactsForm(request.POST)
    if form.is_valid():
        try:
            services.facts_save(assessment=assessment, facts=form.facts(), by=user_of(request))
            messages.success(request, _("The factory's facts are saved."))
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
    return redirect(assessment)


@login_required
@require_POST
def assessment_counts(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, write=True)
    form = CountsForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.counts_save(assessment=assessment, by=user_of(request), **form.cleaned_data)
            saved = True
        except ValidationError as e:
            add_errors(form, e)
    if is_htmx(request):
        ctx = {"assessment": assessment, "counts_form": form, "saved": saved, "can_answer": True}
        return render(request, "compliance/assessment.html#counts", ctx)
    return redirect(assessment)


def _cluster_ctx(assessment: ComplianceAssessment, cluster: Cluster) -> list[selectors.PointRow]:
    findings = selectors.findings_of(assessment).filter(question__point__cluster=cluster)
    rows = selectors.grouped(findings)
    committee = selectors.self_answers_for(assessment)
    for point in rows[0].points if rows else []:
        for row in point.questions:
            row.self_answer = committee.get(row.question.pk, "")
    return rows[0].points if rows else []


@login_required
def assessment_cluster(request: HttpRequest, pk: int, cluster_pk: int) -> HttpResponse:
    """One cluster's questions, each saved on its own as the assessor answers it."""
    assessment = assessment_for(request, pk)
    cluster = get_object_or_404(Cluster, pk=cluster_pk, version=assessment.version_id)
    clusters = list(Cluster.objects.filter(version=assessment.version_id).order_by("order", "pk"))
    at = clusters.index(cluster)
    ctx = {
        "assessment": assessment,
        "cluster": cluster,
        "points": _cluster_ctx(assessment, cluster),
        "can_answer": assessment.status == Status.IN_PROGRESS and _can_answer(request, assessment),
        "previous_cluster": clusters[at - 1] if at > 0 else None,
        "next_cluster": clusters[at + 1] if at + 1 < len(clusters) else None,
        "facts": assessment.facts,
    }
    return render(request, "compliance/cluster.html", ctx)


@login_required
@require_POST
def finding_save(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Save one question's finding; htmx swaps the question's block (409 when it changed)."""
    assessment = assessment_for(request, pk, write=True)
    question = get_object_or_404(
        Question.objects.select_related("point__cluster"),
        pk=question_pk,
        version=assessment.version_id,
    )
    form = FindingForm(request.POST)
    saved = conflict = False
    if form.is_valid():
        try:
            services.finding_save(
                assessment=assessment,
                question=question,
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
                seen=form.cleaned_data["seen"],
                by=user_of(request),
            )
            if upload := request.FILES.get("evidence"):
                services.evidence_add(
                    assessment=assessment, question=question, upload=upload, by=user_of(request)
                )
            saved = True
        except ValidationError as e:
            conflict = getattr(e, "code", None) == "conflict"
            add_errors(form, e)
    finding = (
        Finding.objects.select_related("answered_by")
        .prefetch_related("evidence")
        .get(assessment=assessment, question=question)
    )
    status = 409 if conflict else (200 if saved or not form.errors else 400)
    if not is_htmx(request):
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        url = reverse("compliance:cluster", args=[pk, question.point.cluster_id])
        return redirect(f"{url}#q-{question.pk}")
    ctx = {
        "assessment": assessment,
        "row": selectors.QuestionRow(question, finding),
        "can_answer": True,
        "saved": saved,
        "errors": [str(e) for errors in form.errors.values() for e in errors],
        "facts": assessment.facts,
    }
    return render(request, "compliance/cluster.html#question", ctx, status=status)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, write=True)
    try:
        services.assessment_submit(assessment=assessment, by=user_of(request))
        messages.success(request, _("The assessment is submitted and locked."))
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    return redirect(assessment)


@login_required
def assessment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a submitted assessment: a revision with a reason; the old finding stays readable."""
    assessment = assessment_for(request, pk, write=True)
    if assessment.status != Status.SUBMITTED:
        raise Http404
    questions = Question.objects.filter(version=assessment.version_id).order_by(
        "point__cluster__order", "point__order", "order"
    )
    form = CorrectionForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        correction = services.Correction(
            question=form.cleaned_data["question"],
            result=form.cleaned_data["result"],
            notes=form.cleaned_data["notes"],
        )
        try:
            services.assessment_correct(
                assessment=assessment,
                corrections=[correction],
                reason=form.cleaned_data["reason"],
                by=user_of(request),
            )
            messages.success(request, _("The correction is recorded as a new revision."))
            return redirect(assessment)
        except ValidationError as e:
            add_errors(form, e)
    return render(request, "compliance/correct.html", {"assessment": assessment, "form": form})


@login_required
def assessment_rates(request: HttpRequest, pk: int) -> HttpResponse:
    """One factory's rates per question, compliance point and cluster, and the change since."""
    assessment = assessment_for(request, pk)
    if assessment.status != Status.SUBMITTED:
        raise Http404
    rates = selectors.factory_rates(assessment)
    return render(request, "compliance/rates.html", {"assessment": assessment, "rates": rates})


@login_required
def rates_across(request: HttpRequest) -> HttpResponse:
    """The share of assessed factories non-compliant per compliance point and question."""
    if not sees_assessments(request.user):
        raise Http404
    form = RatesFilterForm(request.GET or None)
    qs = assessments_for(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("programme"):
            qs = qs.filter(engagement__programme=data["programme"])
        if data.get("provider"):
            qs = qs.filter(engagement__provider=data["provider"])
        if data.get("country"):
            qs = qs.filter(factory__country=data["country"].upper())
    rates = selectors.cross_factory_rates(qs)
    return render(request, "compliance/rates_across.html", {"rates": rates, "form": form})


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a finding's photo or document to whoever may see the assessment, nobody else."""
    evidence = get_object_or_404(
        FindingEvidence.objects.filter(
            finding__assessment__in=assessments_for(request.user).values("pk")
        ),
        pk=pk,
    )
    return evidence_response(evidence.file)
