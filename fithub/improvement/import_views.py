"""Import a plan's items from CSV or Excel: check the whole file, show what it will add, and
add all of it (or nothing) when the user confirms (as factories/views.py::factory_import)."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from fithub.accounts.models import User
from fithub.factories.exports import csv_response
from fithub.improvement import imports, services
from fithub.improvement.forms import ImportForm
from fithub.improvement.views import _plan_for
from fithub.lib import pending

PENDING = "improvement-items"


@login_required
def plan_import(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Add items to the plan from a file, after showing the user what will be added."""
    plan = _plan_for(request, pk, write=True)
    if request.GET.get("template"):
        return csv_response(iter(imports.template_rows()), "fithub-plan-items.csv")
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"form": form, "plan": plan, "columns": imports.COLUMNS}
    if request.method != "POST":
        return render(request, "improvement/import.html", ctx)
    step, token = request.POST.get("step"), request.POST.get("token", "")
    if step == "confirm":
        upload = pending.fetch(request.session, PENDING, token)
        if upload is None:
            ctx.update(form=ImportForm(), gone=True)
            return render(request, "improvement/import.html", ctx)
    elif form.is_valid():
        upload = form.cleaned_data["file"]
    else:
        return render(request, "improvement/import.html", ctx)
    report = imports.read_upload(upload, plan=plan)
    if step != "confirm" and report.ok:
        token = pending.keep(request.session, PENDING, upload)
    ctx.update(report=report, token=token)
    if step == "confirm" and report.ok:
        if request.POST.get("plan") != report.plan:
            ctx["changed_since"] = True  # the plan moved since the preview: show it again
            return render(request, "improvement/import.html", ctx)
        try:
            added = services.items_import(plan=plan, rows=report.rows, by=cast(User, request.user))
        except ValidationError as e:
            form.add_error(None, e)
            return render(request, "improvement/import.html", ctx)
        pending.drop(request.session, PENDING)
        messages.success(
            request,
            _("%(n)s items added to the plan, %(same)s already in it.")
            % {"n": len(added), "same": len(report.unchanged)},
        )
        ctx.update(form=ImportForm(), report=None, done=True)
    return render(request, "improvement/import.html", ctx)
