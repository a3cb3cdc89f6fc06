"""Certificates of completion, their public verification and the batches that render them.

The verification code is the certificate's identity: it is printed (and encoded in the QR
code) on the paper the participant keeps, so a reissue after a name correction keeps it and
only bumps `revision`. The public page shows that a code is genuine and whether it stands, and
nothing else about the person.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# No 0/O or 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Certificate(models.Model):
    registration = models.OneToOneField(
        "training.Registration", on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=new_code)
    name = models.CharField(_("name on the certificate"), max_length=200)
    language = models.CharField(_("language"), max_length=8, default="en")
    revision = models.PositiveSmallIntegerField(default=1)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code

    def get_verify_url(self) -> str:
        return reverse("certificates:verify", args=[self.code])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class Batch(models.Model):
    """All of a session's certificates rendered in the background, as one PDF or a ZIP."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("One PDF")
        ZIP = "zip", _("ZIP of separate PDFs")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        # The file is deleted (replaced by a newer batch, or pruned for age); the record stays
        # so that an old link explains itself instead of failing.
        EXPIRED = "expired", _("Expired")

    session = models.ForeignKey(
        "training.Session", on_delete=models.CASCADE, related_name="certificate_batches"
    )
    kind = models.CharField(max_length=3, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="certificates/batches/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.session_id} {self.kind} {self.status}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
