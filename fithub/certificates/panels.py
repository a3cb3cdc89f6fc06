"""What certificates adds to the pages of higher apps (see fithub/lib/slots.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from fithub.certificates.scoping import certificates_for
from fithub.training.models import Session
from fithub.training.scoping import can_change_session


def session_certificates(request: HttpRequest, session: Session) -> str | None:
    """Tell a reader of the session how many of their people hold a certificate, with a link.

    The session's staff have the certificates button among the session's actions instead.
    """
    if can_change_session(request.user, session):
        return None
    held = certificates_for(request.user).filter(registration__session=session).count()
    if not held:
        return None
    return render_to_string(
        "certificates/_session_panel.html", {"session": session, "held": held}, request=request
    )
