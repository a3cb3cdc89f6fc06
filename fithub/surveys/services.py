"""Writes of the surveys app: open a session's survey, issue codes, take and enter answers.

Nothing here records who answered. `by` is taken only where staff act (opening a survey,
entering a paper form) and is not stored on a response.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from fithub.accounts.models import Organisation, User
from fithub.factories.models import Sex
from fithub.lib.details import Details
from fithub.lib.i18n import language_codes
from fithub.surveys.models import (
    Answer,
    Code,
    Question,
    Questionnaire,
    Response,
    Survey,
    Version,
    new_code,
)
from fithub.training.models import Session
from fithub.training.pack import spare_copies

MAX_TEXT = 2000
# A session with almost nobody registered yet still gets a sheet's worth of slips.
MIN_CODES = 5
# A tally sheet is one session's room: more forms than this is a typing slip, not a session.
MAX_TALLY = 500


@dataclass(frozen=True)
class Given:
    """What one respondent gave: answers by question code, and the two optional facts."""

    answers: Mapping[str, str]
    sex: str = ""
    role: str = ""


def standard_version() -> Version:
    """Return the published standard FIT questionnaire version (created by a migration)."""
    version = (
        Version.objects.filter(questionnaire__owner=None, status=Version.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise ValidationError(_("No survey questionnaire has been published yet."))
    return version


def _version_for(session: Session) -> Version:
    engagement = session.engagements.select_related("programme").first()
    owner_id = engagement.programme.owner_id if engagement and engagement.programme else None
    if owner_id:
        own = (
            Version.objects.filter(
                questionnaire__owner_id=owner_id, status=Version.Status.PUBLISHED
            )
            .order_by("-number")
            .first()
        )
        if own is not None:
            return own
    return standard_version()


@transaction.atomic
def survey_open(*, session: Session, by: User | None) -> Survey:
    """Open the session's survey (or reopen it), asking the programme's published questions."""
    survey = Survey.objects.filter(session=session).first()
    if survey is None:
        survey = Survey.objects.create(session=session, version=_version_for(session))
    elif not survey.is_open:
        survey.is_open = True
        survey.save(update_fields=["is_open"])
    return survey


def survey_close(*, survey: Survey, by: User | None) -> Survey:
    """Close a survey: its link and remaining codes no longer take answers."""
    survey.is_open = False
    survey.save(update_fields=["is_open"])
    return survey


@transaction.atomic
def codes_issue(*, survey: Survey, by: User | None, count: int | None = None) -> list[str]:
    """Make sure the survey has its slips' codes and return the unused ones."""
    if count is None:
        # Slips for everyone registered and a tenth more, for walk-ins and spoilt slips: the
        # pack's own rule for spare copies, in whole numbers (10 * 1.1 is 11.000000000000002).
        registered = survey.session.registrations.count()
        count = max(MIN_CODES, registered + spare_copies(registered))
    missing = count - survey.codes_issued
    existing = set(Code.objects.filter(survey=survey).values_list("code", flat=True))
    fresh: set[str] = set()
    while len(fresh) < missing:
        code = new_code()
        if code not in existing:
            fresh.add(code)
    if fresh:
        Code.objects.bulk_create(Code(survey=survey, code=code) for code in sorted(fresh))
        survey.codes_issued += len(fresh)
        survey.save(update_fields=["codes_issued"])
    return sorted(existing | fresh)


def normalise_code(raw: str) -> str:
    """Read a code as typed on a phone: any case, with spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def _checked_answers(version: Version, given: Given) -> list[Answer]:
    errors: dict[str, list[str]] = {}
    answers: list[Answer] = []
    for question in Question.objects.filter(version=version):
        raw = (given.answers.get(question.code) or "").strip()
        if not raw:
            if question.required:
                errors.setdefault(question.code, []).append(_("Please answer this question."))
            continue
        if question.kind == Question.Kind.TEXT:
            if len(raw) > MAX_TEXT:
                errors.setdefault(question.code, []).append(
                    _("Please keep this under %(limit)s characters.") % {"limit": MAX_TEXT}
                )
                continue
            answers.append(Answer(question=question, text=raw))
            continue
        allowed = range(1, 6) if question.kind == Question.Kind.AGREE else (0, 1)
        if not raw.isdigit() or int(raw) not in allowed:
            errors.setdefault(question.code, []).append(_("Choose one of the answers offered."))
            continue
        answers.append(Answer(question=question, number=int(raw)))
    if given.sex and given.sex not in Sex.values:
        errors["sex"] = [_("Choose one of the answers offered.")]
    if given.role and given.role not in Response.Role.values:
        errors["role"] = [_("Choose one of the answers offered.")]
    if errors:
        raise ValidationError(errors)
    return answers


def _save(
    survey: Survey, given: Given, *, language: str, source: str, instance_id: str = ""
) -> Response:
    answers = _checked_answers(survey.version, given)
    response = Response.objects.create(
        survey=survey,
        answered_on=timezone.localdate(),
        sex=given.sex,
        role=given.role,
        language=language if language in language_codes() else "en",
        source=source,
        instance_id=instance_id,
    )
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)
    return response


@transaction.atomic
def response_submit(*, survey: Survey, code: str, given: Given, language: str) -> Response:
    """Take one anonymous answer with a slip's code; the code is deleted as it is used."""
    if not survey.is_open:
        raise ValidationError(_("This survey is closed."))
    # select_for_update: two phones sending the same code at once get one answer between them.
    used = Code.objects.select_for_update().filter(survey=survey, code=normalise_code(code)).first()
    if used is None:
        raise ValidationError(
            {"code": [_("This code is not valid for this survey, or it has been used already.")]}
        )
    response = _save(survey, given, language=language, source=Response.Source.ONLINE)
    used.delete()
    return response


def instance_key(instance_id: str) -> str:
    """Return what is kept of an offline submission's instance ID: a keyed one-way hash.

    ODK Central and KoboToolbox keep the instance ID beside who submitted it, from which
    device and when. Kept as it is, it would join an anonymous answer to that record for
    anyone who can read both servers. The hash still tells a second import of the same
    submission (same ID, same hash), but cannot be turned back into the ID, nor recomputed
    from the ODK server's list of IDs without this server's SECRET_KEY. (So a new
    SECRET_KEY makes old submissions look new: import each export once before rotating it.)
    """
    return salted_hmac("fithub.surveys.instance_id", instance_id, algorithm="sha256").hexdigest()


@transaction.atomic
def response_enter(
    *, survey: Survey, given: Given, language: str, by: User | None, instance_id: str = ""
) -> Response | None:
    """Enter a paper or offline form's answers; an offline form already entered is skipped."""
    source = Response.Source.OFFLINE if instance_id else Response.Source.PAPER
    instance_id = instance_key(instance_id) if instance_id else ""
    if instance_id and Response.objects.filter(survey=survey, instance_id=instance_id).exists():
        return None
    try:
        with transaction.atomic():
            return _save(survey, given, language=language, source=source, instance_id=instance_id)
    except IntegrityError:
        return None


@dataclass(frozen=True, kw_only=True)
class Tally(Details):
    """A paper tally sheet: how many forms there were, and how many gave each answer."""

    forms: int
    counts: Mapping[str, Mapping[int, int]]  # question code -> answer value -> forms


def _allowed(question: Question) -> tuple[int, ...]:
    return (1, 2, 3, 4, 5) if question.kind == Question.Kind.AGREE else (0, 1)


def _checked_tally(version: Version, tally: Tally) -> list[tuple[Question, list[int]]]:
    errors: list[str] = []
    if not 1 <= tally.forms <= MAX_TALLY:
        errors.append(_("Enter between 1 and %(most)s forms.") % {"most": MAX_TALLY})
    asked = Question.objects.filter(version=version)
    questions = [q for q in asked if q.kind != Question.Kind.TEXT]
    known = {q.code for q in questions}
    if set(tally.counts) - known:
        errors.append(_("The tally names a question this questionnaire does not ask."))
    columns = []
    for q in questions:
        counts = tally.counts.get(q.code, {})
        if any(v not in _allowed(q) or n < 0 for v, n in counts.items()):
            errors.append(
                _("%(question)s: choose one of the answers offered.") % {"question": q.label}
            )
            continue
        given = sum(counts.values())
        if (q.required and given != tally.forms) or given > tally.forms:
            errors.append(
                _("%(question)s: the counts add up to %(given)s, not the %(forms)s forms.")
                % {"question": q.label, "given": given, "forms": tally.forms}
            )
            continue
        # Highest answers first; which form gave which answer to each question is not on the
        # sheet, so the pairing below is arbitrary and only each question's count is real.
        columns.append((q, [v for v in sorted(counts, reverse=True) for _n in range(counts[v])]))
    if errors:
        raise ValidationError(errors)
    return columns


@transaction.atomic
def tally_enter(*, survey: Survey, tally: Tally, language: str, by: User | None) -> int:
    """Enter a paper tally sheet: one response per form, each question's counts as tallied.

    A tally counts each question on its own, so its responses carry no sex or role: a split
    by sex would pair answers with people the sheet never paired. Results read each question
    on its own, so its figures are exactly the tally's.
    """
    columns = _checked_tally(survey.version, tally)
    today = timezone.localdate()
    responses = [
        Response(
            survey=survey,
            answered_on=today,
            language=language if language in language_codes() else "en",
            source=Response.Source.TALLY,
        )
        for _i in range(tally.forms)
    ]
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        Answer(response=responses[i], question=q, number=value)
        for q, values in columns
        for i, value in enumerate(values)
    )
    return len(responses)


# --- the programme owner's questionnaire -----------------------------------------------------


@transaction.atomic
def version_new_draft(*, owner: Organisation, by: User | None) -> Version:
    """Start the owner's next version as a draft copying its current one (first: the standard)."""
    questionnaire = Questionnaire.objects.filter(owner=owner).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            owner=owner,
            name=_("%(owner)s post-training survey") % {"owner": owner.name},
        )
    versions = Version.objects.select_for_update().filter(questionnaire=questionnaire)
    if versions.filter(status=Version.Status.DRAFT).exists():
        raise ValidationError(_("There is already a draft. Edit it, or publish it first."))
    current = versions.filter(status=Version.Status.PUBLISHED).order_by("-number").first()
    current = current or standard_version()
    last = versions.order_by("-number").first()
    number = (last.number if last else 0) + 1
    draft = Version.objects.create(questionnaire=questionnaire, number=number)
    Question.objects.bulk_create(
        Question(
            version=draft,
            code=q.code,
            kind=q.kind,
            text=dict(q.text),
            required=q.required,
            order=q.order,
        )
        for q in Question.objects.filter(version=current)
    )
    return draft


def _check_draft(version: Version) -> None:
    # A version asked in a session is frozen: its answers mean what its questions said.
    if version.status != Version.Status.DRAFT or version.surveys.exists():
        raise ValidationError(
            _("This version is published and in use, so it cannot change. Start a new draft.")
        )


@transaction.atomic
def question_texts_update(
    *, version: Version, texts: Mapping[str, Mapping[str, str]], by: User | None
) -> Version:
    """Set the draft's question texts, per question code and language; every one is needed."""
    _check_draft(version)
    questions = list(Question.objects.filter(version=version))
    errors: dict[str, list[str]] = {}
    for q in questions:
        given = texts.get(q.code, {})
        for language in language_codes():
            value = (given.get(language) or "").strip()
            if not value:
                errors[f"{q.code}__{language}"] = [_("Write this question in every language.")]
            elif len(value) > 300:
                errors[f"{q.code}__{language}"] = [_("Keep a question under 300 characters.")]
    if errors:
        raise ValidationError(errors)
    for q in questions:
        q.text = {language: texts[q.code][language].strip() for language in language_codes()}
    Question.objects.bulk_update(questions, ["text"])
    return version


@transaction.atomic
def version_publish(*, version: Version, by: User | None) -> Version:
    """Publish a draft: sessions whose survey opens from now on ask it; it is frozen."""
    _check_draft(version)
    missing = [
        q.code
        for q in Question.objects.filter(version=version)
        if any(not (q.text or {}).get(language) for language in language_codes())
    ]
    if missing:
        raise ValidationError(_("Write every question in every language before publishing."))
    version.status = Version.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version
