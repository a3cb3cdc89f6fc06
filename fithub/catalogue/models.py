"""The FIT module catalogue: modules, their files per language and version, and adaptations.

Text that exists in several languages (titles, summaries) is one JSON column holding
{"en": ..., "bn": ..., "ur": ...}, read through fithub.lib.i18n.localized. One column per
field, not one per language or a translation table: adding Khmer needs no migration, a module
is one row, and searching every language is a handful of icontains lookups on the JSON keys,
which both SQLite and PostgreSQL answer quickly at catalogue scale (tens of modules, not
millions).
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fithub.factories.models import Department
from fithub.lib.i18n import FALLBACK, content_language_codes, language_codes, localized

# A FIT module takes no more than two and a half hours (FIT Implementation guide).
MAX_DURATION = 150
TITLE_MAX = 200
SUMMARY_MAX = 2000
DEFAULT_LICENCE = "CC BY-SA 4.0"
DEFAULT_ATTRIBUTION = "International Labour Organization (ILO)"

CODE_VALIDATOR = RegexValidator(
    r"^[A-Z][A-Z0-9.\-]{0,19}$",
    _("A code starts with a capital letter, then capital letters, digits, dots or dashes."),
)
VERSION_VALIDATOR = RegexValidator(
    r"^\d{1,4}(\.\d{1,4}){0,3}$",
    _("Write the version as numbers separated by dots, such as 2019.1."),
)


def version_tuple(version: str) -> tuple[int, ...]:
    """Turn "2019.1" into (2019, 1), so that 2019.10 sorts after 2019.9."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


class Category(models.TextChoices):
    PRODUCTION = "production", _("Production")
    SUPPORT_SYSTEMS = "support_systems", _("Support systems")
    WORKING_CONDITIONS = "working_conditions", _("Working conditions")


class Audience(models.TextChoices):
    MANAGERS = "managers", _("Managers")
    WORKERS = "workers", _("Workers")
    MIXED = "mixed", _("Managers and workers")


def _check_translations(value: Any, field: str, max_length: int, required: bool) -> None:
    """Raise a ValidationError on `field` unless value is {language: text} within limits."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValidationError({field: _("Give one text per language.")})
    unknown = set(value) - set(content_language_codes())
    if unknown:
        raise ValidationError(
            {field: _("Unknown languages: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}}
        )
    if required and not value.get(FALLBACK, "").strip():
        raise ValidationError({field: _("The English text is required.")})
    if any(len(v) > max_length for v in value.values()):
        raise ValidationError(
            {field: _("Each text may have at most %(max)s characters.") % {"max": max_length}}
        )


class Module(models.Model):
    """A FIT module: about two hours of self-facilitated group work on one topic."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    title = models.JSONField(_("title"), default=dict)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(1),
            MaxValueValidator(
                MAX_DURATION, _("A FIT module takes at most 150 minutes (two and a half hours).")
            ),
        ],
        help_text=_("At most 150 minutes (two and a half hours)."),
    )
    # Every FIT module has the same three parts.
    case_study_minutes = models.PositiveSmallIntegerField(
        _("case study (minutes)"), default=0, validators=[MaxValueValidator(MAX_DURATION)]
    )
    activities_minutes = models.PositiveSmallIntegerField(
        _("learning activities (minutes)"), default=0, validators=[MaxValueValidator(MAX_DURATION)]
    )
    action_plan_minutes = models.PositiveSmallIntegerField(
        _("reflection and action plan (minutes)"),
        default=0,
        validators=[MaxValueValidator(MAX_DURATION)],
    )
    # A list of fithub.factories.models.Department values: JSON works the same on SQLite
    # and PostgreSQL, where an ArrayField would not.
    departments = models.JSONField(_("departments"), default=list, blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
    )
    licence = models.CharField(_("licence"), max_length=100, default=DEFAULT_LICENCE)
    attribution = models.CharField(_("attribution"), max_length=300, default=DEFAULT_ATTRIBUTION)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive modules are hidden from everyone else.")
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.code} {self.title_text}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:detail", args=[self.pk])

    def clean(self) -> None:
        _check_translations(self.title, "title", TITLE_MAX, required=True)
        _check_translations(self.summary, "summary", SUMMARY_MAX, required=False)
        if not isinstance(self.departments, list) or not set(self.departments) <= set(
            Department.values
        ):
            raise ValidationError({"departments": _("Choose departments from the list.")})
        if self.duration_minutes and self.parts_minutes > self.duration_minutes:
            raise ValidationError(
                _(
                    "The three parts take %(parts)s minutes, more than the module's "
                    "%(duration)s minutes."
                )
                % {"parts": self.parts_minutes, "duration": self.duration_minutes}
            )

    @property
    def title_text(self) -> str:
        return localized(self.title)

    @property
    def summary_text(self) -> str:
        return localized(self.summary)

    @property
    def parts_minutes(self) -> int:
        return (
            (self.case_study_minutes or 0)
            + (self.activities_minutes or 0)
            + (self.action_plan_minutes or 0)
        )

    def get_departments_display(self) -> list[str]:
        labels = dict(Department.choices)
        return [str(labels.get(d, d)) for d in self.departments]

    def latest_file(self, language: str) -> "ModuleFile | None":
        """Return the newest file in the language; reads prefetched files when there are some."""
        files = [f for f in self.files.all() if f.language == language]
        return max(files, key=lambda f: f.sort_key, default=None)

    @property
    def languages(self) -> list[str]:
        """Return the languages the module has files in, in the order of settings.LANGUAGES."""
        present = {f.language for f in self.files.all()}
        return [code for code in language_codes() if code in present]


class Adaptation(models.Model):
    """A provider's version of a module under CC BY-SA: the original stays linked."""

    class Change(models.TextChoices):
        CASE_STUDY = "case_study", _("Changed the case study")
        LOCAL_NAMES = "local_names", _("Changed names to local ones")
        TRANSLATION = "translation", _("Corrected the translation")
        GUIDANCE = "guidance", _("Added guidance")

    module = models.ForeignKey(
        Module,
        verbose_name=_("original module"),
        on_delete=models.PROTECT,
        related_name="adaptations",
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("service provider"),
        on_delete=models.PROTECT,
        related_name="adaptations",
    )
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    title = models.JSONField(_("title"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    based_on_version = models.CharField(
        _("based on English version"),
        max_length=20,
        blank=True,
        validators=[VERSION_VALIDATOR],
        help_text=_("The version of the original English module this adaptation starts from."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["module__sort_order", "module__code", "provider__name", "pk"]
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")

    def __str__(self) -> str:
        return f"{self.module.code} · {self.provider}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:adaptation", args=[self.pk])

    def clean(self) -> None:
        _check_translations(self.title, "title", TITLE_MAX, required=False)
        _check_translations(self.summary, "summary", SUMMARY_MAX, required=False)
        if not isinstance(self.changes, list) or not set(self.changes) <= set(self.Change.values):
            raise ValidationError({"changes": _("Choose the changes from the list.")})
        if not self.changes and not self.notes.strip():
            raise ValidationError(
                {"changes": _("Tick what you changed, or describe it in the notes.")}
            )

    @property
    def title_text(self) -> str:
        return localized(self.title) or self.module.title_text

    @property
    def summary_text(self) -> str:
        return localized(self.summary)

    def get_changes_display(self) -> list[str]:
        labels = dict(self.Change.choices)
        return [str(labels.get(c, c)) for c in self.changes]

    @property
    def original_updated(self) -> bool:
        """Whether the original has a newer English file than the one this was based on."""
        latest = self.module.latest_file(FALLBACK)
        if latest is None:
            return False
        return version_tuple(latest.version) > version_tuple(self.based_on_version or "0")


def _file_path(instance: "ModuleFile", filename: str) -> str:
    module = instance.module or instance.adaptation.module  # type: ignore[union-attr]
    assert module is not None  # the check constraint: a file belongs to one or the other
    stem = f"{module.code}-{instance.language}-{instance.version}"
    if instance.adaptation_id:
        stem += f"-adaptation-{instance.adaptation_id}"
    return f"catalogue/{module.code}/{instance.language}/{stem}.{instance.format}"


class ModuleFile(models.Model):
    """One module (or adaptation) document: one language, one format, one version."""

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word")

    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    adaptation = models.ForeignKey(
        Adaptation, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    version = models.CharField(_("version"), max_length=20, validators=[VERSION_VALIDATOR])
    released_on = models.DateField(_("released on"), default=date.today)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=300)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["download_count"])

    class Meta:
        ordering = ["language", "-released_on", "-pk"]
        verbose_name = _("module file")
        verbose_name_plural = _("module files")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(module__isnull=False, adaptation__isnull=True)
                | models.Q(module__isnull=True, adaptation__isnull=False),
                name="module_file_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["module", "language", "format", "version"],
                condition=models.Q(module__isnull=False),
                name="one_module_file_per_version",
                violation_error_message=_("There is already such a file for this version."),
            ),
            models.UniqueConstraint(
                fields=["adaptation", "language", "format", "version"],
                condition=models.Q(adaptation__isnull=False),
                name="one_adaptation_file_per_version",
                violation_error_message=_("There is already such a file for this version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.get_format_display()} {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:download", args=[self.pk])

    @property
    def sort_key(self) -> tuple[tuple[int, ...], date]:
        return version_tuple(self.version), self.released_on


class DownloadEvent(models.Model):
    """One download of a module file: how the laissez-faire delivery model is measured."""

    file = models.ForeignKey(ModuleFile, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    factory = models.ForeignKey(
        "factories.Factory", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("download")
        verbose_name_plural = _("downloads")

    def __str__(self) -> str:
        return f"{self.file_id} @ {self.at:%Y-%m-%d %H:%M}"
