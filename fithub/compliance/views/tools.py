"""Tool pages: the tools, a version's clusters and questions, import, export, publish, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.models import Organisation
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.compliance import imports, services
from fithub.compliance.forms import ImportForm, PublishForm, ToolForm
from fithub.compliance.models import Cluster, CompliancePoint, Question, ToolVersion
from fithub.compliance.scoping import can_edit_tools, sees_tools, tools_for, versions_for
from fithub.compliance.views.common import add_errors, user_of, version_for


@login_required
def tool_list(request: HttpRequest) -> HttpResponse:
    if not sees_tools(request.user):
        raise Http404
    tools = tools_for(request.user).select_related("owner").order_by("country", "slug")
    ctx = {"tools": tools, "can_create": bool(_owned(request))}
    return render(request, "compliance/tools.html", ctx)


def _owned(request: HttpRequest) -> list[int]:
    """The programme owners the user administers: those a new tool may belong to."""
    return roles_of(request.user).orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,))


@login_required
def tool_create(request: HttpRequest) -> HttpResponse:
    """Start a country's tool (an empty draft version 1), for the owner one administers."""
    owners = _owned(request)
    if len(owners) != 1:  # none, or several: the Django admin serves who acts for several
        raise Http404
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.tool_create(
                owner=Organisation.objects.get(pk=owners[0]),
                country=form.cleaned_data["country"],
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                by=user_of(request),
            )
            return redirect(tool)
        except ValidationError as e:
            add_errors(form, e)
    return render(request, "compliance/tool_form.html", {"form": form})


@login_required
def tool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tool = get_object_or_404(tools_for(request.user).select_related("owner"), pk=pk)
    versions = (
        versions_for(request.user)
        .filter(tool=tool)
        .annotate(question_count=Count("questions"))
        .order_by("-number")
    )
    return render(request, "compliance/tool.html", {"tool": tool, "versions": versions})


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    questions = Question.objects.order_by("order", "pk")
    points = CompliancePoint.objects.order_by("order", "pk").prefetch_related(
        Prefetch("questions", queryset=questions)
    )
    clusters = (
        Cluster.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("points", queryset=points))
    )
    editable = versions_for(request.user, write=True).filter(pk=version.pk).exists()
    ctx = {
        "version": version,
        "clusters": clusters,
        "can_edit": editable,
        "publish_form": PublishForm(initial={"notes": version.notes}),
    }
    return render(request, "compliance/version.html", ctx)


@login_required
def version_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version = version_for(request, pk)
    return imports.tool_xlsx(version) if fmt == "xlsx" else imports.tool_csv(version)


@login_required
def version_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a draft's questions with a file's, all or nothing, every bad row named."""
    version = version_for(request, pk, write=True)
    if not version.is_editable:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.read_tool(form.cleaned_data["file"])
        if report.ok:
            count = services.tool_version_import(
                version=version, rows=report.rows, by=user_of(request)
            )
            messages.success(request, _("%(count)s questions imported.") % {"count": count})
            return redirect(version)
    return render(
        request,
        "compliance/version_import.html",
        {"version": version, "form": form, "report": report},
    )


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk, write=True)
    form = PublishForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else None
    try:
        services.tool_version_publish(version=version, by=user_of(request), notes=notes)
        messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    return redirect(version)


@login_required
@require_POST
def version_new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Editing a published version starts a draft copy; the published one stays frozen."""
    version = version_for(request, pk, write=True)
    if not can_edit_tools(request.user):
        raise Http404
    try:
        draft = services.tool_version_new_draft(version=version, by=user_of(request))
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        draft = version.tool.versions.filter(status=ToolVersion.Status.DRAFT).first() or version
    return redirect(draft)
