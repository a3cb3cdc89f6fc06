"""Committee meetings: attendees, agenda and minutes, decisions, approval by both sides."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.committees import links, selectors, services
from fithub.committees.forms import (
    ApprovalForm,
    AttendeeForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    NewMeetingForm,
)
from fithub.committees.models import Attendance, Committee, Meeting, Member
from fithub.committees.scoping import approving_members_for, decisions_for
from fithub.committees.views.common import (
    PAGE_SIZE,
    acting_user,
    add_errors,
    can_record,
    committee_for,
    is_htmx,
    meeting_for,
)

SECTIONS = ("attendees", "minutes", "decisions", "approval")


def _members_on(committee: Committee, day: Any) -> QuerySet[Member]:
    """The members who were on the committee on that day: those who may attend."""
    return committee.members.filter(term_starts_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )


def _approvers(request: HttpRequest, meeting: Meeting, state: selectors.ApprovalState) -> Any:
    """The members the user may approve for, on a side that has not approved yet."""
    done = [s for s, a in (("management", state.management), ("worker", state.worker)) if a]
    today = timezone.localdate()
    return (
        approving_members_for(request.user, committee=meeting.committee)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .exclude(side__in=done)
        .order_by("side", "name")
    )


def _fresh(meeting: Meeting) -> Meeting:
    # Re-read with its attendees, approvals and decisions: the scoped fetch that found it
    # checked access, this one fetches what the page shows (and the latest revision).
    return selectors.with_meeting_facts(Meeting.objects.filter(pk=meeting.pk)).get()


def _meeting_context(request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    meeting = _fresh(meeting)
    committee = meeting.committee
    facts = selectors.meeting_facts(meeting)
    decisions = list(meeting.decisions.all())
    found = links.for_decisions(request, decisions)
    for d in decisions:
        d.links = found.get(d.pk, [])  # type: ignore[attr-defined]
    attendances = list(meeting.attendances.all())
    record = can_record(request, committee)
    approvers = _approvers(request, meeting, facts.approval)
    ctx: dict[str, Any] = {
        "meeting": meeting,
        "committee": committee,
        "facts": facts,
        "present": {
            side: [a for a in attendances if a.member.side == side]
            for side in ("management", "worker")
        },
        "decisions": decisions,
        "can_record": record,
        "is_future": meeting.held_on > timezone.localdate(),
    }
    if record:
        ctx["attendee_form"] = AttendeeForm(
            members=_members_on(committee, meeting.held_on).exclude(
                pk__in=[a.member_id for a in attendances]
            )
        )
        ctx["minutes_form"] = MinutesForm(instance=meeting)
        ctx["decision_form"] = DecisionForm(members=_members_on(committee, meeting.held_on))
    if approvers.exists():
        ctx["approval_form"] = ApprovalForm(members=approvers)
    ctx.update(extra)
    return ctx


def _section(request: HttpRequest, meeting: Meeting, name: str, **extra: Any) -> HttpResponse:
    """Answer a change: the changed section for htmx, with the approvals swapped out of band."""
    if not is_htmx(request):
        if any(k.endswith("_form") for k in extra):
            return render(
                request, "committees/meeting.html", _meeting_context(request, meeting, **extra)
            )
        return redirect(reverse("committees:meeting", args=[meeting.pk]) + f"#{name}")
    ctx = _meeting_context(request, meeting, **extra)
    html = render_to_string(f"committees/meeting.html#{name}", ctx, request=request)
    if name != "approval":
        # Every change raises the revision, so the approvals' section changes with it.
        html += render_to_string(
            "committees/meeting.html#approval", {**ctx, "oob": True}, request=request
        )
    return HttpResponse(html)


@login_required
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, pk)
    page = Paginator(selectors.with_meeting_facts(committee.meetings.all()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ctx = {
        "committee": committee,
        "page": page,
        "meetings": [selectors.meeting_facts(m) for m in page.object_list],
        "can_record": can_record(request, committee),
    }
    return render(request, "committees/meetings.html", ctx)


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, pk, write=True)
    today = timezone.localdate()
    day = today
    if request.method == "POST":
        probe = MeetingForm(request.POST)
        if probe.is_valid():
            day = probe.cleaned_data["held_on"]
    form = NewMeetingForm(
        request.POST or None,
        members=_members_on(committee, day).order_by("side", "name"),
        initial={"held_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                committee=committee,
                details=services.MeetingDetails.from_mapping(form.cleaned_data),
                attendees=form.cleaned_data["attendees"],
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Meeting recorded. Add the attendees and decisions."))
            return redirect(meeting)
    return render(request, "committees/meeting_form.html", {"form": form, "committee": committee})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, write=True)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                details=services.MeetingDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(meeting)
        meeting.refresh_from_db()
    ctx = {"form": form, "committee": meeting.committee, "meeting": meeting}
    return render(request, "committees/meeting_form.html", ctx)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    return render(request, "committees/meeting.html", _meeting_context(request, meeting))


@require_POST
@login_required
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, write=True)
    # Any member of the committee is offered; the service refuses the rest with a message.
    form = AttendeeForm(request.POST, members=Member.objects.filter(committee=meeting.committee))
    if form.is_valid():
        try:
            services.attendee_add(
                meeting=meeting, member=form.cleaned_data["member"], by=acting_user(request)
            )
        except ValidationError as e:
            add_errors(form, e)
            return _section(request, meeting, "attendees", attendee_form=form)
        return _section(request, meeting, "attendees")
    # A member of another committee (another factory) is not among the choices.
    form.errors.pop("member", None)
    form.add_error("member", _("Choose a member of this committee."))
    return _section(request, meeting, "attendees", attendee_form=form)


@require_POST
@login_required
def attendee_remove(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, write=True)
    attendance = get_object_or_404(Attendance, pk=attendance_pk, meeting=meeting)
    services.attendee_remove(attendance=attendance, by=acting_user(request))
    return _section(request, meeting, "attendees")


@require_POST
@login_required
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, write=True)
    form = MinutesForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk))
    if form.is_valid():
        current = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
        try:
            services.meeting_update(
                meeting=meeting,
                details=services.MeetingDetails.from_mapping({**current, **form.cleaned_data}),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
            return _section(request, meeting, "minutes", minutes_form=form)
        if not is_htmx(request):
            messages.success(request, _("The minutes are saved."))
        return _section(request, meeting, "minutes", saved=True)
    return _section(request, meeting, "minutes", minutes_form=form)


@require_POST
@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, write=True)
    form = DecisionForm(request.POST, members=Member.objects.filter(committee=meeting.committee))
    if form.is_valid():
        try:
            services.decision_add(
                meeting=meeting,
                details=services.DecisionDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
            return _section(request, meeting, "decisions", decision_form=form)
        return _section(request, meeting, "decisions")
    return _section(request, meeting, "decisions", decision_form=form)


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        decisions_for(request.user, write=True).select_related("meeting__committee"), pk=pk
    )
    meeting = decision.meeting
    members = _members_on(meeting.committee, meeting.held_on)
    form = DecisionForm(request.POST or None, instance=decision, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                decision=decision,
                details=services.DecisionDetails.from_mapping(form.cleaned_data),
                by=acting_user(request),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(decision)
    ctx = {"form": form, "decision": decision, "meeting": meeting, "committee": meeting.committee}
    return render(request, "committees/decision_form.html", ctx)


@require_POST
@login_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    allowed = approving_members_for(request.user, committee=meeting.committee)
    if not allowed.exists():
        raise Http404
    form = ApprovalForm(request.POST, members=allowed)
    error = ""
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.minutes_approve(meeting=meeting, member=member, by=acting_user(request))
        except ValidationError as e:
            error = " ".join(e.messages)
    else:
        error = _("Choose the member who approves the minutes.")
    if is_htmx(request):
        return _section(request, meeting, "approval", approval_error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The approval is recorded."))
    return redirect(reverse("committees:meeting", args=[meeting.pk]) + "#approval")
