"""Self-diagnosis pages: the factory's committee answers the tool's questions for dialogue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.compliance import services
from fithub.compliance.models import Finding, SelfDiagnosis, ToolVersion
from fithub.compliance.scoping import self_diagnoses_for, self_diagnosing_engagements_for
from fithub.compliance.views.common import user_of


@login_required
@require_POST
def self_diagnosis_start(request: HttpRequest, engagement_pk: int) -> HttpResponse:
    """Start (or go on with) the engagement's self-diagnosis on its programme owner's tool."""
    engagement = get_object_or_404(
        self_diagnosing_engagements_for(request.user).select_related("factory", "programme"),
        pk=engagement_pk,
    )
    version = (
        ToolVersion.objects.filter(
            status=ToolVersion.Status.PUBLISHED,
            tool__owner=engagement.programme.owner_id,
            tool__country=engagement.factory.country,
        )
        .select_related("tool")
        .first()
    )
    if version is None:
        raise Http404
    try:
        sd = services.self_diagnosis_start(
            engagement=engagement, version=version, by=user_of(request)
        )
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect(engagement)
    return redirect(sd)


@login_required
def self_diagnosis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sd = get_object_or_404(self_diagnoses_for(request.user).select_related("factory"), pk=pk)
    can_answer = (
        sd.submitted_at is None
        and self_diagnoses_for(request.user, write=True).filter(pk=pk).exists()
    )
    answers = list(
        sd.answers.select_related("question__point__cluster").order_by(
            "question__point__cluster__order", "question__point__order", "question__order"
        )
    )
    if request.method == "POST":
        if not can_answer:
            raise Http404
        given = {
            a.question_id: (
                request.POST.get(f"r-{a.question_id}", ""),
                request.POST.get(f"n-{a.question_id}", "")[:2000],
            )
            for a in answers
        }
        try:
            services.self_answers_save(
                self_diagnosis=sd,
                answers=given,
                by=user_of(request),
                submit="submit" in request.POST,
            )
            messages.success(request, _("Saved."))
            return redirect(sd)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
    ctx = {
        "sd": sd,
        "answers": answers,
        "can_answer": can_answer,
        "results": Finding.Result.choices,
    }
    return render(request, "compliance/self_diagnosis.html", ctx)


def latest_for(request: HttpRequest, engagement_id: int) -> SelfDiagnosis | None:
    return self_diagnoses_for(request.user).filter(engagement=engagement_id).order_by("-pk").first()
