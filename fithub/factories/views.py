"""Factory registry pages: list, detail, create, edit, improvement team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.forms import InviteForm
from fithub.accounts.models import FactoryMembership
from fithub.accounts.roles import roles_of
from fithub.accounts.services import invitation_create
from fithub.audit import audit_entries
from fithub.factories import exports, imports, services
from fithub.factories.forms import FactoryFilterForm, FactoryForm, ImportForm, TeamMemberForm
from fithub.factories.models import Factory, TeamMember
from fithub.factories.scoping import factories_for, sees_internals
from fithub.factories.selectors import search_factories
from fithub.lib import slots

PAGE_SIZE = 50


def _factory_for(request: HttpRequest, pk: int, write: bool = False) -> Factory:
    """Return the factory if the user may see it (or change it, with write=True); else 404."""
    return get_object_or_404(factories_for(request.user, write=write), pk=pk)


def filtered_factories(request: HttpRequest) -> tuple[QuerySet[Factory], FactoryFilterForm]:
    """Apply the list's search and filters to the factories the user may see."""
    qs = factories_for(request.user)
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
    ctx["panels"] = slots.render("factory-detail", request, factory)
    return render(request, "factories/detail.html", ctx)


@login_required
def factory_create(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user).can_register_factories:
        raise PermissionDenied
    form = FactoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = services.registering_organisation(request.user)  # type: ignore[arg-type]
        factory = services.factory_create(registered_by=org, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Factory %s registered.") % factory.name)
        return redirect(factory)
    return render(request, "factories/form.html", {"form": form})


@login_required
def factory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    factory = _factory_for(request, pk, write=True)
    form = FactoryForm(request.POST or None, instance=factory)
    if request.method == "POST" and form.is_valid():
        services.factory_update(factory=factory, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
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
        services.team_member_add(factory=factory, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
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


@login_required
def factory_history(request: HttpRequest, pk: int) -> HttpResponse:
    # Whoever may change the factory (its provider's admins, its coordinator and manager)
    # may read its history.
    factory = _factory_for(request, pk, write=True)
    entries = audit_entries(user=request.user, factory=factory)
    return render(request, "factories/history.html", {"factory": factory, "entries": entries})


@login_required
def factory_import(request: HttpRequest) -> HttpResponseBase:
    """Import factories from CSV or Excel: check every row, then write all of them or none."""
    if not roles_of(request.user).can_register_factories:
        raise PermissionDenied
    if request.GET.get("template"):
        return exports.import_template()
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        report = imports.read_upload(form.cleaned_data["file"], user=request.user)
        ctx["report"] = report
        if report.ok:
            org = services.registering_organisation(request.user) if report.creates else None  # type: ignore[arg-type]
            try:
                ctx["result"] = services.factories_import(
                    rows=[(row.factory, row.data) for row in report.rows],
                    by=request.user,  # type: ignore[arg-type]
                    registered_by=org,
                )
                ctx["form"] = ImportForm()
            except IntegrityError:
                # Someone registered one of these OS IDs since the file was checked.
                report.error(None, "", "", _("The registry changed while importing. Try again."))
    return render(request, "factories/import.html", ctx)


@login_required
def factory_export(request: HttpRequest) -> HttpResponseBase:
    """Export the factories the user sees, as filtered on the list, as CSV or Excel."""
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    qs, _form = filtered_factories(request)
    return exports.export_csv(qs) if kind == "csv" else exports.export_xlsx(qs)
