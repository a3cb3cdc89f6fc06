"""The advisor's effectiveness review of a committee: a checklist, and the score it gives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fithub.committees import selectors, services
from fithub.committees.forms import ReviewForm
from fithub.committees.models import ChecklistItem
from fithub.committees.scoping import committees_for, guided_factories_for
from fithub.committees.views.common import acting_user, add_errors, review_for


@login_required
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The advisor answers the checklist (the factory's provider's administrators, facilitators)."""
    committee = get_object_or_404(
        committees_for(request.user)
        .filter(factory__in=guided_factories_for(request.user).values("pk"))
        .select_related("factory"),
        pk=pk,
    )
    items = list(ChecklistItem.objects.filter(is_active=True))
    form = ReviewForm(
        request.POST or None, items=items, initial={"reviewed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                committee=committee,
                reviewed_on=form.cleaned_data["reviewed_on"],
                answers=form.answers(),
                notes=form.cleaned_data["notes"],
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            score = selectors.review_summary(review).score
            messages.success(
                request,
                _("Review recorded: the committee scores %(score)s of 100.") % {"score": score},
            )
            return redirect(review)
    summary = selectors.committee_summary(committee)
    ctx = {"form": form, "committee": committee, "summary": summary}
    return render(request, "committees/review_form.html", ctx)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_for(request, pk)
    summary = selectors.review_summaries(type(review).objects.filter(pk=review.pk))[0]
    return render(
        request,
        "committees/review.html",
        {"review": summary, "committee": review.committee},
    )
