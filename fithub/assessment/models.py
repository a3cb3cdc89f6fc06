"""Needs assessment: versioned yes/no questionnaires, a factory's answers, and module plans.

A questionnaire is owned by a programme owner and changes only by new versions: a published
version is frozen, and every assessment keeps the version it was answered on, so answers and
the recommendations drawn from them stay explainable years later. Statements carry a stable
`code` across versions, which is what lets a repeat assessment on a newer version be compared
with the first one.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fithub.lib.i18n import localized

STATEMENT_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$",
    _("A code uses letters, digits, dots, dashes or underscores."),
)


class Questionnaire(models.Model):
    """A family of questionnaire versions (the FIT needs assessment, a self-diagnosis, ...)."""

    class Kind(models.TextChoices):
        NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
        SELF_DIAGNOSIS = "self_diagnosis", _("Self-diagnosis")

    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    title = models.JSONField(_("title"), default=dict)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.NEEDS_ASSESSMENT
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title_text or self.slug

    @property
    def title_text(self) -> str:
        return localized(self.title)


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="one_version_number")
        ]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self) -> str:
        return f"{self.questionnaire} · {gettext('version %(n)s') % {'n': self.number}}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def form_id(self) -> str:
        """The XLSForm/ODK form id: stable per questionnaire, the version travels separately."""
        return f"fithub_{self.questionnaire.slug}".replace("-", "_")


class Section(models.Model):
    """A part of a questionnaire, by department or theme."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[STATEMENT_CODE_VALIDATOR])
    title = models.JSONField(_("title"), default=dict)
    department = models.CharField(_("department"), max_length=20, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_section_code_per_version")
        ]

    def __str__(self) -> str:
        return self.title_text

    @property
    def title_text(self) -> str:
        return localized(self.title)


class Statement(models.Model):
    """A yes/no statement about the factory's practice; a "no" points to modules."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Stable across versions: a repeat assessment is compared statement by statement on it.
    code = models.CharField(_("code"), max_length=40, validators=[STATEMENT_CODE_VALIDATOR])
    text = models.JSONField(_("statement"), default=dict)
    guidance = models.JSONField(_("guidance"), default=dict, blank=True)
    modules = models.ManyToManyField(
        "catalogue.Module", through="StatementModule", related_name="statements", blank=True
    )

    class Meta:
        ordering = ["section__order", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}: {self.text_text}"

    @property
    def text_text(self) -> str:
        return localized(self.text)


class StatementModule(models.Model):
    """A "no" to the statement adds `weight` to the module's recommendation score."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="links")
    module = models.ForeignKey("catalogue.Module", on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "module"], name="one_link_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.module_id} (weight {self.weight})"


class Assessment(models.Model):
    """One sitting of a questionnaire by one factory, answered together by its people."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    class Source(models.TextChoices):
        WEB = "web", _("FIT Hub")
        # Imports before KOBO existed are "odk" whichever server they came from.
        ODK = "odk", _("ODK (offline)")
        KOBO = "kobo", _("KoboToolbox (offline)")

    factory = models.ForeignKey(
        "factories.Factory", on_delete=models.PROTECT, related_name="assessments"
    )
    engagement = models.ForeignKey(
        "programmes.Engagement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default="web")
    # The FIT guide has the coordinator and the factory manager answer together; both are kept.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("FIT coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    coordinator_name = models.CharField(_("FIT coordinator"), max_length=200, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("factory manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    manager_name = models.CharField(_("factory manager"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    # ODK/Kobo instance ID, so importing the same export twice changes nothing.
    instance_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # Of an offline submission: the day of the interview (the form's `today`, else `start`),
    # when the server received it (often days later, once the phone had a network), and who
    # sent it from which device, as ODK Central or KoboToolbox recorded them.
    interviewed_on = models.DateField(_("interview date"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by the server"), null=True, blank=True)
    submitted_by_name = models.CharField(_("sent by"), max_length=200, blank=True)
    device_id = models.CharField(_("device"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["factory", "status"])]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.factory} · {self.version} · {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:detail", args=[self.pk])

    @property
    def held_on(self) -> date:
        """The day the factory answered: the interview's, else the day it was started."""
        if self.interviewed_on is not None:
            return self.interviewed_on
        return timezone.localdate(self.started_at)


class AssessmentRevision(models.Model):
    """An edit of a submitted assessment made in ODK Central or KoboToolbox, and what it replaced.

    Answers keep no history of their own, so the answers an edit overwrote are kept here: an
    assessment that changed after its recommendations were read must still explain them.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="revisions")
    # The edit's own instance ID: importing the same edited export again finds it here.
    instance_id = models.CharField(max_length=100, unique=True)
    replaces = models.CharField(max_length=100, blank=True)  # the instance ID it deprecated
    # {"coordinator_name", "manager_name", "answers": [{"statement", "code", "value", "comment"}]}
    previous = models.JSONField(default=dict)
    changed_answers = models.PositiveIntegerField(_("answers changed"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "created_at", "pk"]
        verbose_name = _("assessment revision")
        verbose_name_plural = _("assessment revisions")

    def __str__(self) -> str:
        return f"{self.assessment_id} ← {self.instance_id}"


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="answers")
    # None = not answered yet; a saved-as-you-go questionnaire is full of them.
    value = models.BooleanField(_("answer"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    evidence = models.FileField(
        _("evidence"), upload_to="assessment/evidence/%Y/%m/", blank=True, max_length=300
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "statement"], name="one_answer_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.value}"


class ModulePlan(models.Model):
    """The modules a provider and a factory agreed for an engagement (results-chain step 1)."""

    engagement = models.OneToOneField(
        "programmes.Engagement", on_delete=models.CASCADE, related_name="module_plan"
    )
    # Whether the needs assessment was used, and which one: step 1 of the results chain asks.
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("module plan")
        verbose_name_plural = _("module plans")

    def __str__(self) -> str:
        return f"{self.engagement}"


class PlannedModule(models.Model):
    class Origin(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended")
        ADDED = "added", _("Added by the provider")

    plan = models.ForeignKey(ModulePlan, on_delete=models.CASCADE, related_name="items")
    module = models.ForeignKey("catalogue.Module", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    score = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "module"], name="one_module_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.module_id}"


class FindingMapping(models.Model):
    """The owner's table mapping another tool's finding codes to FIT modules."""

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="finding_mappings"
    )
    source = models.CharField(_("source tool"), max_length=40)  # e.g. "Better Work", "SLCP"
    code = models.CharField(_("finding code"), max_length=80)
    module = models.ForeignKey("catalogue.Module", on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source", "code", "module"], name="one_mapping_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.code} → {self.module_id}"


class ExternalFinding(models.Model):
    """A non-compliance from another audit tool, imported so it feeds recommendations."""

    factory = models.ForeignKey(
        "factories.Factory", on_delete=models.CASCADE, related_name="external_findings"
    )
    source = models.CharField(_("source tool"), max_length=40)
    code = models.CharField(_("finding code"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    found_on = models.DateField(_("found on"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["factory", "source", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["factory", "source", "code", "found_on"], name="one_finding_per_audit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.code}"
