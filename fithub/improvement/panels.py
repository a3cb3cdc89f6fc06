"""The plan's panels on other apps' pages (fithub/lib/slots.py) and beside committee decisions."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from fithub.committees import links
from fithub.committees.models import Committee
from fithub.factories.models import Factory
from fithub.improvement import selectors
from fithub.improvement.forms import SessionItemForm
from fithub.improvement.models import ImprovementItem
from fithub.improvement.scoping import edits_plans_of, items_for, plans_for
from fithub.programmes.models import Engagement
from fithub.programmes.scoping import engagements_for
from fithub.training.models import Session
from fithub.training.scoping import can_change_session
from fithub.training.services import session_factory_ids

if TYPE_CHECKING:
    from fithub.committees.models import Decision


def factory_plan(request: HttpRequest, factory: Factory) -> str | None:
    """List the factory's plans, one per engagement the reader sees, with their statuses."""
    engagements = engagements_for(request.user).filter(factory=factory)
    return _plans_panel(request, engagements, factory=factory)


def engagement_plan(request: HttpRequest, engagement: Engagement) -> str | None:
    """Show the engagement's plan with its statuses."""
    engagements = engagements_for(request.user).filter(pk=engagement.pk)
    return _plans_panel(request, engagements, engagement=engagement)


def _plans_panel(request: HttpRequest, engagements: QuerySet[Engagement], **ctx: Any) -> str | None:
    rows = list(engagements.select_related("programme", "provider").order_by("-cycle", "-pk"))
    if not rows:
        return None  # the reader may not see the factory's engagements (a buyer, a stranger)
    plans = {
        p.engagement_id: p
        for p in selectors.plans(plans_for(request.user).filter(engagement__in=rows))
    }
    counts = selectors.plan_counts(list(plans.values()))
    entries = [
        {
            "engagement": e,
            "plan": plans.get(e.pk),
            "counts": counts.get(plans[e.pk].pk, {}) if e.pk in plans else {},
            "plan_total": sum(counts[plans[e.pk].pk].values()) if e.pk in plans else 0,
            "can_start": e.pk not in plans and edits_plans_of(request.user, e.factory_id),
        }
        for e in rows
    ]
    return render_to_string(
        "improvement/_plans_panel.html", {"entries": entries, **ctx}, request=request
    )


def session_items(request: HttpRequest, session: Session, form: object = None) -> str | None:
    """The session's action plan: what each group decided, and (for who runs it) a form."""
    items = list(selectors.session_items(items_for(request.user).filter(session=session)))
    can_add = can_change_session(request.user, session)
    factory_ids = session_factory_ids(session)
    ctx: dict[str, object] = {
        "session": session,
        "action_items": items,
        "can_add": can_add,
        "several": len(factory_ids) > 1,
    }
    if can_add:
        ctx["item_form"] = form or SessionItemForm(
            groups=session.groups.all(),
            factories=Factory.objects.filter(pk__in=factory_ids).order_by("name"),
        )
    return render_to_string("improvement/_session_items.html", ctx, request=request)


def decision_plan_links(
    request: HttpRequest, decisions: Sequence["Decision"]
) -> dict[int, list[links.DecisionLink]]:
    """Link each decision to the plan item made from it, for who may see the plan; for the
    factory's coordinator and manager, offer to make one in each engagement's plan."""
    found = items_for(request.user).filter(decision__in=[d.pk for d in decisions])
    out = {
        i.decision_id: [
            links.DecisionLink(
                _("Plan item %(n)s") % {"n": i.pk}, reverse("improvement:item", args=[i.pk])
            )
        ]
        for i in found
        if i.decision_id is not None
    }
    # A constant number of queries whatever the number of decisions on the meeting page.
    made = set(
        ImprovementItem.objects.filter(decision__in=decisions).values_list("decision", flat=True)
    )
    open_ = [d for d in decisions if d.pk not in made]
    factory_of = dict(
        Committee.objects.filter(pk__in={d.committee_id for d in open_}).values_list(
            "pk", "factory_id"
        )
    )
    editable = {f for f in factory_of.values() if edits_plans_of(request.user, f)}
    if not editable:
        return out
    engagements: dict[int, list[Engagement]] = {}
    for e in engagements_for(request.user).filter(factory__in=editable).select_related("programme"):
        engagements.setdefault(e.factory_id, []).append(e)
    for d in open_:
        choices = engagements.get(factory_of[d.committee_id], [])
        for e in choices:
            label = _("Add to the improvement plan")
            if len(choices) > 1:
                label = f"{label} ({e.programme.name})"
            url = reverse("improvement:from-decision", args=[d.pk, e.pk])
            out.setdefault(d.pk, []).append(links.DecisionLink(label, url, method="post"))
    return out


def assessment_items(request: HttpRequest, assessment: Any) -> str | None:
    """The statements a submitted assessment answered "no", each with its plan item or, for
    the factory's coordinator and manager, a button to act on it in the engagement's plan."""
    if assessment.status != "submitted" or assessment.engagement_id is None:
        return None
    if not engagements_for(request.user).filter(pk=assessment.engagement_id).exists():
        return None
    noes = list(
        assessment.answers.filter(value=False)
        .select_related("statement")
        .order_by("statement__section__order", "statement__order", "pk")
    )
    if not noes:
        return None
    plan = plans_for(request.user).filter(engagement_id=assessment.engagement_id).first()
    made = {}
    if plan is not None:
        made = {i.answer_id: i for i in items_for(request.user).filter(plan=plan, answer__in=noes)}
    ctx = {
        "rows": [(a, made.get(a.pk)) for a in noes],
        "can_add": edits_plans_of(request.user, assessment.factory_id),
        "lang": assessment.language,
    }
    return render_to_string("improvement/_assessment_items.html", ctx, request=request)
