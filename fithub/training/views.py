"""Session pages: planning, people, groups, attendance (four ways), reflection, cascades."""

from typing import Any, cast

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import roles_of
from fithub.catalogue.scoping import adaptations_for, modules_for
from fithub.factories.models import Factory
from fithub.lib import slots
from fithub.lib.i18n import localized_q
from fithub.programmes.models import DeliveryModel, Engagement
from fithub.training import imports, selectors, services
from fithub.training.checks import planning_warnings
from fithub.training.forms import (
    AttendanceSheetForm,
    ChildSessionForm,
    GroupMoveForm,
    ImportForm,
    ParticipantForm,
    ReflectionForm,
    SearchForm,
    SessionFilterForm,
    SessionForm,
    VenueForm,
)
from fithub.training.models import Participant, Registration, Session, Venue
from fithub.training.scoping import (
    WRITING_FACTORY_ROLES,
    can_change_session,
    organising_factories_for,
    organising_providers_for,
    participant_factories_for,
    participants_for,
    registrations_for,
    sees_training,
    session_factories_for,
    sessions_by_check_in_token,
    sessions_for,
)

PAGE_SIZE = 50
SEARCH_LIMIT = 20


# --- access helpers ------------------------------------------------------------------------


def _session_for(request: HttpRequest, pk: int, write: bool = False) -> Session:
    """Return the session if the user may see it (or change it, with write=True); else 404."""
    qs = selectors.session_with_relations(sessions_for(request.user, write=write))
    return get_object_or_404(qs, pk=pk)


def _registration_for(request: HttpRequest, pk: int) -> Registration:
    """Return the registration if the user may change its session; else 404."""
    qs = registrations_for(request.user, write=True).select_related(
        "session", "participant__factory", "group"
    )
    return get_object_or_404(qs, pk=pk)


def _participant_for(request: HttpRequest, pk: int, write: bool = False) -> Participant:
    """Return the participant if the user may see them (or change them); else 404."""
    qs = participants_for(request.user, write=write).select_related("factory")
    return get_object_or_404(qs, pk=pk)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _user(request: HttpRequest) -> User:
    # login_required let only users in.
    return cast(User, request.user)


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's errors next to the form's fields, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _can_write(request: HttpRequest, session: Session) -> bool:
    return can_change_session(request.user, session)


# --- what the user may plan with -----------------------------------------------------------


def _organisers(user: Any) -> list[tuple[str, str]]:
    """Who the user may organise a session for: their providers, and their own factories."""
    r = roles_of(user)
    choices = [
        (f"provider:{o.pk}", o.name) for o in organising_providers_for(user).order_by("name")
    ]
    # A superuser may organise for any factory, but is offered only their own: the list
    # would hold the whole registry.
    own = organising_factories_for(user).filter(pk__in=r.factories(roles=WRITING_FACTORY_ROLES))
    choices += [(f"factory:{f.pk}", f.name) for f in own]
    return choices


def _planning_choices(
    user: Any, *, session: Session | None = None
) -> tuple[dict[str, Any], QuerySet[Factory]]:
    """The querysets the session form offers, limited to what the user may use."""
    r = roles_of(user)
    if session is not None:
        providers = [session.provider_id] if session.provider_id else []
        own = [session.organising_factory_id] if session.organising_factory_id else []
    else:
        providers = list(organising_providers_for(user).values_list("pk", flat=True))
        own = r.factories(roles=WRITING_FACTORY_ROLES)
    engaged = Q(factory__in=own)
    if providers and not (session is not None and session.organising_factory_id):
        engaged |= Q(provider__in=providers)
    engagements = Engagement.objects.filter(engaged).select_related(
        "factory", "programme", "provider"
    )
    if session is not None:
        engagements = (
            engagements | Engagement.objects.filter(pk__in=session.engagements.values("pk"))
        ).distinct()
    factories = Factory.objects.filter(
        Q(pk__in=engagements.values("factory")) | Q(pk__in=own)
    ).order_by("name")
    venues = Venue.objects.filter(
        Q(provider__in=providers) | Q(factory__in=factories.values("pk"))
    ).order_by("name")
    facilitators = (
        User.objects.filter(
            Q(memberships__organisation__in=providers) | Q(factory_memberships__factory__in=own)
        )
        .distinct()
        .order_by("name", "email")
    )
    adaptations = adaptations_for(user).select_related("module", "provider")
    if providers:
        adaptations = adaptations.filter(provider__in=providers)
    choices = {
        "modules": modules_for(user).order_by("sort_order", "code"),
        "adaptations": adaptations,
        "engagements": engagements.order_by("factory__name", "pk"),
        "venues": venues,
        "facilitators": facilitators,
    }
    return choices, factories


def _create_venue(
    form: VenueForm, *, user: User, provider: Organisation | None, own: Factory | None
) -> Venue:
    data = dict(form.cleaned_data)
    factory = data.pop("factory")
    return services.venue_create(
        by=user,
        provider=provider if factory is None else None,
        factory=factory or (own if provider is None else None),
        **data,
    )


# --- sessions ------------------------------------------------------------------------------


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    if not sees_training(request.user):
        raise Http404
    qs = sessions_for(request.user).select_related(
        "module", "provider", "organising_factory", "venue"
    )
    form = SessionFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if q := data["q"].strip():
            qs = qs.filter(
                Q(module__code__icontains=q)
                | localized_q("module__title", q)
                | Q(engagements__factory__name__icontains=q)
                | Q(organising_factory__name__icontains=q)
                | Q(venue__name__icontains=q)
            ).distinct()
        today = timezone.localdate()
        if data["when"] == "upcoming":
            qs = qs.filter(date__gte=today)
        elif data["when"] == "past":
            qs = qs.filter(date__lt=today)
        if data["delivery_model"]:
            qs = qs.filter(delivery_model=data["delivery_model"])
    if (factory := request.GET.get("factory", "")).isdigit():
        qs = selectors.of_factory(qs, int(factory))
    page = Paginator(
        selectors.with_counts(qs).order_by("-date", "-starts_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "can_create": bool(_organisers(request.user)),
    }
    template = "training/list.html#results" if _is_htmx(request) else "training/list.html"
    return render(request, template, ctx)


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisers = _organisers(user)
    if not organisers:
        raise Http404
    choices, factories = _planning_choices(user)
    initial: dict[str, Any] = {"language": request.LANGUAGE_CODE}
    if (pk := request.GET.get("engagement", "")).isdigit():
        engagement = choices["engagements"].filter(pk=int(pk)).first()
        if engagement is not None:
            initial["engagements"] = [engagement.pk]
            initial["delivery_model"] = engagement.delivery_model
            initial["organiser"] = f"provider:{engagement.provider_id}"
    if organisers[0][0].startswith("factory:") and len(organisers) == 1:
        initial.setdefault("delivery_model", DeliveryModel.LAISSEZ_FAIRE)
    if (pk := request.GET.get("module", "")).isdigit():
        initial["module"] = int(pk)
    form = SessionForm(request.POST or None, initial=initial, organisers=organisers, **choices)
    venue_form = VenueForm(request.POST or None, prefix="venue", factories=factories)
    if request.method == "POST" and form.is_valid() and venue_form.is_valid():
        data = dict(form.cleaned_data)
        kind, org_pk = form.organiser_choice()
        del data["organiser"]
        provider = Organisation.objects.get(pk=org_pk) if kind == "provider" else None
        own = Factory.objects.get(pk=org_pk) if kind == "factory" else None
        engagements = list(data.pop("engagements"))
        try:
            with transaction.atomic():
                if venue_form.wanted:
                    data["venue"] = _create_venue(venue_form, user=user, provider=provider, own=own)
                session = services.session_create(
                    by=user,
                    provider=provider,
                    organising_factory=own,
                    engagements=engagements,
                    **data,
                )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Session planned. Now register the participants."))
            return redirect(session)
    ctx = {"form": form, "venue_form": venue_form}
    return render(request, "training/session_form.html", ctx)


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, write=True)
    user = _user(request)
    choices, factories = _planning_choices(user, session=session)
    form = SessionForm(
        request.POST or None,
        instance=session,
        initial={"engagements": [e.pk for e in session.engagements.all()]},
        **choices,
    )
    venue_form = VenueForm(request.POST or None, prefix="venue", factories=factories)
    if request.method == "POST" and form.is_valid() and venue_form.is_valid():
        data = dict(form.cleaned_data)
        engagements = list(data.pop("engagements"))
        fresh = Session.objects.get(pk=session.pk)
        try:
            with transaction.atomic():
                if venue_form.wanted:
                    data["venue"] = _create_venue(
                        venue_form,
                        user=user,
                        provider=fresh.provider,
                        own=fresh.organising_factory,
                    )
                services.session_update(session=fresh, by=user, engagements=engagements, **data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(fresh)
    ctx = {"form": form, "venue_form": venue_form, "session": session}
    return render(request, "training/session_form.html", ctx)


def _session_context(request: HttpRequest, session: Session, **extra: Any) -> dict[str, Any]:
    """Everything the session page shows, in a number of queries that does not grow with it."""
    can_change = _can_write(request, session)
    all_factories = selectors.session_factories(session)
    factory_ids = [f.pk for f in all_factories]
    # A factory's users see their own factory's name, people and items in a classroom session,
    # not the other factories': the counts stay whole, the names do not.
    factories = session_factories_for(request.user, all_factories)
    all_regs = list(selectors.registrations(session))
    visible = set(
        registrations_for(request.user).filter(session=session).values_list("pk", flat=True)
    )
    regs = [r for r in all_regs if r.pk in visible]
    groups, loose = selectors.groups_of(regs)
    writable_factories: QuerySet[Factory] = Factory.objects.none()
    if can_change:
        writable_factories = (
            participant_factories_for(request.user, write=True)
            .filter(pk__in=factory_ids)
            .order_by("name")
        )
    kids = list(session.children.all())
    children = {c.representative_id: c for c in kids if c.representative_id is not None}
    for r in regs:
        r.child_session = children.get(r.participant_id)  # type: ignore[attr-defined]
    ctx: dict[str, Any] = {
        "session": session,
        "factories": factories,
        "registrations": regs,
        "hidden_count": len(all_regs) - len(regs),
        "registered": len(all_regs),
        "present": sum(1 for r in all_regs if r.present),
        "groups": groups,
        "loose": loose,
        "warnings": planning_warnings(selectors.plan_for(session, all_regs, factories=factories)),
        "can_change": can_change,
        "started": services.session_started(session),
        "in_cascade": bool(session.parent_id or kids),
        "cascades": session.delivery_model in (DeliveryModel.BLENDED, DeliveryModel.CLASSROOM)
        and session.parent_id is None,
        "group_roles": Registration.GroupRole.choices,
        "next_group": (max((g.number for g in groups), default=0) + 1),
    }
    if can_change:
        ctx["search_form"] = SearchForm()
        ctx["participant_form"] = ParticipantForm(
            factories=writable_factories, initial={"language": session.language}
        )
        ctx["reflection_form"] = ReflectionForm(instance=session)
    ctx.update(extra)
    return ctx


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    ctx = _session_context(
        request, session, panels=slots.render("session-detail", request, session)
    )
    return render(request, "training/session.html", ctx)


def _people_response(request: HttpRequest, session: Session, **extra: Any) -> HttpResponse:
    if _is_htmx(request):
        ctx = _session_context(request, session, **extra)
        return render(request, "training/session.html#people", ctx)
    return redirect(reverse("training:session", args=[session.pk]) + "#people")


@login_required
def people_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Find people of the session's factories to register (htmx), with who is already in."""
    session = _session_for(request, pk, write=True)
    form = SearchForm(request.GET or None)
    found: list[Participant] = []
    q = ""
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        registered = session.registrations.values("participant")
        found = list(
            participants_for(request.user, write=True)
            .filter(factory__in=services.session_factory_ids(session), name__icontains=q)
            .exclude(pk__in=registered)
            .select_related("factory")
            .order_by("name", "pk")[:SEARCH_LIMIT]
        )
    ctx = {"session": session, "found": found, "q": q, "can_change": True}
    return render(request, "training/session.html#search-results", ctx)


@require_POST
@login_required
def registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, write=True)
    raw = request.POST.get("participant", "")
    participant = get_object_or_404(
        participants_for(request.user, write=True), pk=int(raw) if raw.isdigit() else 0
    )
    try:
        services.registration_add(session=session, participant=participant, by=_user(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("%(name)s is registered.") % {"name": participant.name})
    return _people_response(request, session)


@require_POST
@login_required
def registration_new_participant(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a new person and register them; warn first if the factory has someone of that name."""
    session = _session_for(request, pk, write=True)
    factories = participant_factories_for(request.user, write=True).filter(
        pk__in=services.session_factory_ids(session)
    )
    form = ParticipantForm(request.POST, factories=factories, duplicates=True)
    duplicates: list[Participant] = []
    if form.is_valid():
        data = dict(form.cleaned_data)
        factory = data.pop("factory")
        confirmed = data.pop("confirm_new", False)
        duplicates = list(
            services.participant_duplicates(factory=factory, name=data["name"]).select_related(
                "factory"
            )[:5]
        )
        if duplicates and not confirmed:
            form.add_error(
                "name",
                _(
                    "Someone of this name is already recorded at this factory: register them "
                    "below, or tick the box if this is another person."
                ),
            )
        else:
            try:
                with transaction.atomic():
                    participant = services.participant_create(
                        factory=factory, by=_user(request), **data
                    )
                    services.registration_add(
                        session=session, participant=participant, by=_user(request)
                    )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": participant.name})
                return _people_response(request, session)
    ctx = _session_context(
        request, session, participant_form=form, duplicates=duplicates, open_new=True
    )
    template = "training/session.html#people" if _is_htmx(request) else "training/session.html"
    return render(request, template, ctx)


@require_POST
@login_required
def registration_remove(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_for(request, pk)
    session = _session_for(request, registration.session_id, write=True)
    try:
        services.registration_remove(registration=registration, by=_user(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return _people_response(request, session)


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


# --- after the session ---------------------------------------------------------------------


@require_POST
@login_required
def reflection(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, write=True)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        services.reflection_record(
            session=Session.objects.get(pk=session.pk),
            by=_user(request),
            went_well=form.cleaned_data["reflection_went_well"],
            to_change=form.cleaned_data["reflection_to_change"],
        )
        messages.success(request, _("Reflection saved."))
    return redirect(reverse("training:session", args=[session.pk]) + "#after")


# --- cascades ------------------------------------------------------------------------------


@login_required
def cascade(request: HttpRequest, pk: int) -> HttpResponse:
    """The cascade a session belongs to, as a tree, with the reach of each session."""
    session = _session_for(request, pk)
    root = selectors.cascade_root(session)
    tree = selectors.cascade(root, visible=sessions_for(request.user))
    ctx = {"session": session, "root": root, "tree": tree, "rows": selectors.flatten(tree)}
    return render(request, "training/cascade.html", ctx)


@login_required
def child_session_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the session a representative runs in their own factory (cascade)."""
    registration = _registration_for(request, pk)
    parent = _session_for(request, registration.session_id, write=True)
    registration.session = parent
    participant = registration.participant
    form = ChildSessionForm(
        request.POST or None,
        initial={
            "facilitator_name": participant.name,
            "language": participant.language or parent.language,
            "starts_at": parent.starts_at,
            "ends_at": parent.ends_at,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_session_create(
                registration=registration, by=_user(request), **form.cleaned_data
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s's session is planned in %(factory)s.")
                % {"name": participant.name, "factory": participant.factory.name},
            )
            return redirect(child)
    ctx = {"form": form, "parent": parent, "participant": participant}
    return render(request, "training/child_form.html", ctx)


# --- participants --------------------------------------------------------------------------


@login_required
def participant_list(request: HttpRequest) -> HttpResponse:
    if not sees_training(request.user):
        raise Http404
    qs = participants_for(request.user).select_related("factory")
    form = SearchForm(request.GET or None)
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        qs = qs.filter(Q(name__icontains=q) | Q(phone__icontains=q))
    if (factory := request.GET.get("factory", "")).isdigit():
        qs = qs.filter(factory=int(factory))
    page = Paginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "can_create": participant_factories_for(request.user, write=True).exists(),
    }
    template = (
        "training/participants.html#results" if _is_htmx(request) else "training/participants.html"
    )
    return render(request, template, ctx)


@login_required
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_for(request, pk)
    ctx = {
        "participant": participant,
        "history": selectors.history(participant, sessions_for(request.user)),
        "can_edit": participants_for(request.user, write=True).filter(pk=pk).exists(),
    }
    return render(request, "training/participant.html", ctx)


@login_required
def participant_create(request: HttpRequest) -> HttpResponse:
    factories = participant_factories_for(request.user, write=True).order_by("name")
    if not factories.exists():
        raise Http404
    initial: dict[str, Any] = {"language": request.LANGUAGE_CODE}
    if (pk := request.GET.get("factory", "")).isdigit():
        initial["factory"] = int(pk)
    form = ParticipantForm(
        request.POST or None, initial=initial, factories=factories, duplicates=True
    )
    duplicates: list[Participant] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        factory = data.pop("factory")
        confirmed = data.pop("confirm_new", False)
        duplicates = list(services.participant_duplicates(factory=factory, name=data["name"])[:5])
        if duplicates and not confirmed:
            form.add_error(
                "name",
                _(
                    "Someone of this name is already recorded at this factory. Open their "
                    "record below, or tick the box if this is another person."
                ),
            )
        else:
            try:
                participant = services.participant_create(
                    factory=factory, by=_user(request), **data
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, _("%(name)s is recorded.") % {"name": participant.name})
                return redirect("training:participant", participant.pk)
    ctx = {"form": form, "duplicates": duplicates}
    return render(request, "training/participant_form.html", ctx)


@login_required
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_for(request, pk, write=True)
    form = ParticipantForm(
        request.POST or None,
        instance=participant,
        factories=Factory.objects.filter(pk=participant.factory_id),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("factory", None)
        try:
            services.participant_update(
                participant=Participant.objects.get(pk=pk), by=_user(request), **data
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:participant", pk)
    ctx = {"form": form, "participant": participant}
    return render(request, "training/participant_form.html", ctx)
