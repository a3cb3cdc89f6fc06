"""The survey's parts of the session's pages (slots of fithub/lib/slots.py).

`session-detail`: the panel on the session page; `session-pack`: the code slips printed at the
end of the session pack, for whoever may run the survey while it is open.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string

from fithub.surveys.models import Survey
from fithub.surveys.scoping import surveys_for
from fithub.surveys.slips import slips_context
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


def session_pack_slips(request: HttpRequest, session: Session) -> str | None:
    """Print the open survey's code slips in the pack of whoever may run the survey."""
    survey = surveys_for(request.user, write=True).filter(session=session, is_open=True).first()
    if survey is None:
        return None
    ctx = {**slips_context(request, survey), "in_pack": True}
    return render_to_string("surveys/pdf/_slips.html", ctx)
