"""The assessments panel on the factory and engagement pages (slots of fithub/lib/slots.py)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from fithub.assessment.models import Assessment
from fithub.assessment.scoping import assessed_factories_for, assessments_for
from fithub.factories.models import Factory
from fithub.programmes.models import Engagement

SHOWN = 10  # the newest; the assessment list has the others


def _panel(
    request: HttpRequest, assessments: QuerySet[Assessment], *, factory_id: int, panel_id: str
) -> str | None:
    rows = list(
        assessments.select_related("version__questionnaire").order_by("-started_at", "-pk")[
            : SHOWN + 1
        ]
    )
    can_start = assessed_factories_for(request.user, write=True).filter(pk=factory_id).exists()
    if not rows and not can_start:
        return None  # nothing this reader may see, and nothing they may do
    ctx = {
        "rows": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "all_url": f"{reverse('assessment:list')}?factory={factory_id}",
        "start_url": f"{reverse('assessment:start')}?factory={factory_id}" if can_start else "",
        "panel_id": panel_id,
    }
    return render_to_string("assessment/_assessments_panel.html", ctx, request=request)


def factory_assessments(request: HttpRequest, factory: Factory) -> str | None:
    """List the factory's assessments, online and imported, that the reader may see."""
    qs = assessments_for(request.user).filter(factory=factory)
    return _panel(request, qs, factory_id=factory.pk, panel_id="assessments")


def engagement_assessments(request: HttpRequest, engagement: Engagement) -> str | None:
    """List the assessments made within the engagement that the reader may see."""
    qs = assessments_for(request.user).filter(engagement=engagement)
    return _panel(request, qs, factory_id=engagement.factory_id, panel_id="engagement-assessments")
