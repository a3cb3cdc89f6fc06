"""Compliance assessment: the assessment tool as versioned data, assessments and their findings.

A tool (Better Work's Compliance Assessment Tool, CAT) belongs to a programme owner, one per
country, and changes only by new versions: a published version is frozen, editing it starts a
draft, and every assessment keeps the version it was carried out on. A version holds clusters
(the 8 of the CAT) → compliance points → questions; question codes are stable across versions,
which is what lets one cycle's findings be compared with the last and lets a finding make one
improvement-plan item only.

An assessment is planned for an engagement by its provider: two assessors, two days, a planned
date that is unannounced (nobody at the factory, nor any buyer, learns it: see scoping.py). Each
question's finding is its own row, so two assessors saving at once never overwrite each other;
a submitted assessment is locked, and a correction is a revision that keeps what it replaced.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fithub.lib.evidence import Kind as EvidenceKind
from fithub.lib.i18n import localized

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$",
    _("A code uses letters, digits, dots, dashes or underscores."),
)


class Fact(models.TextChoices):
    """What a question may depend on about the factory ("applies only if")."""

    HAS_ACCOMMODATION = "has_accommodation", _("The factory provides worker accommodation")
    HAS_UNION = "has_union", _("There is a union at the factory")
    HAS_COLLECTIVE_AGREEMENT = "has_collective_agreement", _("There is a collective agreement")
    HAS_YOUNG_WORKERS = "has_young_workers", _("The factory employs young workers (under 18)")
    HAS_MIGRANT_WORKERS = "has_migrant_workers", _("The factory employs migrant workers")
    HAS_CANTEEN = "has_canteen", _("The factory has a canteen")


class Tool(models.Model):
    """A country's compliance assessment tool, owned by a programme owner."""

    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="compliance_tools",
    )
    country = models.CharField(_("country"), max_length=2)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    title = models.JSONField(_("title"), default=dict)
    # A sample tool is written for the demo and tests, not taken from a published CAT.
    is_sample = models.BooleanField(_("sample"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "country"], name="one_tool_per_country")
        ]
        verbose_name = _("assessment tool")
        verbose_name_plural = _("assessment tools")

    def __str__(self) -> str:
        return self.title_text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("compliance:tool", args=[self.pk])

    @property
    def title_text(self) -> str:
        return localized(self.title)


class ToolVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("what changed"), blank=True, max_length=2000)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tool", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="one_tool_version_number")
        ]
        verbose_name = _("tool version")
        verbose_name_plural = _("tool versions")

    def __str__(self) -> str:
        return f"{self.tool} · {gettext('version %(n)s') % {'n': self.number}}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:version", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Cluster(models.Model):
    """Level 1 of the tool: one of the 8 clusters (child labour, ..., working time)."""

    version = models.ForeignKey(ToolVersion, on_delete=models.CASCADE, related_name="clusters")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[CODE_VALIDATOR])
    title = models.JSONField(_("title"), default=dict)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_cluster_code_per_version")
        ]

    def __str__(self) -> str:
        return self.title_text

    @property
    def title_text(self) -> str:
        return localized(self.title)


class CompliancePoint(models.Model):
    """Level 2: a compliance point of a cluster (set globally)."""

    version = models.ForeignKey(ToolVersion, on_delete=models.CASCADE, related_name="points")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="points")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[CODE_VALIDATOR])
    title = models.JSONField(_("title"), default=dict)

    class Meta:
        ordering = ["cluster__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_point_code_per_version")
        ]

    def __str__(self) -> str:
        return self.title_text

    @property
    def title_text(self) -> str:
        return localized(self.title)


class Question(models.Model):
    """Level 3: a country-specific question, answered compliant, non-compliant or N/A."""

    version = models.ForeignKey(ToolVersion, on_delete=models.CASCADE, related_name="questions")
    point = models.ForeignKey(CompliancePoint, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Stable across versions: cycles are compared, and plan items made once, by this code.
    code = models.CharField(_("code"), max_length=40, validators=[CODE_VALIDATOR])
    text = models.JSONField(_("question"), default=dict)
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    guidance = models.JSONField(_("guidance for the assessor"), default=dict, blank=True)
    publicly_reported = models.BooleanField(_("publicly reported"), default=False)
    # Flagged for bipartite dialogue: the factory's committee answers it in its self-diagnosis.
    dialogue = models.BooleanField(_("for bipartite dialogue"), default=False)
    # Fact values (Fact) that must all hold for the question to apply; empty = always applies.
    applies_if = models.JSONField(_("applies only if"), default=list, blank=True)

    class Meta:
        ordering = ["point__cluster__order", "point__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="one_question_code_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text_text}"

    @property
    def text_text(self) -> str:
        return localized(self.text)

    @property
    def guidance_text(self) -> str:
        return localized(self.guidance)

    def applies_to(self, facts: dict[str, bool]) -> bool:
        """Whether the question applies to a factory with these facts."""
        return all(facts.get(fact, False) for fact in self.applies_if or [])

    def get_applies_if_display(self) -> list[str]:
        return [str(Fact(f).label) for f in self.applies_if or [] if f in Fact.values]


class ComplianceAssessment(models.Model):
    """An unannounced assessment of one factory in one engagement: two assessors, two days."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    engagement = models.ForeignKey(
        "programmes.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="compliance_assessments",
    )
    # The engagement's factory, kept here so that scoping and rates need no join.
    factory = models.ForeignKey(
        "factories.Factory",
        verbose_name=_("factory"),
        on_delete=models.PROTECT,
        related_name="compliance_assessments",
    )
    version = models.ForeignKey(
        ToolVersion,
        verbose_name=_("tool version"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assessors"), related_name="+"
    )
    # Unannounced: never shown to the factory or a buyer (scoping.sees_planned_date), and not
    # kept in the audit trail's history either (see `history` below).
    planned_on = models.DateField(_("planned first day"))
    days = models.PositiveSmallIntegerField(_("days"), default=2)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # What the questions' "applies only if" conditions read: {Fact value: bool}.
    facts = models.JSONField(_("factory facts"), default=dict, blank=True)
    # Counts only, never names: who was interviewed stays with the assessors.
    worker_interviews = models.PositiveIntegerField(_("worker interviews"), default=0)
    management_interviews = models.PositiveIntegerField(_("management interviews"), default=0)
    documents_reviewed = models.PositiveIntegerField(_("documents reviewed"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["planned_on"])

    class Meta:
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["factory", "status"])]
        verbose_name = _("compliance assessment")
        verbose_name_plural = _("compliance assessments")

    def __str__(self) -> str:
        return str(_("Compliance assessment of %(factory)s") % {"factory": self.factory})

    def get_absolute_url(self) -> str:
        return reverse("compliance:assessment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.SUBMITTED

    @property
    def assessor_ids(self) -> list[int]:
        """The assessors' ids (reads `assessors`, prefetched by lists)."""
        return sorted(u.pk for u in self.assessors.all())


class Finding(models.Model):
    """The finding on one question of one assessment: its own row, saved as the assessor goes."""

    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        NON_COMPLIANT = "non_compliant", _("Non-compliant")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    assessment = models.ForeignKey(
        ComplianceAssessment, on_delete=models.CASCADE, related_name="findings"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="findings")
    result = models.CharField(_("finding"), max_length=16, choices=Result.choices, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every save: a form sends the number it showed, so a save over someone else's
    # newer answer is refused instead of silently overwriting it.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "question__point__cluster__order", "question__point__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_finding_per_question"
            )
        ]
        indexes = [models.Index(fields=["question", "result"])]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.result or '—'}"

    @property
    def non_compliant(self) -> bool:
        return self.result == self.Result.NON_COMPLIANT


class Revision(models.Model):
    """A correction of a submitted assessment, with its reason and the findings it replaced."""

    assessment = models.ForeignKey(
        ComplianceAssessment, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    reason = models.TextField(_("reason"), max_length=2000)
    # [{"question": id, "code": ..., "result": ..., "notes": ...}] as they stood before.
    previous = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_revision_number")
        ]
        verbose_name = _("assessment revision")
        verbose_name_plural = _("assessment revisions")

    def __str__(self) -> str:
        return f"{self.assessment_id} r{self.number}"


class OfflineSubmission(models.Model):
    """An ODK Central / KoboToolbox submission imported into an assessment, by its instance ID.

    Importing the same export twice finds its instance IDs here and changes nothing.
    """

    instance_id = models.CharField(max_length=100, unique=True)
    assessment = models.ForeignKey(
        ComplianceAssessment, on_delete=models.CASCADE, related_name="offline_submissions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "created_at"]

    def __str__(self) -> str:
        return self.instance_id


class SelfDiagnosis(models.Model):
    """The factory's own answers, by its bipartite committee, to the questions for dialogue.

    Answered before the assessment, on the same tool; the assessors' findings are shown beside
    these answers, question by question. It says nothing of when the assessment will be.
    """

    engagement = models.ForeignKey(
        "programmes.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="compliance_self_diagnoses",
    )
    factory = models.ForeignKey(
        "factories.Factory", on_delete=models.PROTECT, related_name="compliance_self_diagnoses"
    )
    version = models.ForeignKey(ToolVersion, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("self-diagnosis")
        verbose_name_plural = _("self-diagnoses")

    def __str__(self) -> str:
        return str(_("Self-diagnosis of %(factory)s") % {"factory": self.factory})

    def get_absolute_url(self) -> str:
        return reverse("compliance:self-diagnosis", args=[self.pk])


class SelfAnswer(models.Model):
    self_diagnosis = models.ForeignKey(
        SelfDiagnosis, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(
        _("answer"), max_length=16, choices=Finding.Result.choices, blank=True
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["self_diagnosis", "question"], name="one_self_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.result or '—'}"


class FindingEvidence(models.Model):
    """A photo or document an assessor attached to a finding (the rules of lib/evidence.py)."""

    Kind = EvidenceKind

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="compliance/evidence/%Y/%m/", max_length=300)
    kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in EvidenceKind])
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["finding", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""

    def get_absolute_url(self) -> str:
        return reverse("compliance:evidence", args=[self.pk])
