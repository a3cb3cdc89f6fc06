"""Improvement plans: one per factory per engagement, items from every source, with evidence.

A plan gathers everything a factory committed to change in one engagement cycle, whatever
suggested it (`ImprovementItem.Source`): a session's action items (groups decide one or two at
the end of a module), needs-assessment or self-diagnosis statements answered "no" that the
factory chose to act on, compliance findings, committee decisions, and items typed by hand.
An item keeps its link to where it came from, and `source_ref` (unique within a plan) makes
sure that the same statement, finding or decision never makes two items.

An item moves open → in progress → done (the factory) → verified or returned (the provider's
advisor or facilitator); it is dropped only with a reason. Each move is an `ItemTransition` (who,
when, why). The factory's manager and a worker representative sign the plan off together
(`PlanSignOff`); any change to an item afterwards dates the plan's `changed_at` past the
signatures, which is "changed since sign-off", and asks them again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fithub.factories.models import Department
from fithub.lib.evidence import Kind as EvidenceKind


class ImprovementPlan(models.Model):
    """A factory's improvement plan in one engagement (a FIT engagement, a Better Work cycle)."""

    class SignOffState(models.TextChoices):
        NONE = "none", _("Not signed off")
        PARTLY = "partly", _("Signed by one side")
        SIGNED = "signed", _("Signed off by both sides")
        CHANGED = "changed", _("Changed since sign-off")

    engagement = models.OneToOneField(
        "programmes.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="improvement_plan",
    )
    # The engagement's factory, kept here so that scoping and the factory page need no join.
    factory = models.ForeignKey(
        "factories.Factory",
        verbose_name=_("factory"),
        on_delete=models.PROTECT,
        related_name="improvement_plans",
    )
    # When an item last changed: a sign-off older than this no longer stands.
    changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["factory", "-created_at", "pk"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")

    def __str__(self) -> str:
        return str(_("Improvement plan of %(factory)s") % {"factory": self.factory})

    def get_absolute_url(self) -> str:
        return reverse("improvement:plan", args=[self.pk])

    def latest_sign_offs(self) -> dict[str, "PlanSignOff"]:
        """The latest sign-off of each side (reads `sign_offs`, prefetched by the selectors)."""
        latest: dict[str, PlanSignOff] = {}
        for s in self.sign_offs.all():
            if s.side not in latest or s.signed_at > latest[s.side].signed_at:
                latest[s.side] = s
        return latest

    def standing_sign_offs(self) -> dict[str, "PlanSignOff"]:
        """The sides whose latest sign-off is newer than the last change to the plan."""
        return {
            side: s
            for side, s in self.latest_sign_offs().items()
            if self.changed_at is None or s.signed_at >= self.changed_at
        }

    @property
    def sign_off_state(self) -> str:
        latest = self.latest_sign_offs()
        standing = self.standing_sign_offs()
        if len(standing) == len(PlanSignOff.Side):
            return self.SignOffState.SIGNED
        if len(standing) < len(latest):
            return self.SignOffState.CHANGED
        return self.SignOffState.PARTLY if standing else self.SignOffState.NONE

    def get_sign_off_state_display(self) -> str:
        return str(self.SignOffState(self.sign_off_state).label)


class PlanSignOff(models.Model):
    """A factory manager's or a worker representative's signature on the plan as it stood."""

    class Side(models.TextChoices):
        MANAGER = "manager", _("Factory manager")
        WORKER_REP = "worker_rep", _("Worker representative")

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="sign_offs")
    side = models.CharField(_("signed for"), max_length=12, choices=Side.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.side} {self.signed_at:%Y-%m-%d}"


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")
    DROPPED = "dropped", _("Dropped")


class ImprovementItem(models.Model):
    """One improvement the factory committed to, linked to where it came from."""

    Status = Status

    class Source(models.TextChoices):
        SESSION = "session", _("Session action plan")
        STATEMENT = "statement", _("Needs assessment or self-diagnosis")
        FINDING = "finding", _("Compliance finding")
        DECISION = "decision", _("Committee decision")
        MANUAL = "manual", _("Typed in")

    class ActionType(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate correction")
        CORRECTIVE = "corrective", _("Corrective action")
        PREVENTIVE = "preventive", _("Preventive action")
        IMPROVEMENT = "improvement", _("Improvement")

    class Priority(models.IntegerChoices):
        # Publicly reported and critical findings come first.
        CRITICAL = 1, _("Critical")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")
        LOW = 4, _("Low")

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="items")
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.MANUAL
    )
    # What the item came from, for the rule "never two items from one statement or finding"
    # ("statement:<id>", "finding:<tool>:<code>", "decision:<uid>"); empty for the rest.
    source_ref = models.CharField(max_length=120, blank=True, default="")
    session = models.ForeignKey(
        "training.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    group = models.ForeignKey(
        "training.Group",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    answer = models.ForeignKey(
        "assessment.Answer",
        verbose_name=_("statement answered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    decision = models.OneToOneField(
        "committees.Decision",
        verbose_name=_("committee decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_item",
    )
    issue = models.TextField(_("issue"), max_length=2000, blank=True)
    root_cause = models.TextField(_("root cause"), max_length=2000, blank=True)
    action = models.TextField(_("action"), max_length=2000, blank=True)
    action_type = models.CharField(
        _("type of action"),
        max_length=12,
        choices=ActionType.choices,
        default=ActionType.IMPROVEMENT,
    )
    module = models.ForeignKey(
        "catalogue.Module",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        "factories.TeamMember",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_items",
        help_text=_("A member of the factory improvement team."),
    )
    # Who, as a session's group wrote it, when nobody of the improvement team is named.
    owner_name = models.CharField(_("who"), max_length=200, blank=True)
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, blank=True
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    kpi = models.CharField(
        _("KPI it should move"),
        max_length=200,
        blank=True,
        help_text=_("For example: absenteeism, defects per hundred units, overtime hours."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "priority", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source_ref"],
                condition=~Q(source_ref=""),
                name="one_item_per_source",
            )
        ]
        indexes = [models.Index(fields=["plan", "status"])]
        verbose_name = _("improvement plan item")
        verbose_name_plural = _("improvement plan items")

    def __str__(self) -> str:
        return self.title[:60]

    def get_absolute_url(self) -> str:
        return reverse("improvement:item", args=[self.pk])

    @property
    def title(self) -> str:
        return self.action or self.issue

    @property
    def is_closed(self) -> bool:
        return self.status in (Status.VERIFIED, Status.DROPPED)

    @property
    def who(self) -> str:
        return self.owner.name if self.owner else self.owner_name


class ItemTransition(models.Model):
    """A move of an item from one status to another: who, when and why."""

    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


class ItemEvidence(models.Model):
    """A photo or document on an item, from before or after the change (see lib/evidence.py)."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    Kind = EvidenceKind

    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="improvement/evidence/%Y/%m/", max_length=300)
    kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in EvidenceKind])
    stage = models.CharField(_("before or after"), max_length=8, choices=Stage.choices)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""

    def get_absolute_url(self) -> str:
        return reverse("improvement:evidence", args=[self.pk])


class ItemComment(models.Model):
    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"), max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class AdoptionFollowUp(models.Model):
    """Results-chain step 4: one, then three months after a session, is its practice in use?

    One follow-up per factory engagement, held session and round (`months`). They are
    scheduled when a session is held (services.followups_schedule) and answered by the
    factory or its advisor; the adoption rates are counted from them (selectors), never typed.
    """

    class InUse(models.TextChoices):
        YES = "yes", _("Yes, in use")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No, not in use")

    class Round(models.IntegerChoices):
        ONE_MONTH = 1, _("After 1 month")
        THREE_MONTHS = 3, _("After 3 months")

    engagement = models.ForeignKey(
        "programmes.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="adoption_followups",
    )
    # The engagement's factory, kept here so that scoping and the factory's list need no join.
    factory = models.ForeignKey(
        "factories.Factory",
        verbose_name=_("factory"),
        on_delete=models.PROTECT,
        related_name="adoption_followups",
    )
    session = models.ForeignKey(
        "training.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="adoption_followups",
    )
    months = models.PositiveSmallIntegerField(_("follow-up"), choices=Round.choices)
    due_on = models.DateField(_("due on"))
    in_use = models.CharField(
        _("is the practice in use?"), max_length=8, choices=InUse.choices, blank=True
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # Optional, checked and cleaned as an item's evidence is (lib/evidence.py).
    evidence = models.FileField(
        upload_to="improvement/followups/%Y/%m/", max_length=300, blank=True
    )
    evidence_kind = models.CharField(
        max_length=10, choices=[(k.value, k.value) for k in EvidenceKind], blank=True
    )
    evidence_name = models.CharField(max_length=255, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "session", "months"], name="one_followup_per_round"
            )
        ]
        indexes = [models.Index(fields=["factory", "due_on"])]
        verbose_name = _("adoption follow-up")
        verbose_name_plural = _("adoption follow-ups")

    def __str__(self) -> str:
        return f"{self.session_id} +{self.months}m {self.factory_id}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:followup", args=[self.pk])

    @property
    def answered(self) -> bool:
        return bool(self.in_use)

    @property
    def overdue(self) -> bool:
        return not self.answered and self.due_on < timezone.localdate()


class ReminderDigest(models.Model):
    """One reminder e-mail sent to one person on one day: never a second one that day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    followups = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class AdvisoryVisit(models.Model):
    """A visit to the factory recorded offline (ODK / KoboToolbox): what it moved and answered.

    Its instance ID is the submission's, so that importing the same export again writes nothing.
    """

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="visits")
    instance_id = models.CharField(max_length=100, unique=True)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    items_moved = models.PositiveIntegerField(default=0)
    followups_answered = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-created_at", "pk"]
        verbose_name = _("advisory visit")
        verbose_name_plural = _("advisory visits")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.visited_on or self.created_at:%Y-%m-%d}"
