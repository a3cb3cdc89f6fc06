"""The factory's bipartite committee (Better Work's PICC): members, elections, meetings, reviews.

A factory has one committee, kept from cycle to cycle. Its members sit on the management or the
worker side; worker representatives are elected (an `Election` with its `Candidate`s), managers
appointed. A `Meeting` records who attended (`Attendance`), its agenda, minutes and
`Decision`s; its minutes count as approved once one member of each side approved the current
`revision` (`MinutesApproval`): any change to the agenda, minutes, attendees or decisions
raises the revision, so the approvals must be given again. The provider's advisor reviews the
committee's effectiveness from time to time (`Review`, answering the `ChecklistItem`s); the
score is computed from the answers.

Decisions are what later apps hang on. A `Decision` has a stable identity: its `uid` (a UUID
that never changes, for exports and the API) and its `number` within the committee ("decision
7", for people). The improvement app (below this one) turns a decision into a plan item once,
by holding the link itself:

    # fithub/improvement/models.py
    decision = models.OneToOneField("committees.Decision", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="plan_item")

The one-to-one field is what makes it "once". It reads decisions through
`committees.selectors.decision_records` (plain `DecisionRecord`s: text, owner, due date,
meeting, link) and scopes them with `committees.scoping.decisions_for`. The other direction of
"linked both ways" (the meeting page showing each decision's plan item, or a button to make
one) is added without this app importing improvement: improvement registers a function with
`committees.links.register` in its `AppConfig.ready()`, and the meeting page shows what it
returns for each decision (see fithub/committees/links.py).
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fithub.factories.models import Department, Sex
from fithub.lib.i18n import localized


class Side(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    WORKER = "worker", _("Workers")


class Committee(models.Model):
    """A factory's bipartite committee: management and worker representatives in equal numbers."""

    factory = models.OneToOneField(
        "factories.Factory",
        verbose_name=_("factory"),
        on_delete=models.PROTECT,
        related_name="committee",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("As the factory calls it, for example Participation Committee or PICC."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["factory__name", "pk"]
        verbose_name = _("bipartite committee")
        verbose_name_plural = _("bipartite committees")

    def __str__(self) -> str:
        return self.name or str(_("Bipartite committee"))

    def get_absolute_url(self) -> str:
        return reverse("committees:detail", args=[self.pk])


class Member(models.Model):
    """A person on the committee; not necessarily a FIT Hub user."""

    class Selection(models.TextChoices):
        ELECTED = "elected", _("Elected")
        APPOINTED = "appointed", _("Appointed")

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    selection = models.CharField(
        _("elected or appointed"), max_length=12, choices=Selection.choices
    )
    union_member = models.BooleanField(_("trade union member"), default=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    role = models.CharField(
        _("role on the committee"), max_length=12, choices=Role.choices, default=Role.MEMBER
    )
    term_starts_on = models.DateField(_("term starts on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("FIT Hub user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
        help_text=_("Link the member's FIT Hub account, if they have one at this factory."),
    )
    team_member = models.ForeignKey(
        "factories.TeamMember",
        verbose_name=_("improvement team member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
    )
    # A member who leaves stays on record: the meetings they attended still name them.
    left_on = models.DateField(_("left the committee on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "side", "name", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self) -> str:
        return self.name


class Election(models.Model):
    """An election of worker representatives: the advisor guides it, the factory records it."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="elections")
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example: Worker representatives 2026.")
    )
    seats = models.PositiveSmallIntegerField(
        _("seats to fill"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    nomination_opens_on = models.DateField(_("nominations open on"))
    nomination_closes_on = models.DateField(_("nominations close on"))
    held_on = models.DateField(_("voting day"), null=True, blank=True)
    eligible_voters = models.PositiveIntegerField(_("workers who may vote"), null=True, blank=True)
    # Entered with the results: no candidate can have more votes than there were voters.
    voters = models.PositiveIntegerField(_("workers who voted"), null=True, blank=True)
    guided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guided by (advisor)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("results recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    results_recorded_at = models.DateTimeField(_("results recorded at"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "-nomination_opens_on", "-pk"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committees:election", args=[self.pk])

    @property
    def has_results(self) -> bool:
        return self.results_recorded_at is not None


class Candidate(models.Model):
    """A worker standing in an election; once elected and joined, `member` is their seat."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    union_member = models.BooleanField(_("trade union member"), default=False)
    team_member = models.ForeignKey(
        "factories.TeamMember",
        verbose_name=_("improvement team member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_on = models.DateField(_("nominated on"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    # A foreign key, not one-to-one: a representative re-elected keeps one seat across elections.
    member = models.ForeignKey(
        Member,
        verbose_name=_("joined the committee as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidacies",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "name", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    others_present = models.CharField(
        _("also present"),
        max_length=500,
        blank=True,
        help_text=_("People who are not members, for example the enterprise advisor."),
    )
    # Raised by every change to what the minutes say (agenda, minutes, attendees, decisions):
    # approvals count only for the revision they approved.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "-held_on", "-pk"]
        indexes = [models.Index(fields=["committee", "held_on"])]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")

    def __str__(self) -> str:
        return str(_("Meeting of %(date)s") % {"date": date_format(self.held_on)})

    def get_absolute_url(self) -> str:
        return reverse("committees:meeting", args=[self.pk])


class Attendance(models.Model):
    """A member present at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "member__side", "member__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attends_once")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}"


class Decision(models.Model):
    """What a meeting decided: a text, who carries it out and by when.

    `uid` and `number` never change; see the module docstring for how the improvement app
    turns a decision into a plan item.
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    text = models.TextField(_("decision"), max_length=2000)
    owner = models.ForeignKey(
        Member,
        verbose_name=_("carried out by (member)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    owner_name = models.CharField(
        _("carried out by (someone else)"),
        max_length=200,
        blank=True,
        help_text=_("When the person is not on the committee, for example the maintenance head."),
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="decision_number_once")
        ]
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")

    def __str__(self) -> str:
        return str(_("Decision %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return reverse("committees:meeting", args=[self.meeting_id]) + f"#decision-{self.number}"

    @property
    def owner_label(self) -> str:
        """Who carries the decision out: the member, else the name given, else nobody."""
        if self.owner_id is not None and self.owner is not None:
            return self.owner.name
        return self.owner_name


class MinutesApproval(models.Model):
    """One member's approval, for their side, of one revision of a meeting's minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="approvals")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="approvals")
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    revision = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "revision", "approved_at"]
        constraints = [
            # One approval per side of each revision: a second one from the same side is refused.
            models.UniqueConstraint(
                fields=["meeting", "revision", "side"], name="one_approval_per_side"
            )
        ]
        verbose_name = _("approval of the minutes")
        verbose_name_plural = _("approvals of the minutes")

    def __str__(self) -> str:
        return f"{self.meeting_id} r{self.revision} {self.side}"


class ChecklistItem(models.Model):
    """One question of the advisor's effectiveness review; the list is data, not code."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    # {"en": ..., "bn": ..., "ur": ...}, as fithub/lib/i18n.py stores text in several languages.
    text = models.JSONField(_("question"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Retired questions keep their answers in old reviews but are no longer asked.
    is_active = models.BooleanField(_("asked in new reviews"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("review question")
        verbose_name_plural = _("review questions")

    def __str__(self) -> str:
        return self.text_text

    @property
    def text_text(self) -> str:
        return localized(self.text)


class Review(models.Model):
    """The advisor's periodic review of how well the committee works."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "-reviewed_on", "-pk"]
        verbose_name = _("effectiveness review")
        verbose_name_plural = _("effectiveness reviews")

    def __str__(self) -> str:
        return str(_("Review of %(date)s") % {"date": date_format(self.reviewed_on)})

    def get_absolute_url(self) -> str:
        return reverse("committees:review", args=[self.pk])


class ReviewAnswer(models.Model):
    class Answer(models.IntegerChoices):
        NO = 0, _("No")
        PARTLY = 1, _("Partly")
        YES = 2, _("Yes")

    POINTS: ClassVar[int] = 2  # what a full "yes" is worth, times the question's weight

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    answer = models.PositiveSmallIntegerField(_("answer"), choices=Answer.choices)

    class Meta:
        ordering = ["review", "item__order", "item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.item_id}={self.answer}"
