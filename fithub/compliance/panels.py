"""The compliance assessments panel on the factory and engagement pages (fithub/lib/slots.py).

It asks the compliance scoping like every page: the factory's people and buyers see no panel at
all, so a planned (unannounced) assessment shows nowhere they look.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from fithub.compliance.models import ComplianceAssessment
from fithub.compliance.scoping import (
    assessments_for,
    plannable_engagements_for,
    self_diagnoses_for,
    self_diagnosing_engagements_for,
)
from fithub.factories.models import Factory
from fithub.programmes.models import Engagement

SHOWN = 10


def _panel(
    request: HttpRequest,
    assessments: QuerySet[ComplianceAssessment],
    *,
    plan_url: str,
    panel_id: str,
) -> str | None:
    rows = list(assessments.select_related("version__tool").order_by("-planned_on", "-pk")[:SHOWN])
    if not rows and not plan_url:
        return None
    ctx = {"rows": rows, "plan_url": plan_url, "panel_id": panel_id}
    return render_to_string("compliance/_assessments_panel.html", ctx, request=request)


def factory_assessments(request: HttpRequest, factory: Factory) -> str | None:
    """List the factory's compliance assessments the reader may see."""
    qs = assessments_for(request.user).filter(factory=factory)
    return _panel(request, qs, plan_url="", panel_id="compliance")


def engagement_assessments(request: HttpRequest, engagement: Engagement) -> str | None:
    """List the engagement's compliance assessments, with "plan one" for its provider's admins."""
    qs = assessments_for(request.user).filter(engagement=engagement)
    plannable = plannable_engagements_for(request.user).filter(pk=engagement.pk).exists()
    plan_url = reverse("compliance:plan", args=[engagement.pk]) if plannable else ""
    return _panel(request, qs, plan_url=plan_url, panel_id="engagement-compliance")


def engagement_self_diagnosis(request: HttpRequest, engagement: Engagement) -> str | None:
    """The engagement's self-diagnosis, with "start" for the factory's committee members."""
    latest = self_diagnoses_for(request.user).filter(engagement=engagement).order_by("-pk").first()
    can_start = self_diagnosing_engagements_for(request.user).filter(pk=engagement.pk).exists()
    if latest is None and not can_start:
        return None
    ctx = {
        "sd": latest,
        "start_url": reverse("compliance:self-diagnosis-start", args=[engagement.pk])
        if can_start and (latest is None or latest.submitted_at is not None)
        else "",
    }
    return render_to_string("compliance/_self_diagnosis_panel.html", ctx, request=request)
