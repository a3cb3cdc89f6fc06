"""FIT sessions: planning, venues, participants, groups of 5-7, attendance, cascades.

The action items a session's groups decide join the factory's improvement plan: they live in
the improvement app (`ImprovementItem` with source "session"), which shows them on the
session page through the `session-detail` slot.

A participant is one person across sessions, so their record shows every module they took.
A session belongs to one organiser (a service provider, or a factory running its own session
in the laissez-faire model) and to one or more engagements: a classroom session takes people
from several factories. In the blended model a classroom session trains factory
representatives, and each representative then runs the same module in their own factory as a
child session (`parent`), which is how the cascade and its reach are computed.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fithub.factories.models import Department, Sex
from fithub.programmes.models import DeliveryModel


def _token() -> str:
    return secrets.token_urlsafe(16)


class Venue(models.Model):
    """Where sessions take place: a room in a factory or an external training venue."""

    provider = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="venues",
        help_text=_("The organisation that uses this venue."),
    )
    factory = models.ForeignKey(
        "factories.Factory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="venues",
        help_text=_("Set for a room inside a factory."),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (people)"), validators=[MinValueValidator(1)]
    )
    step_free = models.BooleanField(_("step-free (wheelchair) access"), default=False)
    accessible_toilets = models.BooleanField(_("accessible toilets"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    module = models.ForeignKey(
        "catalogue.Module", verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )
    adaptation = models.ForeignKey(
        "catalogue.Adaptation",
        verbose_name=_("adaptation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    # The organiser: a provider, or (laissez-faire, cascades) the factory itself.
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    organising_factory = models.ForeignKey(
        "factories.Factory",
        verbose_name=_("organised by factory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_sessions",
    )
    engagements = models.ManyToManyField(
        "programmes.Engagement", verbose_name=_("engagements"), related_name="sessions"
    )
    delivery_model = models.CharField(
        _("delivery model"), max_length=20, choices=DeliveryModel.choices
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.PROTECT
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_sessions",
    )
    # In a cascade the facilitator is factory staff who may have no FIT Hub account.
    facilitator_name = models.CharField(
        _("facilitator (factory staff)"), max_length=200, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cascaded from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    representative = models.ForeignKey(
        "Participant",
        verbose_name=_("representative running it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cascaded_sessions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    reflection_went_well = models.TextField(_("what went well"), blank=True)
    reflection_to_change = models.TextField(_("what to change next time"), blank=True)
    # Printed as a QR code on the sign-in sheet: scanning it opens self check-in.
    check_in_token = models.CharField(max_length=40, unique=True, default=_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["check_in_token"])

    class Meta:
        ordering = ["-date", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["provider", "date"])]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.module} · {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("training:session", args=[self.pk])

    def get_cost_url(self) -> str:
        # Programmes' engagement cost page links here without naming training's URLs.
        return reverse("training:session-cost", args=[self.pk])

    @property
    def slot_minutes(self) -> int:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return end - start


class Participant(models.Model):
    """One person across sessions; no account needed."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        SUPERVISOR = "supervisor", _("Supervisor")
        WORKER = "worker", _("Worker")

    factory = models.ForeignKey(
        "factories.Factory", on_delete=models.PROTECT, related_name="participants"
    )
    name = models.CharField(_("name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    disability = models.BooleanField(_("has a disability"), null=True, blank=True)
    needs_step_free = models.BooleanField(_("needs step-free access"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["factory", "name"])]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A working group of 5-7 participants within a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("group"))

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="one_group_number")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} / {self.number}"


class Registration(models.Model):
    """A participant's place in a session: their group, rotating role and attendance."""

    class GroupRole(models.TextChoices):
        READER = "reader", _("Reader")
        TIME_KEEPER = "time_keeper", _("Time keeper")
        NOTE_TAKER = "note_taker", _("Note taker")

    class Method(models.TextChoices):
        TAP = "tap", _("Ticked by the facilitator")
        QR = "qr", _("Self check-in (QR code)")
        SHEET = "sheet", _("Typed from the paper sheet")
        IMPORT = "import", _("Imported")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="registrations"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    group_role = models.CharField(
        _("role in the group"), max_length=12, choices=GroupRole.choices, blank=True
    )
    # None until attendance is taken: "not recorded" is different from "absent".
    present = models.BooleanField(_("present"), null=True, blank=True)
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "participant__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="one_registration")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.session_id}"
