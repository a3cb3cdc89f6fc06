"""Adoption pages: the follow-ups due, a follow-up's answer, and the adoption rates.

Kept apart from views.py (plans and items), which is at the size where DESIGN.md splits.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fithub.accounts.models import User
from fithub.improvement import selectors, services
from fithub.improvement.forms import FollowUpForm
from fithub.improvement.models import AdoptionFollowUp
from fithub.improvement.scoping import followups_for, sees_plans
from fithub.improvement.views import _add_errors
from fithub.lib.evidence import evidence_response

TABS = ("due", "answered", "all")


def _followup_for(request: HttpRequest, pk: int, *, write: bool = False) -> AdoptionFollowUp:
    """Return the follow-up if the user may see it (or answer it, write=True); else 404."""
    qs = selectors.followups(followups_for(request.user, write=write))
    return get_object_or_404(qs, pk=pk)


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    """The follow-ups the user may see: due and overdue first, or those answered, or all."""
    if not sees_plans(request.user):
        raise Http404
    today = timezone.localdate()
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "due"
    qs = followups_for(request.user)
    if tab == "due":
        rows = selectors.followups_due(qs, today=today).order_by("due_on", "pk")
    elif tab == "answered":
        rows = selectors.followups(qs.exclude(in_use="")).order_by("-answered_at", "pk")
    else:
        rows = selectors.followups(qs).order_by("-due_on", "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "tab": tab, "today": today, "query": f"tab={tab}"}
    return render(request, "improvement/followups.html", ctx)


@login_required
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up, and the form that answers it for whoever may."""
    followup = _followup_for(request, pk)
    may_answer = followups_for(request.user, write=True).filter(pk=followup.pk).exists()
    form = FollowUpForm(
        request.POST or None,
        request.FILES or None,
        initial={"in_use": followup.in_use, "note": followup.note},
    )
    if request.method == "POST":
        if not may_answer:
            raise Http404
        if form.is_valid():
            try:
                services.followup_answer(
                    followup=followup,
                    answer=services.FollowUpAnswer.from_mapping(form.cleaned_data),
                    evidence=form.cleaned_data["evidence"],
                    by=cast(User, request.user),
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, _("Follow-up recorded."))
                return redirect("improvement:followups")
    ctx = {"followup": followup, "form": form, "may_answer": may_answer}
    return render(request, "improvement/followup.html", ctx)


@login_required
def followup_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a follow-up's evidence to whoever may see the follow-up, and nobody else."""
    followup = _followup_for(request, pk)
    if not followup.evidence:
        raise Http404
    return evidence_response(followup.evidence)


@login_required
def adoption(request: HttpRequest) -> HttpResponse:
    """Adoption rates per module, factory, provider and programme, from the follow-ups."""
    if not sees_plans(request.user):
        raise Http404
    qs = followups_for(request.user)
    today = timezone.localdate()
    groups = [
        (by, label, heading, selectors.adoption_rates(qs, by=by, today=today))
        for by, label, heading in (
            ("module", _("By module"), _("Module")),
            ("factory", _("By factory"), _("Factory")),
            ("provider", _("By provider"), _("Provider")),
            ("programme", _("By programme"), _("Programme")),
        )
    ]
    return render(request, "improvement/adoption.html", {"groups": groups})
