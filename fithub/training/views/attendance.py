"""Groups and attendance: by tap, on the sheet, by import and by self check-in."""

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.training import imports, selectors, services
from fithub.training.forms import (
    AttendanceSheetForm,
    GroupMoveForm,
    ImportForm,
)
from fithub.training.models import Registration, Session
from fithub.training.scoping import (
    registrations_for,
    sessions_by_check_in_token,
)
from fithub.training.views.common import (
    _is_htmx,
    _registration_for,
    _session_for,
    _user,
)
from fithub.training.views.sessions import (
    _session_context,
)

# --- groups --------------------------------------------------------------------------------


def _groups_response(request: HttpRequest, session: Session) -> HttpResponse:
    if _is_htmx(request):
        return render(request, "training/session.html#groups", _session_context(request, session))
    return redirect(reverse("training:session", args=[session.pk]) + "#groups")


@require_POST
@login_required
def groups_form(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, write=True)
    groups = services.groups_form(session=session, by=_user(request))
    messages.success(
        request, _("%(count)s groups formed. Move people as you need.") % {"count": len(groups)}
    )
    return _groups_response(request, session)


@require_POST
@login_required
def roles_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, write=True)
    services.roles_rotate(session=session, by=_user(request))
    messages.success(request, _("The roles passed to the next people in each group."))
    return _groups_response(request, session)


@require_POST
@login_required
def group_move(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_for(request, pk)
    session = _session_for(request, registration.session_id, write=True)
    form = GroupMoveForm(request.POST)
    if form.is_valid():
        try:
            services.group_move(
                registration=registration,
                number=form.cleaned_data["group"],
                group_role=form.cleaned_data["group_role"],
                by=_user(request),
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    else:
        messages.error(request, _("Choose a group number from 1 to 99."))
    return _groups_response(request, session)


# --- attendance ----------------------------------------------------------------------------


def _people(request: HttpRequest, session: Session, *, write: bool = False) -> list[Registration]:
    """The session's people the user may see (or change), by the one rule of scoping."""
    visible = registrations_for(request.user, write=write)
    return list(selectors.registrations(session, visible=visible))


def _attendance_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    regs = _people(request, session, write=True)
    return {
        "session": session,
        "registrations": regs,
        "present": sum(1 for r in regs if r.present),
        "started": services.session_started(session),
        "check_in_url": request.build_absolute_uri(
            reverse("training:check-in", args=[session.check_in_token])
        ),
    }


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick attendance on a phone: one tap per person saves it."""
    session = _session_for(request, pk, write=True)
    return render(request, "training/attendance.html", _attendance_context(request, session))


@require_POST
@login_required
def attendance_tap(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_for(request, pk)
    session = registration.session
    value = request.POST.get("present", "")
    error = ""
    if value not in ("yes", "no"):
        error = _("Choose present or absent.")
    else:
        try:
            services.attendance_record(
                registration=registration, present=value == "yes", by=_user(request), method="tap"
            )
        except ValidationError as e:
            error = " ".join(e.messages)
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(reverse("training:attendance", args=[session.pk]) + f"#r-{registration.pk}")
    regs = session.registrations.filter(present=True).count()
    ctx = {"r": registration, "session": session, "error": error, "present": regs, "oob": True}
    return render(request, "training/attendance.html#tapped", ctx)


@login_required
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in the paper sign-in sheet: everyone on one form, present or absent."""
    session = _session_for(request, pk, write=True)
    regs = _people(request, session, write=True)
    form = AttendanceSheetForm(request.POST or None, registrations=regs)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_record_many(
                session=session, marks=form.marks(), by=_user(request), method="sheet"
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, _("Attendance saved for %(count)s people.") % {"count": count}
            )
            return redirect(session)
    ctx = {"session": session, "form": form, "started": services.session_started(session)}
    return render(request, "training/sheet.html", ctx)


@login_required
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import attendance from CSV: every row checked, then all written or none."""
    session = _session_for(request, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"session": session, "form": form}
    if request.method == "POST" and form.is_valid():
        regs = _people(request, session, write=True)
        report = imports.read_attendance(form.cleaned_data["file"], registrations=regs)
        ctx["report"] = report
        if report.ok:
            try:
                count = services.attendance_record_many(
                    session=session, marks=report.rows, by=_user(request), method="import"
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(
                    request, _("Attendance imported for %(count)s people.") % {"count": count}
                )
                return redirect(session)
    return render(request, "training/import.html", ctx)


def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """Self check-in from the session's QR code: no account; names shown only while open."""
    session = get_object_or_404(sessions_by_check_in_token(token).select_related("module", "venue"))
    is_open = services.check_in_open(session)
    done: Registration | None = None
    outcome: services.CheckIn | None = None
    if request.method == "POST" and is_open:
        raw = request.POST.get("registration", "")
        registration = get_object_or_404(
            session.registrations.select_related("participant"),
            pk=int(raw) if raw.isdigit() else 0,
        )
        try:
            outcome = services.attendance_check_in(registration=registration, by=None)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            done = registration
    regs = (
        list(session.registrations.select_related("participant").order_by("participant__name"))
        if is_open and done is None
        else []
    )
    ctx = {
        "session": session,
        "open": is_open,
        "registrations": regs,
        "done": done,
        "outcome": outcome,
    }
    return render(request, "training/check_in.html", ctx)


@login_required
def check_in_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in QR code as SVG, for the facilitator's phone or the printed sheet."""
    session = _session_for(request, pk, write=True)
    url = request.build_absolute_uri(reverse("training:check-in", args=[session.check_in_token]))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response
