"""The survey's offline form on the session page (the `session-detail` slot of lib/slots.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from fithub.surveys.scoping import surveys_for
from fithub.training.models import Session


def survey_offline(request: HttpRequest, session: Session) -> str | None:
    """Offer the survey's XLSForm and its import to who runs the session's survey."""
    survey = surveys_for(request.user, write=True).filter(session=session).first()
    if survey is None:
        return None
    return render_to_string("collect/_survey_panel.html", {"survey": survey}, request=request)
