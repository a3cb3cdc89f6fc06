"""The committees list, a committee's page, its members, exports and history."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.committees import exports, history, selectors, services
from fithub.committees.forms import CommitteeForm, LeaveForm, MemberForm, SearchForm
from fithub.committees.models import Committee
from fithub.committees.scoping import (
    committee_factories_for,
    committees_for,
    guided_factories_for,
    sees_committees,
)
from fithub.committees.views.common import (
    PAGE_SIZE,
    acting_user,
    add_errors,
    can_record,
    committee_for,
    factory_for,
    is_htmx,
    member_for,
)

RECENT_MEETINGS = 5


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    """The committees the user may see, and the factories where one can be set up."""
    if not sees_committees(request.user):
        raise Http404
    form = SearchForm(request.GET or None)
    committees = committees_for(request.user)
    setup = committee_factories_for(request.user, write=True).filter(committee__isnull=True)
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        committees = committees.filter(factory__name__icontains=q)
        setup = setup.filter(name__icontains=q)
    page = Paginator(
        selectors.committees_overview(committees).order_by("factory__name", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "setup": setup.order_by("name")[:PAGE_SIZE],
    }
    return render(request, "committees/list.html", ctx)


@login_required
def committee_create(request: HttpRequest, factory_pk: int) -> HttpResponse:
    """Record the factory's committee (coordinator or manager)."""
    factory = factory_for(request, factory_pk, write=True)
    if Committee.objects.filter(factory=factory).exists():
        return redirect(factory.committee)
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(
                factory=factory,
                details=services.CommitteeDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The committee is recorded. Add its members."))
            return redirect(committee)
    return render(request, "committees/committee_form.html", {"form": form, "factory": factory})


@login_required
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, pk, write=True)
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        services.committee_update(
            committee=committee,
            details=services.CommitteeDetails.from_mapping(form.cleaned_data),
            by=acting_user(request),
        )
        messages.success(request, _("Changes saved."))
        return redirect(committee)
    ctx = {"form": form, "factory": committee.factory, "committee": committee}
    return render(request, "committees/committee_form.html", ctx)


def _members_context(request: HttpRequest, committee: Committee, **extra: Any) -> dict[str, Any]:
    summary = selectors.committee_summary(committee)
    former = committee.members.filter(left_on__lt=timezone.localdate()).order_by("-left_on")
    ctx: dict[str, Any] = {
        "committee": committee,
        "factory": committee.factory,
        "summary": summary,
        "sides": selectors.sides(summary.members),
        "former": list(former),
        "can_record": can_record(request, committee),
    }
    if ctx["can_record"] and "member_form" not in extra:
        ctx["member_form"] = MemberForm(
            factory=committee.factory, initial={"term_starts_on": timezone.localdate()}
        )
    ctx.update(extra)
    return ctx


def _detail_context(request: HttpRequest, committee: Committee, **extra: Any) -> dict[str, Any]:
    meetings = selectors.with_meeting_facts(committee.meetings.all())[:RECENT_MEETINGS]
    return _members_context(
        request,
        committee,
        elections=committee.elections.all(),
        meetings=[selectors.meeting_facts(m) for m in meetings],
        more_meetings=committee.meetings.count() > RECENT_MEETINGS,
        reviews=selectors.review_summaries(committee.reviews.all()),
        can_review=guided_factories_for(request.user).filter(pk=committee.factory_id).exists(),
        **extra,
    )


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, pk)
    return render(request, "committees/detail.html", _detail_context(request, committee))


def _members_response(request: HttpRequest, committee: Committee, **extra: Any) -> HttpResponse:
    """Answer a change to the members: their section for htmx, else the committee's page."""
    if is_htmx(request):
        ctx = _members_context(request, committee, **extra)
        return render(request, "committees/detail.html#members", ctx)
    if "member_form" in extra:  # a form with errors, without htmx: show it on the whole page
        ctx = _detail_context(request, committee, **extra)
        return render(request, "committees/detail.html", ctx)
    return redirect(reverse("committees:detail", args=[committee.pk]) + "#members")


@require_POST
@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, pk, write=True)
    form = MemberForm(request.POST, factory=committee.factory)
    if form.is_valid():
        try:
            member = services.member_add(
                committee=committee,
                details=services.MemberDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("%(name)s joined the committee.") % {"name": member.name})
            return _members_response(request, committee)
    return _members_response(request, committee, member_form=form, open_member_form=True)


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_for(request, pk, write=True)
    committee = member.committee
    form = MemberForm(request.POST or None, instance=member, factory=committee.factory)
    leave = LeaveForm(initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                member=member,
                details=services.MemberDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(reverse("committees:detail", args=[committee.pk]) + "#members")
        member.refresh_from_db()
    ctx = {"form": form, "leave": leave, "member": member, "committee": committee}
    return render(request, "committees/member_form.html", ctx)


@require_POST
@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_for(request, pk, write=True)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.member_leave(
                member=member, left_on=form.cleaned_data["left_on"], by=acting_user(request)
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("%(name)s left the committee.") % {"name": member.name})
    else:
        messages.error(request, _("Enter the day the member left."))
    return redirect(reverse("committees:detail", args=[member.committee_id]) + "#members")


@login_required
def committee_export(request: HttpRequest, pk: int, what: str) -> HttpResponseBase:
    """Members or meetings as CSV or Excel, for whoever may read the committee."""
    committee = committee_for(request, pk)
    if what not in ("members", "meetings"):
        raise Http404
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    table = (
        exports.members_table(committee) if what == "members" else exports.meetings_table(committee)
    )
    return exports.respond(table, kind)


@login_required
def committee_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the committee's members, meetings and decisions, newest first."""
    committee = committee_for(request, pk)
    page = Paginator(history.committee_changes(committee), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = history.labelled(list(page.object_list))
    return render(
        request,
        "committees/history.html",
        {"committee": committee, "page": page, "entries": entries},
    )
