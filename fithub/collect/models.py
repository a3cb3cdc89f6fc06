"""An upload of submissions, kept while it is imported in the background and for its report."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SubmissionImport(models.Model):
    """One ODK Central or KoboToolbox export uploaded to be imported as assessments."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    version = models.ForeignKey(
        "assessment.QuestionnaireVersion",
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The reasons in the report are written in the language of the person who uploaded.
    language = models.CharField(max_length=8, default="en")
    file_name = models.CharField(_("file"), max_length=200)
    # Kept in the database, not in MEDIA_ROOT, so that a task worker on another host reads it;
    # emptied once the import has run.
    data = models.BinaryField(default=bytes)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    source = models.CharField(_("format"), max_length=60, blank=True)
    submissions = models.PositiveIntegerField(_("submissions"), default=0)
    processed = models.PositiveIntegerField(default=0)  # for the progress bar
    created_count = models.PositiveIntegerField(_("imported"), default=0)
    updated_count = models.PositiveIntegerField(_("updated by an edit"), default=0)
    already_imported = models.PositiveIntegerField(_("imported before"), default=0)
    rejected = models.JSONField(default=list)  # [{"row", "instance_id", "reason"}]
    notes = models.JSONField(default=list)  # imported, with a remark: as rejected
    error = models.TextField(blank=True)  # the file as a whole could not be read
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("submission import")
        verbose_name_plural = _("submission imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("collect:import-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.processed / self.submissions) if self.submissions else 0
