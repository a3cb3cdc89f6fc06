"""Factory registry pages: list, detail, create, edit, improvement team."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from fithub.accounts.forms import InviteForm
from fithub.accounts.models import FactoryMembership, Organisation
from fithub.accounts.roles import Kind, roles_of
from fithub.accounts.scoping import administered
from fithub.accounts.services import invitation_create
from fithub.factories import access, exports, imports, services
from fithub.factories.forms import (
    AccessRequestForm,
    DecisionForm,
    FactoryFilterForm,
    FactoryForm,
    ImportForm,
    TeamMemberForm,
)
from fithub.factories.models import AccessRequest, Factory, TeamMember
from fithub.factories.scoping import (
    access_requests_for,
    factories_for,
    factory_by_os_id,
    requesting_providers_for,
    sees_internals,
)
from fithub.factories.selectors import search_factories
from fithub.lib import pending, slots

PAGE_SIZE = 50


def _factory_for(request: HttpRequest, pk: int, write: bool = False) -> Factory:
    """Return the factory if the user may see it (or change it, with write=True); else 404."""
    return get_object_or_404(factories_for(request.user, write=write), pk=pk)


def filtered_factories(request: HttpRequest) -> tuple[QuerySet[Factory], FactoryFilterForm]:
    """Apply the list's search and filters to the factories the user may see."""
    qs = factories_for(request.user)
    if request.headers.get("HX-Request"):
        # The htmx refresh renders the results, not the filter: rather than every country of
        # the user's factories, check only the one asked for (an index lookup, if any).
        asked = request.GET.get("country", "")
        codes = [asked] if asked and qs.filter(country=asked).exists() else []
    else:
        codes = sorted(set(qs.order_by().values_list("country", flat=True).distinct()))
    form = FactoryFilterForm(request.GET or None, country_codes=codes)
    if form.is_bound and not form.is_valid():
        # A value the form does not offer (an old bookmark, a country where the user has no
        # factory) matches nothing, as in the API; ignoring it would list everything instead,
        # and export it. The form shows which field is wrong.
        return qs.none(), form
    if form.is_bound:
        data = form.cleaned_data
        qs = search_factories(qs, data["q"])
        for name in ("country", "sector", "tier"):
            if data[name]:
                qs = qs.filter(**{name: data[name]})
    return qs.order_by("name", "pk"), form


@login_required
def factory_list(request: HttpRequest) -> HttpResponse:
    qs, form = filtered_factories(request)
    page = Paginator(
        qs.only(
            "pk",
            "name",
            "os_id",
            "country",
            "city",
            "sector",
            "tier",
            "workers_female",
            "workers_male",
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"page": page, "form": form, "query": query.urlencode()}
    template = (
        "factories/list.html#results"
        if request.headers.get("HX-Request")
        else "factories/list.html"
    )
    return render(request, template, ctx)


@login_required
def factory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    factory = _factory_for(request, pk)
    internals = sees_internals(request.user, factory)
    can_edit = factories_for(request.user, write=True).filter(pk=pk).exists()
    ctx: dict = {"factory": factory, "internals": internals, "can_edit": can_edit}
    if internals:
        ctx["team"] = factory.team.all()
        ctx["engagements"] = factory.engagements.select_related("programme", "provider")
        ctx["members"] = factory.memberships.select_related("user")
        ctx["team_form"] = TeamMemberForm()
    ctx["pending_requests"] = access_requests_for(request.user, decide=True).filter(factory=factory)
    ctx["panels"] = slots.render("factory-detail", request, factory)
    return render(request, "factories/detail.html", ctx)


def _providers(request: HttpRequest) -> QuerySet[Organisation] | None:
    """The providers to choose from, when the user administers several; else None."""
    mine = administered(request.user, Kind.SERVICE_PROVIDER)
    return mine if mine.count() > 1 else None


@login_required
def factory_create(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user).can_register_factories:
        raise PermissionDenied
    form = FactoryForm(request.POST or None, user=request.user, providers=_providers(request))
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data.pop("registered_by", None)
        org = org or services.registering_organisation(request.user)  # type: ignore[arg-type]
        details = services.FactoryDetails.from_mapping(form.cleaned_data)
        factory = services.factory_create(registered_by=org, by=request.user, details=details)  # type: ignore[arg-type]
        messages.success(request, _("Factory %s registered.") % factory.name)
        return redirect(factory)
    ctx: dict[str, Any] = {"form": form}
    if form.in_fit_hub:
        # The factory is in FIT Hub already: offer to ask to work with it, showing what
        # Open Supply Hub publishes of it and nothing more.
        known = factory_by_os_id(form.in_fit_hub)
        if known is not None:
            ctx["known"] = access.registry_entry(known)
    return render(request, "factories/form.html", ctx)


@login_required
def factory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    factory = _factory_for(request, pk, write=True)
    form = FactoryForm(request.POST or None, instance=factory)
    if request.method == "POST" and form.is_valid():
        details = services.FactoryDetails.of(factory).changed(form.cleaned_data)
        services.factory_update(factory=factory, by=request.user, details=details)  # type: ignore[arg-type]
        messages.success(request, _("Changes saved."))
        return redirect(factory)
    return render(request, "factories/form.html", {"form": form, "factory": factory})


def _team_response(request: HttpRequest, factory: Factory, form: TeamMemberForm) -> HttpResponse:
    """Answer a change to the team: its section for htmx, else back to the factory page."""
    if not request.headers.get("HX-Request"):
        return redirect(factory)
    ctx = {
        "factory": factory,
        "team": factory.team.all(),
        "team_form": form,
        "can_edit": True,  # only editors reach the team's views
        "internals": True,
    }
    return render(request, "factories/detail.html#team", ctx)


@require_POST
@login_required
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    factory = _factory_for(request, pk, write=True)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        details = services.TeamMemberDetails.from_mapping(form.cleaned_data)
        services.team_member_add(factory=factory, by=request.user, details=details)  # type: ignore[arg-type]
        form = TeamMemberForm()
    return _team_response(request, factory, form)


@require_POST
@login_required
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    factory = _factory_for(request, pk, write=True)
    member = get_object_or_404(TeamMember, pk=member_pk, factory=factory)
    services.team_member_remove(member=member, by=request.user)  # type: ignore[arg-type]
    return _team_response(request, factory, TeamMemberForm())


@login_required
def factory_invite(request: HttpRequest, pk: int) -> HttpResponse:
    factory = _factory_for(request, pk, write=True)
    form = InviteForm(request.POST or None, role_choices=FactoryMembership.Role.choices)
    if request.method == "POST" and form.is_valid():
        invitation_create(
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            factory=factory,
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("Invitation sent to %s.") % form.cleaned_data["email"])
        return redirect(factory)
    return render(request, "factories/invite.html", {"factory": factory, "form": form})


PENDING = "factories"  # the kind of kept upload, in lib.pending


@login_required
def factory_import(request: HttpRequest) -> HttpResponseBase:
    """Import factories from CSV or Excel: check every row, show what the import will do, and
    write all of it (or nothing) when the user confirms."""
    if not roles_of(request.user).can_register_factories:
        raise PermissionDenied
    if request.GET.get("template"):
        return exports.import_template()
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {
        "form": form,
        "countries": list(countries),
        "providers": _providers(request),
    }
    if request.method != "POST":
        return render(request, "factories/import.html", ctx)
    step, token = request.POST.get("step"), request.POST.get("token", "")
    if step in ("map", "confirm"):
        upload = pending.fetch(request.session, PENDING, token)
        if upload is None:
            ctx.update(form=ImportForm(), gone=True)
            return render(request, "factories/import.html", ctx)
        names = pending.choices(request.session, PENDING)
        if step == "map":
            names |= _country_choices(request.POST)
            pending.set_choices(request.session, PENDING, names)
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        names = {}
    else:
        return render(request, "factories/import.html", ctx)
    report = imports.read_upload(upload, user=request.user, country_names=names)
    if step != "confirm" and (report.ok or report.unknown_countries):
        token = token or pending.keep(request.session, PENDING, upload)
    ctx.update(report=report, token=token)
    if step == "confirm" and report.ok:
        if request.POST.get("plan") != report.plan:
            ctx["changed_since"] = True  # the registry moved since the preview: show it again
        else:
            ctx["result"] = _write_import(request, report, request.POST.get("registered_by"))
            if ctx["result"] is not None:
                pending.drop(request.session, PENDING)
                ctx["form"] = ImportForm()
    return render(request, "factories/import.html", ctx)


def _country_choices(post: Any) -> dict[str, str]:
    """The countries the user chose for names no source knows: {name as written: code}."""
    chosen = {}
    for i in range(int(post.get("unknown", 0) or 0)):
        name, code = post.get(f"name-{i}", ""), post.get(f"country-{i}", "")
        if name and code in dict(countries):
            chosen[name] = code
    return chosen


def _write_import(
    request: HttpRequest, report: imports.Report, chosen: str | None
) -> services.ImportResult | None:
    try:
        org = services.registering_organisation(request.user, chosen) if report.creates else None  # type: ignore[arg-type]
    except ValidationError as e:
        report.error(None, "", "", " ".join(e.messages))
        return None
    try:
        return services.factories_import(
            rows=[(r.factory, r.values) for r in report.to_write],
            by=request.user,  # type: ignore[arg-type]
            registered_by=org,
            unchanged=report.unchanged,
        )
    except IntegrityError:
        # Someone registered one of these OS IDs since the file was checked.
        report.error(None, "", "", _("The registry changed while importing. Try again."))
        return None


@login_required
def factory_export(request: HttpRequest) -> HttpResponseBase:
    """Export the factories the user sees, as filtered on the list, as CSV or Excel."""
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    qs, _form = filtered_factories(request)
    return exports.export_csv(qs) if kind == "csv" else exports.export_xlsx(qs)


# --- asking to work with a factory already in FIT Hub --------------------------------------


def _requesting_providers(request: HttpRequest) -> QuerySet[Organisation]:
    """Return the providers the user may ask for; 404 if none (only their admins ask)."""
    providers = Organisation.objects.filter(pk__in=requesting_providers_for(request.user))
    if not providers.exists():
        raise Http404
    return providers.order_by("name", "pk")


def _access_request_for(request: HttpRequest, pk: int) -> AccessRequest:
    """Return the request if the user sees it (either side); else 404."""
    qs = access_requests_for(request.user).select_related(
        "factory", "provider", "requested_by", "decided_by"
    )
    return get_object_or_404(qs, pk=pk)


@login_required
def access_list(request: HttpRequest) -> HttpResponse:
    """List the requests to work with factories: the organisation's, and those to its own."""
    qs = access_requests_for(request.user).select_related(
        "factory", "provider", "requested_by", "decided_by"
    )
    mine = Q(provider__in=requesting_providers_for(request.user))
    sides = []
    if qs.filter(mine).exists() or requesting_providers_for(request.user):
        sides.append("mine")
    if qs.exclude(mine).exists():
        sides.append("factory")
    side = request.GET.get("side", "")
    if side not in sides:
        side = sides[0] if sides else "mine"
    qs = qs.filter(mine) if side == "mine" else qs.exclude(mine)
    status = request.GET.get("status", "")
    if status in AccessRequest.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "rows": access.seen_by(request.user, list(page.object_list)),
        "sides": sides,
        "side": side,
        "status": status,
        "statuses": AccessRequest.Status.choices,
        "can_ask": bool(requesting_providers_for(request.user)),
    }
    return render(request, "factories/access_list.html", ctx)


@login_required
def access_ask(request: HttpRequest) -> HttpResponse:
    """Ask, for one's provider, to work with a factory found by its Open Supply Hub ID."""
    providers = _requesting_providers(request)
    data = request.POST if request.method == "POST" else None
    initial = {"os_id": request.GET.get("os_id", "")}
    form = AccessRequestForm(data, initial=initial, providers=providers)
    os_id = initial["os_id"] if data is None else data.get("os_id", "")
    known = factory_by_os_id(str(os_id))
    yours = known is not None and factories_for(request.user).filter(pk=known.pk).exists()
    if request.method == "POST" and form.is_valid():
        if known is None:
            form.add_error("os_id", _("No factory in FIT Hub has this Open Supply Hub ID."))
        else:
            try:
                access_request = services.access_request_create(
                    factory=known,
                    provider=form.cleaned_data["provider"],
                    by=request.user,  # type: ignore[arg-type]
                    note=form.cleaned_data["note"],
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(
                    request, _("Your request is sent. The factory decides whether to accept it.")
                )
                return redirect(access_request)
    ctx = {
        "form": form,
        "known": access.registry_entry(known) if known is not None else None,
        "known_pk": known.pk if yours and known is not None else None,
        "looked_up": bool(os_id),
    }
    return render(request, "factories/access_ask.html", ctx)


@login_required
def access_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = _access_request_for(request, pk)
    seen = access.seen_by(request.user, [access_request], history=True)[0]
    ctx = {"seen": seen, "r": access_request, "form": DecisionForm()}
    return render(request, "factories/access_detail.html", ctx)


def _decide(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    access_request = _access_request_for(request, pk)
    # Readable but not the user's to decide: 404, as an edit page would be.
    if not access_requests_for(request.user, decide=True).filter(pk=pk).exists():
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        decide = services.access_request_approve if approve else services.access_request_decline
        try:
            decide(access_request=access_request, by=request.user, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request,
                _("Approved: the provider may now work with the factory.")
                if approve
                else _("Declined: the provider is told."),
            )
        return redirect(access_request)
    seen = access.seen_by(request.user, [access_request], history=True)[0]
    ctx = {"seen": seen, "r": access_request, "form": form}
    return render(request, "factories/access_detail.html", ctx, status=400)


@require_POST
@login_required
def access_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@require_POST
@login_required
def access_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's errors next to the form's fields, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
