"""Anonymous post-training surveys (results-chain step 3, participation).

Anonymity is a property of the schema, not a promise of the code: a `Response` has no foreign key
to a user, a participant, a registration or an attendance row; it keeps the date it was given
(no time: the order of answers against the check-in times would tell who answered), a random
primary key (a sequence would do the same), and no IP address, user agent or code. The codes
printed on slips exist only until they are used; then the row is deleted. No history is kept of
these models: django-simple-history records who changed a row and when.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fithub.factories.models import Sex
from fithub.lib.i18n import localized
from fithub.training.models import Participant

# Letters and digits that cannot be mistaken for one another on a slip read in poor light.
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Questionnaire(models.Model):
    """A survey questionnaire; without an owner it is the standard FIT questionnaire."""

    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_questionnaires",
    )
    name = models.CharField(_("name"), max_length=200)

    def __str__(self) -> str:
        return self.name


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="one_survey_number")
        ]
        ordering = ["questionnaire", "-number"]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class Question(models.Model):
    class Kind(models.TextChoices):
        AGREE = "agree", _("Agreement scale (1 to 5)")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Free text")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # {"en": "...", "bn": "...", "ur": "..."}: questions are content, stored per language.
    text = models.JSONField(_("text"), default=dict)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_survey_question_code")
        ]
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return localized(self.text)


class Survey(models.Model):
    """A session's survey: the questionnaire version it asks and the link that opens it."""

    session = models.OneToOneField(
        "training.Session", on_delete=models.CASCADE, related_name="survey"
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="surveys")
    token = models.CharField(max_length=40, unique=True, default=new_token)
    is_open = models.BooleanField(_("open"), default=True)
    codes_issued = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"survey of {self.session_id}"


class Code(models.Model):
    """A single-use code on a paper slip; deleted once used, tied to no one."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=CODE_LENGTH)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="one_survey_code")]

    def __str__(self) -> str:
        return "code"  # never the code itself: it may be shown in logs and admin lists


class Response(models.Model):
    # The roles a participant is registered with, so that results line up with attendance.
    Role = Participant.Role

    class Source(models.TextChoices):
        ONLINE = "online", _("On a phone")
        PAPER = "paper", _("Paper form")
        OFFLINE = "offline", _("Offline form")
        TALLY = "tally", _("Paper tally")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answered_on = models.DateField(_("date"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)
    language = models.CharField(_("language"), max_length=8)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    # A keyed one-way hash of an offline submission's instanceID (services.instance_key), kept
    # only to import the same file twice safely; never the ID itself, which the ODK server
    # keeps beside who sent the submission and when.
    instance_id = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "instance_id"],
                condition=~Q(instance_id=""),
                name="one_offline_survey_response",
            )
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    # Random too: sequential ids would order the responses as they came in.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_survey_answer")
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"
