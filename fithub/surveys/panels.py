"""The survey's panel on the session page (the `session-detail` slot of fithub/lib/slots.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from fithub.surveys.models import Survey
from fithub.surveys.scoping import surveys_for
from fithub.training.models import Session
from fithub.training.scoping import can_change_session


def session_survey(request: HttpRequest, session: Session) -> str | None:
    """Offer to open the survey to who runs the session; link its results to who may read them."""
    can_run = can_change_session(request.user, session)
    survey = Survey.objects.filter(session=session).first()
    readable = survey is not None and surveys_for(request.user).filter(pk=survey.pk).exists()
    if not can_run and not readable:
        return None
    ctx = {"session": session, "survey": survey, "can_run": can_run}
    return render_to_string("surveys/_session_panel.html", ctx, request=request)
