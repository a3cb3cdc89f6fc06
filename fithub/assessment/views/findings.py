"""Findings from other audit tools and the mapping of their codes to modules."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.roles import Role, roles_of
from fithub.assessment import imports, services
from fithub.assessment.forms import (
    FindingMappingForm,
    ImportForm,
)
from fithub.assessment.models import (
    ExternalFinding,
    FindingMapping,
)
from fithub.assessment.scoping import (
    assessed_factories_for,
)
from fithub.assessment.views.common import (
    _factory_for,
    _owner_org,
    _owners,
    _user,
)

# --- findings from other tools -------------------------------------------------------------


@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    """List a factory's findings from other audit tools, and import more from CSV or Excel."""
    factory = _factory_for(request, pk)
    can_import = assessed_factories_for(request.user, write=True).filter(pk=pk).exists()
    form = ImportForm(request.POST or None, request.FILES or None) if can_import else None
    ctx: dict[str, Any] = {
        "factory": factory,
        "form": form,
        "can_import": can_import,
        "columns": imports.FINDING_COLUMNS,
    }
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            report = imports.read_findings(form.cleaned_data["file"])
            ctx["report"] = report
            if report.ok:
                created, updated = services.findings_import(
                    factory=factory, rows=report.rows, by=_user(request)
                )
                ctx["result"] = {"created": created, "updated": updated}
                ctx["form"] = ImportForm()
    ctx["findings"] = ExternalFinding.objects.filter(factory=factory).order_by(
        "resolved", "source", "code", "-found_on"
    )
    return render(request, "assessment/findings.html", ctx)


@login_required
def mappings(request: HttpRequest) -> HttpResponse:
    """The programme owner's table mapping other tools' finding codes to modules."""
    owner = _owner_org(request)
    can_edit = (
        roles_of(request.user).org.get(owner.pk, ("", ""))[1] == Role.ADMIN
        or roles_of(request.user).superuser
    )
    form = FindingMappingForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.finding_mapping_add(owner=owner, by=_user(request), **data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Mapping saved."))
                return redirect("assessment:mappings")
    rows = (
        FindingMapping.objects.filter(owner=owner)
        .select_related("module")
        .order_by("source", "code", "module__code")
    )
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(
            Q(source__icontains=q) | Q(code__icontains=q) | Q(module__code__icontains=q)
        )
    ctx = {
        "owner": owner,
        "owners": _owners(request),
        "rows": rows,
        "form": form,
        "can_edit": can_edit,
        "q": q,
        "import_form": ImportForm() if can_edit else None,
        "columns": imports.MAPPING_COLUMNS,
        "sources": FindingMapping.objects.filter(owner=owner)
        .values("source")
        .annotate(n=Count("pk"))
        .order_by("source"),
    }
    return render(request, "assessment/mappings.html", ctx)


@require_POST
@login_required
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # The owner is the mapping's own, if the user administers it.
    owners = _owners(request, write=True)
    mapping = get_object_or_404(FindingMapping, pk=pk, owner__in=owners)
    services.finding_mapping_remove(mapping=mapping, by=_user(request))
    messages.success(request, _("Mapping removed."))
    back = reverse("assessment:mappings")
    return redirect(f"{back}?owner={mapping.owner_id}" if len(owners) > 1 else back)


@login_required
def mappings_import(request: HttpRequest) -> HttpResponse:
    owner = _owner_org(request, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {
        "form": form, "owner": owner, "owners": _owners(request, write=True),
        "columns": imports.MAPPING_COLUMNS,
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        report = imports.read_mappings(form.cleaned_data["file"])
        ctx["report"] = report
        if report.ok:
            count = services.finding_mappings_import(
                owner=owner, rows=report.rows, by=_user(request)
            )
            ctx["result"] = {"count": count}
            ctx["form"] = ImportForm()
    return render(request, "assessment/mappings_import.html", ctx)
