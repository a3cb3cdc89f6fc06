"""Pages of the surveys app: the public answer page, and the facilitator's survey pages."""

import hashlib
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fithub.accounts.models import Organisation, User
from fithub.catalogue.models import Module
from fithub.lib.i18n import language_codes
from fithub.lib.pdf import render_pdf
from fithub.programmes.models import Programme
from fithub.surveys import services
from fithub.surveys.forms import PaperForm, QuestionTextsForm, answer_form, tally_form
from fithub.surveys.models import Question, Survey, Version
from fithub.surveys.scoping import (
    questionnaire_owners_for,
    questionnaires_for,
    survey_by_token,
    surveys_for,
    versions_for,
)
from fithub.surveys.selectors import GROUPINGS, Results, survey_results
from fithub.surveys.slips import public_url, slips_context
from fithub.training.models import Session
from fithub.training.scoping import sessions_for

# A phone may send a few answers (a facilitator's phone passed round the group), not a flood.
RATE_LIMIT = 30
RATE_WINDOW = 600


def _survey_for(request: HttpRequest, pk: int, *, write: bool = False) -> Survey:
    """Return the survey if the user may run it (write) or read its results; else 404."""
    qs = surveys_for(request.user, write=write).select_related("session__module", "version")
    return get_object_or_404(qs, pk=pk)


def _public_language(request: HttpRequest, survey: Survey) -> str:
    wanted = request.GET.get("lang") or request.POST.get("lang") or survey.session.language
    return wanted if wanted in language_codes() else "en"


def _limited(request: HttpRequest, survey: Survey) -> bool:
    # The address is hashed and kept only in the cache, for the window: never stored.
    client = request.META.get("REMOTE_ADDR", "")
    key = "survey-rate:" + hashlib.sha256(f"{survey.pk}:{client}".encode()).hexdigest()
    cache.add(key, 0, RATE_WINDOW)  # starts the window; a no-op while it runs
    return bool(cache.incr(key) > RATE_LIMIT)


def answer(request: HttpRequest, token: str) -> HttpResponse:
    survey = get_object_or_404(survey_by_token(token))
    language = _public_language(request, survey)
    with translation.override(language):
        questions = list(Question.objects.filter(version=survey.version))
        Form = answer_form(questions, language)
        status = 200
        if request.method == "POST":
            form = Form(request.POST)
            if _limited(request, survey):
                form.add_error(None, _("Too many answers from this phone. Try again later."))
                status = 429
            elif not survey.is_open:
                form.add_error(None, _("This survey is closed."))
                status = 410
            elif form.is_valid():
                try:
                    services.response_submit(
                        survey=survey,
                        code=form.cleaned_data["code"],
                        given=form.given(),
                        language=language,
                    )
                except ValidationError as e:
                    for name, errors in e.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    url = reverse("surveys:thanks", args=[survey.token])
                    return redirect(f"{url}?lang={language}")
        else:
            form = Form(initial={"code": request.GET.get("code", "")})
        ctx = {
            "survey": survey,
            "form": form,
            "language": language,
            "languages": settings.LANGUAGES,
            "closed": not survey.is_open,
        }
        response = render(request, "surveys/answer.html", ctx, status=status)
    # Nothing of a respondent's visit may linger on a shared phone or in a proxy, and the
    # link (its token) is never sent to another site. Not "no-referrer": with it Chromium
    # posts the form with "Origin: null", which Django's CSRF check refuses.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey = get_object_or_404(survey_by_token(token))
    language = _public_language(request, survey)
    with translation.override(language):
        return render(request, "surveys/thanks.html", {"survey": survey, "language": language})


@require_POST
@login_required
def survey_open(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_object_or_404(sessions_for(request.user, write=True), pk=session_pk)
    try:
        survey = services.survey_open(session=session, by=request.user)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(session)
    messages.success(request, _("The survey is open."))
    return redirect("surveys:detail", survey.pk)


@require_POST
@login_required
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, write=True)
    services.survey_close(survey=survey, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The survey is closed."))
    return redirect("surveys:detail", survey.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk)
    can_run = surveys_for(request.user, write=True).filter(pk=survey.pk).exists()
    ctx = {
        "survey": survey,
        "session": survey.session,
        "results": _session_results(survey),
        "can_run": can_run,
        "link": _public_url(request, survey),
        "remaining": survey.codes.count() if can_run else None,
    }
    return render(request, "surveys/detail.html", ctx)


def _session_results(survey: Survey) -> Results:
    result = survey_results(Survey.objects.filter(pk=survey.pk), by="session")
    for group in result.groups:
        group.label = _("This session")
    return result


def _public_url(request: HttpRequest, survey: Survey) -> str:
    return public_url(request, survey)


@login_required
def qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey link as a QR code, full screen on the facilitator's phone."""
    survey = _survey_for(request, pk, write=True)
    link = _public_url(request, survey)
    svg = segno.make(link, error="m").svg_inline(scale=8, border=2, omitsize=True)
    language = translation.get_language() or "en"
    ctx = {"survey": survey, "svg": svg, "link": link, "language": language}
    return render(request, "surveys/qr.html", ctx)


@login_required
def slips(request: HttpRequest, pk: int) -> HttpResponse:
    """The code slips to print and cut: one unused code each, with the link and its QR code."""
    survey = _survey_for(request, pk, write=True)
    language = survey.session.language if survey.session.language in language_codes() else "en"
    pdf = render_pdf(
        template="surveys/pdf/slips.html", context=slips_context(request, survey), language=language
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="survey-slips-{survey.session_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one paper form's answers, as the respondent gave them."""
    survey = _survey_for(request, pk, write=True)
    questions = list(Question.objects.filter(version=survey.version))
    language = translation.get_language() or "en"
    Form = answer_form(questions, language, base=PaperForm)
    form = Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_enter(
                survey=survey,
                given=form.given(),
                language=language,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as e:
            for name, errors in e.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Paper form entered. Enter the next one, or go back."))
            return redirect("surveys:paper", survey.pk)
    return render(request, "surveys/paper.html", {"survey": survey, "form": form})


@login_required
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a paper tally sheet: how many forms gave each answer to each question."""
    survey = _survey_for(request, pk, write=True)
    questions = list(Question.objects.filter(version=survey.version))
    language = translation.get_language() or "en"
    form = tally_form(questions, language)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.tally_enter(
                survey=survey,
                tally=form.tally(),
                language=language,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as e:
            for error in e.messages:
                form.add_error(None, error)
        else:
            entered = ngettext(
                "%(n)s form entered from the tally.", "%(n)s forms entered from the tally.", n
            )
            messages.success(request, entered % {"n": n})
            return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/tally.html", {"survey": survey, "form": form})


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """Results across the sessions the user may read, by module, facilitator, provider..."""
    by = request.GET.get("by", "module")
    if by not in GROUPINGS:
        by = "module"
    surveys = surveys_for(request.user)
    result = survey_results(surveys, by=by)
    labels = _labels(by, [g.key for g in result.groups])
    for group in result.groups:
        group.label = labels.get(group.key, "")
    names = _grouping_names()
    return render(
        request,
        "surveys/results.html",
        {
            "results": result,
            "by": by,
            "groupings": names,
            "group_label": dict(names)[by],
            "edits_questionnaire": bool(questionnaire_owners_for(request.user)),
        },
    )


def _grouping_names() -> list[tuple[str, str]]:
    return [
        ("session", _("Session")),
        ("module", _("Module")),
        ("facilitator", _("Facilitator")),
        ("provider", _("Provider")),
        ("programme", _("Programme")),
    ]


def _labels(by: str, keys: list[Any]) -> dict[Any, str]:
    ids = [k for k in keys if k is not None]
    if by == "session":
        return {s.pk: str(s) for s in Session.objects.filter(pk__in=ids).select_related("module")}
    if by == "module":
        return {m.pk: str(m) for m in Module.objects.filter(pk__in=ids)}
    if by == "facilitator":
        return {u.pk: u.get_full_name() or u.email for u in User.objects.filter(pk__in=ids)}
    if by == "provider":
        return {o.pk: o.name for o in Organisation.objects.filter(pk__in=ids)}
    return {p.pk: p.name for p in Programme.objects.filter(pk__in=ids)}


# --- the programme owner's questionnaire -----------------------------------------------------


def _version_for(request: HttpRequest, pk: int, *, write: bool = False) -> Version:
    """Return the questionnaire version if the user may read (or edit) it; else 404."""
    qs = versions_for(request.user, write=write).select_related("questionnaire__owner")
    return get_object_or_404(qs, pk=pk)


@login_required
def questionnaires(request: HttpRequest) -> HttpResponse:
    """The survey questionnaires the user reads, and a new draft for each owner they run."""
    readable = questionnaires_for(request.user).select_related("owner").order_by("pk")
    owners = Organisation.objects.filter(pk__in=questionnaire_owners_for(request.user))
    if not readable and not owners:
        raise Http404
    versions = versions_for(request.user).select_related("questionnaire").order_by("-number")
    ctx = {"questionnaires": readable, "versions": versions, "owners": owners}
    return render(request, "surveys/questionnaires.html", ctx)


@require_POST
@login_required
def version_new_draft(request: HttpRequest) -> HttpResponse:
    # The owner is named in the form: someone who runs several is never given "the first".
    owner = get_object_or_404(
        Organisation.objects.filter(pk__in=questionnaire_owners_for(request.user)),
        pk=request.POST.get("owner"),
    )
    try:
        draft = services.version_new_draft(owner=owner, by=request.user)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("surveys:questionnaires")
    messages.success(request, _("A new draft is ready. Edit its questions, then publish it."))
    return redirect("surveys:version", draft.pk)


@login_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """A questionnaire version's questions; a draft's texts are edited here by its owner."""
    version = _version_for(request, pk)
    questions = list(Question.objects.filter(version=version))
    editable = (
        version.status == Version.Status.DRAFT
        and versions_for(request.user, write=True).filter(pk=pk).exists()
    )
    form = QuestionTextsForm(request.POST or None, questions=questions) if editable else None
    if request.method == "POST":
        if form is None:
            raise Http404  # frozen, or not the user's to change
        if form.is_valid():
            try:
                services.question_texts_update(
                    version=version,
                    texts=form.texts(),
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as e:
                for name, errors in e.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("surveys:version", version.pk)
    ctx = {"version": version, "questions": questions, "form": form, "editable": editable}
    return render(request, "surveys/version.html", ctx)


@require_POST
@login_required
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version_for(request, pk, write=True)
    try:
        services.version_publish(version=version, by=request.user)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Published. Surveys opened from now on ask this version."))
    return redirect("surveys:version", version.pk)
