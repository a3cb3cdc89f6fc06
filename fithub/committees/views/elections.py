"""Elections of worker representatives: nominations, candidates, the count, the elected joining."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.committees import checks, selectors, services
from fithub.committees.forms import CandidateForm, ElectionForm, JoinForm, ResultsForm
from fithub.committees.models import Candidate, Election
from fithub.committees.scoping import advisors_of
from fithub.committees.views.common import (
    acting_user,
    add_errors,
    can_record,
    committee_for,
    election_for,
    is_htmx,
)


@login_required
def election_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, pk, write=True)
    advisors = advisors_of(committee.factory)
    form = ElectionForm(request.POST or None, advisors=advisors)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(
                committee=committee,
                details=services.ElectionDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Election opened. Add the candidates as they stand."))
            return redirect(election)
    ctx = {"form": form, "committee": committee}
    return render(request, "committees/election_form.html", ctx)


@login_required
def election_edit(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request, pk, write=True)
    committee = election.committee
    form = ElectionForm(
        request.POST or None, instance=election, advisors=advisors_of(committee.factory)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(
                election=election,
                details=services.ElectionDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(election)
    ctx = {"form": form, "committee": committee, "election": election}
    return render(request, "committees/election_form.html", ctx)


def _election_context(request: HttpRequest, election: Election, **extra: Any) -> dict[str, Any]:
    committee = election.committee
    candidates = list(election.candidates.select_related("member"))
    outcome = services.election_outcome(election)
    elected = [c for c in candidates if c.pk in outcome.elected]
    ctx: dict[str, Any] = {
        "election": election,
        "committee": committee,
        "candidates": candidates,
        "elected_ids": set(outcome.elected),
        "tied_ids": set(outcome.tied),
        "joined": any(c.member_id for c in candidates),
        "can_record": can_record(request, committee),
        "women_checks": [
            checks.election_women(
                [c.sex for c in elected],
                [c.sex for c in candidates],
                selectors.workforce(committee.factory),
            )
        ]
        if election.has_results and elected
        else [],
    }
    if ctx["can_record"]:
        ctx.setdefault("candidate_form", CandidateForm(factory=committee.factory))
        ctx["results_form"] = ResultsForm(
            candidates=candidates,
            initial={"held_on": election.held_on, "voters": election.voters},
        )
        ctx["join_form"] = JoinForm(
            initial={"term_starts_on": election.held_on or timezone.localdate()}
        )
    ctx.update(extra)
    return ctx


@login_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request, pk)
    return render(request, "committees/election.html", _election_context(request, election))


def _candidates_response(request: HttpRequest, election: Election, **extra: Any) -> HttpResponse:
    if is_htmx(request):
        ctx = _election_context(request, election, **extra)
        return render(request, "committees/election.html#candidates", ctx)
    if extra:
        return render(
            request, "committees/election.html", _election_context(request, election, **extra)
        )
    return redirect(reverse("committees:election", args=[election.pk]) + "#candidates")


@require_POST
@login_required
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request, pk, write=True)
    form = CandidateForm(request.POST, factory=election.committee.factory)
    if form.is_valid():
        try:
            candidate = services.candidate_add(
                election=election,
                details=services.CandidateDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("%(name)s is a candidate.") % {"name": candidate.name})
            return _candidates_response(request, election)
    return _candidates_response(request, election, candidate_form=form, open_candidate=True)


@require_POST
@login_required
def candidate_remove(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    election = election_for(request, pk, write=True)
    candidate = get_object_or_404(Candidate, pk=candidate_pk, election=election)
    try:
        services.candidate_remove(candidate=candidate, by=acting_user(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return _candidates_response(request, election)


def _about_the_election(error: ValidationError) -> bool:
    """Whether a refusal is about the election as it stands, not what the form says."""
    return not hasattr(error, "error_dict")


def _refused(request: HttpRequest, election: Election, error: ValidationError) -> HttpResponse:
    # The page may no longer show the form (a second tab, a double submit): say it above it.
    messages.error(request, " ".join(error.messages))
    return redirect(reverse("committees:election", args=[election.pk]) + "#results")


@require_POST
@login_required
def results_record(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request, pk, write=True)
    candidates = list(election.candidates.all())
    form = ResultsForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            services.election_results_record(
                election=election,
                held_on=form.cleaned_data["held_on"],
                voters=form.cleaned_data["voters"],
                votes=form.votes(),
                by=acting_user(request),
            )
        except ValidationError as e:
            if _about_the_election(e):
                return _refused(request, election, e)
            add_errors(form, e)
        else:
            messages.success(request, _("The results are recorded."))
            return redirect(reverse("committees:election", args=[election.pk]) + "#results")
    election.refresh_from_db()
    ctx = _election_context(request, election)
    ctx["results_form"] = form
    return render(request, "committees/election.html", ctx)


@require_POST
@login_required
def elected_join(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request, pk, write=True)
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            joined = services.election_elected_join(
                election=election,
                term_starts_on=form.cleaned_data["term_starts_on"],
                term_ends_on=form.cleaned_data["term_ends_on"],
                by=acting_user(request),
            )
        except ValidationError as e:
            if _about_the_election(e):
                return _refused(request, election, e)
            add_errors(form, e)
        else:
            messages.success(
                request,
                _("%(names)s joined the committee.") % {"names": ", ".join(m.name for m in joined)},
            )
            return redirect(reverse("committees:detail", args=[election.committee_id]) + "#members")
    ctx = _election_context(request, election)
    ctx["join_form"] = form
    return render(request, "committees/election.html", ctx)
