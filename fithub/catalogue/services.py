"""Writes to the module catalogue. Pages, the API, imports and commands all call these."""

import dataclasses
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, roles_of
from fithub.catalogue.models import Adaptation, DownloadEvent, Module, ModuleFile
from fithub.lib.details import Details
from fithub.lib.i18n import FALLBACK

if TYPE_CHECKING:
    from fithub.catalogue.imports import ParsedRow


@dataclasses.dataclass(frozen=True, kw_only=True)
class ModuleDetails(Details):
    """A module's editable fields: the form, the import and the seed fill these."""

    code: str = ""
    title: dict[str, str] = dataclasses.field(default_factory=dict)
    summary: dict[str, str] = dataclasses.field(default_factory=dict)
    category: str = ""
    audience: str = ""
    duration_minutes: int | None = None
    case_study_minutes: int = 0
    activities_minutes: int = 0
    action_plan_minutes: int = 0
    departments: list[str] = dataclasses.field(default_factory=list)
    licence: str = "CC BY-SA 4.0"
    attribution: str = "International Labour Organization (ILO)"
    is_active: bool = True
    sort_order: int = 0
    is_demo: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class AdaptationDetails(Details):
    """What a provider records of its adaptation of a module."""

    changes: list[str] = dataclasses.field(default_factory=list)
    notes: str = ""
    title: dict[str, str] = dataclasses.field(default_factory=dict)
    summary: dict[str, str] = dataclasses.field(default_factory=dict)
    based_on_version: str = ""


MODULE_FIELDS = ModuleDetails.field_names()
ADAPTATION_FIELDS = AdaptationDetails.field_names()
MAX_FILE_BYTES = 50 * 1024 * 1024
FILE_TYPES = {
    ".pdf": ("pdf", {"application/pdf", "application/x-pdf"}),
    ".docx": (
        "docx",
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ),
}
# What browsers and phones send when they do not know a file's type; the bytes decide then.
UNKNOWN_TYPES = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/zip",
    "application/x-zip-compressed",
}


def _set_prerequisites(module: Module, prerequisites: Iterable[Module]) -> None:
    wanted = {m.pk: m for m in prerequisites}
    if module.pk in wanted:
        raise ValidationError({"prerequisites": _("A module cannot be its own prerequisite.")})
    # Refuse a circle (A needs B, B needs A): nobody could ever start either.
    edges: dict[int, set[int]] = {}
    through = Module.prerequisites.through.objects.values_list("from_module_id", "to_module_id")
    for source, target in through:
        if source != module.pk:
            edges.setdefault(source, set()).add(target)
    seen, todo = set(), list(wanted)
    while todo:
        pk = todo.pop()
        if pk == module.pk:
            raise ValidationError(
                {"prerequisites": _("These prerequisites would make a circle back to this module.")}
            )
        if pk not in seen:
            seen.add(pk)
            todo.extend(edges.get(pk, ()))
    module.prerequisites.set(list(wanted.values()))


@transaction.atomic
def module_create(
    *, by: User | None, details: ModuleDetails, prerequisites: Iterable[Module] = ()
) -> Module:
    """Add a module to the catalogue."""
    module = Module()
    details.apply(module)
    module._history_user = by  # type: ignore[attr-defined]
    module.full_clean()
    module.save()
    _set_prerequisites(module, prerequisites)
    return module


@transaction.atomic
def module_update(
    *,
    module: Module,
    by: User | None,
    details: ModuleDetails | None = None,
    prerequisites: Iterable[Module] | None = None,
) -> Module:
    """Change a module (its fields when details are given); prerequisites are replaced when
    given."""
    if details is not None:
        details.apply(module)
    module._history_user = by  # type: ignore[attr-defined]
    module.full_clean()
    module.save()
    if prerequisites is not None:
        _set_prerequisites(module, prerequisites)
    return module


def check_upload(upload: UploadedFile) -> str:
    """Return "pdf" or "docx" for a genuine PDF or Word file; else raise a ValidationError."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix == ".doc":
        raise ValidationError(
            _("Old Word files (.doc) cannot be uploaded. Save the file as .docx or as PDF.")
        )
    if suffix not in FILE_TYPES:
        raise ValidationError(_("Only PDF and Word (.docx) files can be uploaded."))
    fmt, content_types = FILE_TYPES[suffix]
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    content_type = (getattr(upload, "content_type", None) or "").split(";")[0].strip().lower()
    if content_type not in content_types | UNKNOWN_TYPES:
        raise ValidationError(
            _("The file was sent as “%(type)s”, which is neither a PDF nor a Word document.")
            % {"type": content_type}
        )
    upload.seek(0)
    try:
        if fmt == "pdf":
            # The PDF standard lets a little junk come before the header.
            if b"%PDF-" not in upload.read(1024):
                raise ValidationError(_("This file is not a PDF, although its name ends in .pdf."))
        else:
            try:
                with zipfile.ZipFile(upload) as archive:
                    is_word = "word/document.xml" in archive.namelist()
            except (zipfile.BadZipFile, OSError, ValueError):
                is_word = False
            if not is_word:
                raise ValidationError(
                    _(
                        "This file is not a Word document, although its name ends in .docx. "
                        "Save it from Word as “Word Document (.docx)”."
                    )
                )
    finally:
        upload.seek(0)
    return fmt


@transaction.atomic
def module_file_add(
    *,
    by: User | None,
    upload: UploadedFile,
    language: str,
    version: str,
    released_on: date,
    module: Module | None = None,
    adaptation: Adaptation | None = None,
) -> ModuleFile:
    """Store a PDF or Word file of a module (or of an adaptation) in one language and version."""
    if (module is None) == (adaptation is None):
        raise TypeError("Give either a module or an adaptation.")
    try:
        fmt = check_upload(upload)
    except ValidationError as e:
        raise ValidationError({"file": e.messages}) from None
    owner = {"module": module} if module is not None else {"adaptation": adaptation}
    if ModuleFile.objects.filter(**owner, language=language, format=fmt, version=version).exists():
        raise ValidationError(
            {
                "version": _(
                    "There is already a %(format)s file of version %(version)s in this "
                    "language. Give the new file a new version."
                )
                % {"format": ModuleFile.Format(fmt).label, "version": version}
            }
        )
    item = ModuleFile(
        **owner,
        language=language,
        format=fmt,
        version=version,
        released_on=released_on,
        size=upload.size or 0,
        uploaded_by=by,
    )
    item.file = upload  # type: ignore[assignment]
    item._history_user = by  # type: ignore[attr-defined]
    item.full_clean()
    item.save()
    return item


def module_file_download(*, file: ModuleFile, by: User) -> None:
    """Count a download and record who made it, for whom, and when."""
    # F() lets simultaneous downloads each add one instead of overwriting each other.
    ModuleFile.objects.filter(pk=file.pk).update(download_count=F("download_count") + 1)
    r = roles_of(by)
    # For whom: the user's provider (else organisation, else factory) when they have one;
    # with several, the download is the person's own and no organisation is guessed.
    orgs = r.orgs(kind=Kind.SERVICE_PROVIDER) or r.orgs()
    factories = r.factories()
    DownloadEvent.objects.create(
        file=file,
        user=by,
        organisation_id=orgs[0] if len(orgs) == 1 else None,
        factory_id=factories[0] if len(factories) == 1 else None,
    )


def latest_english_version(module: Module) -> str:
    """Return the version of the module's newest English file, or "" if it has none."""
    latest = module.latest_file(FALLBACK)
    return latest.version if latest else ""


@transaction.atomic
def adaptation_create(
    *,
    module: Module,
    provider: Organisation,
    by: User | None,
    details: AdaptationDetails = AdaptationDetails(),
) -> Adaptation:
    """Record a provider's adaptation of a module; it starts from the newest English version."""
    if provider.kind != Kind.SERVICE_PROVIDER:
        raise ValidationError(_("Only service providers adapt modules."))
    adaptation = Adaptation(module=module, provider=provider, created_by=by)
    details.apply(adaptation)
    if not adaptation.based_on_version:
        adaptation.based_on_version = latest_english_version(module)
    adaptation._history_user = by  # type: ignore[attr-defined]
    adaptation.full_clean()
    adaptation.save()
    return adaptation


@transaction.atomic
def adaptation_update(
    *, adaptation: Adaptation, by: User | None, details: AdaptationDetails
) -> Adaptation:
    """Change what an adaptation records; the original module and provider stay."""
    details.apply(adaptation)
    adaptation._history_user = by  # type: ignore[attr-defined]
    adaptation.full_clean()
    adaptation.save()
    return adaptation


@transaction.atomic
def catalogue_import(*, rows: "list[ParsedRow]", by: User | None) -> tuple[int, int]:
    """Write checked import rows, all or none; return how many were created and updated."""
    created = updated = 0
    by_code: dict[str, Module] = {}
    for row in rows:
        if row.module is None:
            by_code[row.data["code"]] = module_create(
                by=by, details=ModuleDetails.from_mapping(row.data)
            )
            created += 1
        else:
            details = ModuleDetails.of(row.module).changed(row.data)
            by_code[row.data["code"]] = module_update(module=row.module, by=by, details=details)
            updated += 1
    # Prerequisites last: a row may name a module that a later row creates.
    named = {code for row in rows for code in row.prerequisites or ()} - set(by_code)
    known = {m.code: m for m in Module.objects.filter(code__in=named)} | by_code
    for row in rows:
        if row.prerequisites is not None:
            module = by_code[row.data["code"]]
            _set_prerequisites(module, [known[code] for code in row.prerequisites])
    return created, updated
