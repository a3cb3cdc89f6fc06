"""Catalogue pages: modules, files and downloads, adaptations, translation status, import."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, roles_of
from fithub.accounts.scoping import administered
from fithub.catalogue import imports, services
from fithub.catalogue.forms import (
    AdaptationForm,
    CatalogueFilterForm,
    ImportForm,
    ModuleFileForm,
    ModuleForm,
)
from fithub.catalogue.models import Adaptation, Category, Module, ModuleFile
from fithub.catalogue.scoping import (
    adaptations_for,
    can_edit_catalogue,
    modules_for,
    sees_catalogue,
)
from fithub.catalogue.selectors import (
    STATUS_LABELS,
    module_status,
    search_modules,
    translation_status,
)
from fithub.lib.i18n import language_codes, localized_q

PAGE_SIZE = 100


def _catalogue(request: HttpRequest, *, write: bool = False) -> QuerySet[Module]:
    """Return the modules the user may see (or, with write=True, edit); 404 if none at all."""
    allowed = can_edit_catalogue(request.user) if write else sees_catalogue(request.user)
    if not allowed:
        raise Http404
    return modules_for(request.user)


def _module_for(request: HttpRequest, pk: int, write: bool = False) -> Module:
    """Return the module if the user may see it (or edit it, with write=True); else 404."""
    return get_object_or_404(_catalogue(request, write=write), pk=pk)


def _adaptation_for(request: HttpRequest, pk: int, write: bool = False) -> Adaptation:
    """Return the adaptation if the user may see it (or change it); else 404."""
    qs = adaptations_for(request.user, write=write).select_related("module", "provider")
    return get_object_or_404(qs, pk=pk)


def _adapting_providers(request: HttpRequest) -> QuerySet[Organisation]:
    """Return the providers the user adapts modules for (as their administrator); or 404."""
    providers = administered(request.user, Kind.SERVICE_PROVIDER)
    if not providers.exists():
        raise Http404
    return providers


def _with_files(qs: QuerySet[Module]) -> QuerySet[Module]:
    return qs.prefetch_related(
        Prefetch(
            "files",
            queryset=ModuleFile.objects.only(
                "pk", "module_id", "language", "version", "released_on"
            ),
        )
    )


def filtered_modules(
    request: HttpRequest,
) -> tuple[QuerySet[Module], CatalogueFilterForm, dict[str, int]]:
    """Apply the list's search and filters; count the matches in each category."""
    qs = _catalogue(request)
    form = CatalogueFilterForm(request.GET or None)
    category = ""
    if form.is_valid():
        data = form.cleaned_data
        qs = search_modules(qs, data["q"], user=request.user)
        if data["audience"]:
            qs = qs.filter(audience=data["audience"])
        if data["language"]:
            files = ModuleFile.objects.filter(module=OuterRef("pk"), language=data["language"])
            qs = qs.filter(Exists(files))
        category = data["category"]
    counts = dict(qs.order_by().values_list("category").annotate(n=Count("pk")))
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("sort_order", "code"), form, counts


@login_required
def module_list(request: HttpRequest) -> HttpResponse:
    qs, form, counts = filtered_modules(request)
    page = Paginator(_with_files(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "categories": [(value, label, counts.get(value, 0)) for value, label in Category.choices],
        "can_edit": can_edit_catalogue(request.user),
    }
    template = (
        "catalogue/list.html#results"
        if request.headers.get("HX-Request")
        else "catalogue/list.html"
    )
    return render(request, template, ctx)


@login_required
def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_object_or_404(_catalogue(request).prefetch_related("files"), pk=pk)
    # English first, as in settings.LANGUAGES; the newest version first within a language.
    order = {code: i for i, code in enumerate(language_codes())}
    files = sorted(module.files.all(), key=lambda f: f.sort_key, reverse=True)
    files.sort(key=lambda f: order.get(f.language, len(order)))
    adaptations = list(
        adaptations_for(request.user).filter(module=module).select_related("provider")
    )
    for adaptation in adaptations:
        adaptation.module = module  # its prefetched files tell whether the original is newer
    ctx = {
        "module": module,
        "files": files,
        "status": module_status(module),
        "prerequisites": modules_for(request.user).filter(required_by=module),
        "required_by": modules_for(request.user).filter(prerequisites=module),
        "adaptations": adaptations,
        "can_edit": can_edit_catalogue(request.user),
        "can_adapt": roles_of(request.user).provider_admin,
    }
    return render(request, "catalogue/detail.html", ctx)


@login_required
def module_create(request: HttpRequest) -> HttpResponse:
    _catalogue(request, write=True)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        module = services.module_create(
            by=cast(User, request.user),
            details=services.ModuleDetails.from_mapping(data),
            prerequisites=data.get("prerequisites") or (),
        )
        messages.success(request, _("Module %s added.") % module.code)
        return redirect(module)
    return render(request, "catalogue/form.html", {"form": form})


@login_required
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module_for(request, pk, write=True)
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(
                module=module,
                by=cast(User, request.user),
                details=services.ModuleDetails.of(module).changed(form.cleaned_data),
                prerequisites=form.cleaned_data.get("prerequisites"),
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(module)
    return render(request, "catalogue/form.html", {"form": form, "module": module})


def _file_add(
    request: HttpRequest, *, module: Module, adaptation: Adaptation | None = None
) -> HttpResponse:
    form = ModuleFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        owner = {"adaptation": adaptation} if adaptation else {"module": module}
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            services.module_file_add(by=cast(User, request.user), upload=upload, **owner, **data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("File added."))
            return redirect(adaptation or module)
    ctx = {"form": form, "module": module, "adaptation": adaptation}
    return render(request, "catalogue/file_form.html", ctx)


@login_required
def module_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module_for(request, pk, write=True)
    return _file_add(request, module=module)


@login_required
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send a module or adaptation file to a user who may see it, and count the download."""
    visible = ModuleFile.objects.filter(
        Q(module__in=modules_for(request.user))
        | Q(adaptation__in=adaptations_for(request.user).values("pk"))
    )
    item = get_object_or_404(visible, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.module_file_download(file=item, by=cast(User, request.user))
    name = (item.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
def translations(request: HttpRequest) -> HttpResponse:
    qs = _catalogue(request).order_by("sort_order", "code")
    rows, totals = translation_status(qs)
    ctx = {"rows": rows, "totals": totals, "status_labels": list(STATUS_LABELS.items())}
    return render(request, "catalogue/translations.html", ctx)


@login_required
def adaptation_list(request: HttpRequest) -> HttpResponse:
    _catalogue(request)
    qs = adaptations_for(request.user).select_related("module", "provider")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            localized_q("title", q)
            | localized_q("module__title", q)
            | Q(module__code__icontains=q)
            | Q(provider__name__icontains=q)
        )
    ctx = {"adaptations": qs.prefetch_related("module__files"), "q": q}
    return render(request, "catalogue/adaptations.html", ctx)


@login_required
def adaptation_create(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module_for(request, pk)
    providers = _adapting_providers(request)
    form = AdaptationForm(
        request.POST or None,
        initial={"based_on_version": services.latest_english_version(module)},
        providers=providers if len(providers) > 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        # One provider: that one. Several: the one chosen on the form, never the first found.
        provider = form.cleaned_data.pop("provider", None) or providers[0]
        adaptation = services.adaptation_create(
            module=module,
            provider=provider,
            by=cast(User, request.user),
            details=services.AdaptationDetails.from_mapping(form.cleaned_data),
        )
        messages.success(request, _("Adaptation recorded."))
        return redirect(adaptation)
    ctx = {"form": form, "module": module}
    return render(request, "catalogue/adaptation_form.html", ctx)


@login_required
def adaptation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    adaptation = _adaptation_for(request, pk)
    ctx = {
        "adaptation": adaptation,
        "module": adaptation.module,
        "files": adaptation.files.all(),
        "can_edit": adaptations_for(request.user, write=True).filter(pk=pk).exists(),
    }
    return render(request, "catalogue/adaptation.html", ctx)


@login_required
def adaptation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    adaptation = _adaptation_for(request, pk, write=True)
    form = AdaptationForm(request.POST or None, instance=adaptation)
    if request.method == "POST" and form.is_valid():
        details = services.AdaptationDetails.of(adaptation).changed(form.cleaned_data)
        services.adaptation_update(
            adaptation=adaptation, by=cast(User, request.user), details=details
        )
        messages.success(request, _("Changes saved."))
        return redirect(adaptation)
    ctx = {"form": form, "module": adaptation.module, "adaptation": adaptation}
    return render(request, "catalogue/adaptation_form.html", ctx)


@login_required
def adaptation_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    adaptation = _adaptation_for(request, pk, write=True)
    return _file_add(request, module=adaptation.module, adaptation=adaptation)


@login_required
def catalogue_import(request: HttpRequest) -> HttpResponse:
    """Import modules from CSV or Excel: check every row, then write all of them or none."""
    _catalogue(request, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict = {"form": form, "columns": imports.columns()}
    if request.method == "POST" and form.is_valid():
        report = imports.read_upload(form.cleaned_data["file"])
        ctx["report"] = report
        if report.ok:
            try:
                created, updated = services.catalogue_import(
                    rows=report.rows, by=cast(User, request.user)
                )
            except ValidationError as e:
                # Checked above; this is a change made by someone else in the meantime.
                for message in e.messages:
                    report.error(None, "", "", message)
            else:
                ctx["result"] = {"created": created, "updated": updated}
                ctx["form"] = ImportForm()
    return render(request, "catalogue/import.html", ctx)


@login_required
def catalogue_export(request: HttpRequest) -> HttpResponse:
    """Export the modules the user sees, with the list's filters, as CSV or Excel."""
    qs, _form, _counts = filtered_modules(request)
    if request.GET.get("format") == "xlsx":
        return imports.export_xlsx(qs)
    return imports.export_csv(qs)
