"""Session pages: planning, the people registered, the reflection afterwards, cascades."""

from typing import Any

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

from fithub.accounts.models import Organisation
from fithub.factories.models import Factory
from fithub.lib import slots
from fithub.lib.i18n import localized_q
from fithub.programmes.models import DeliveryModel
from fithub.training import selectors, services
from fithub.training.checks import planning_warnings
from fithub.training.forms import (
    ChildSessionForm,
    ParticipantForm,
    ReflectionForm,
    SearchForm,
    SessionFilterForm,
    SessionForm,
    VenueForm,
)
from fithub.training.models import Participant, Registration, Session
from fithub.training.scoping import (
    participant_factories_for,
    participants_for,
    registrations_for,
    sees_training,
    session_factories_for,
    sessions_for,
)
from fithub.training.views.common import (
    _add_errors,
    _can_write,
    _create_venue,
    _is_htmx,
    _organisers,
    _planning_choices,
    _registration_for,
    _session_for,
    _user,
)

PAGE_SIZE = 50
SEARCH_LIMIT = 20


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
                    details=services.SessionDetails.from_mapping(data),
                    provider=provider,
                    organising_factory=own,
                    engagements=engagements,
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
                details = services.SessionDetails.of(fresh).changed(data)
                services.session_update(
                    session=fresh, by=user, details=details, engagements=engagements
                )
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
                        factory=factory,
                        by=_user(request),
                        details=services.ParticipantDetails.from_mapping(data),
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
                registration=registration,
                by=_user(request),
                details=services.CascadeDetails.from_mapping(form.cleaned_data),
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
