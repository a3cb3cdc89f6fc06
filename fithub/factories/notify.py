"""E-mails about requests to work with a factory, each in its recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from fithub.accounts.models import User
from fithub.factories.models import AccessRequest
from fithub.factories.scoping import access_request_deciders


def _send(user: User, subject: str, template: str, context: dict[str, object]) -> None:
    send_mail(
        subject, render_to_string(template, context), settings.DEFAULT_FROM_EMAIL, [user.email]
    )


def access_requested(access_request: AccessRequest) -> int:
    """Tell each person who decides the request, in their language; return how many."""
    link = settings.SITE_URL + access_request.get_absolute_url()
    deciders = list(access_request_deciders(access_request))
    for user in deciders:
        with translation.override(user.language):
            subject = _("%(provider)s asks to work with %(factory)s") % {
                "provider": access_request.provider.name,
                "factory": access_request.factory.name,
            }
            context = {"request": access_request, "link": link, "user": user}
            _send(user, subject, "factories/email/access_requested.txt", context)
    return len(deciders)


def access_decided(access_request: AccessRequest) -> None:
    """Tell whoever asked what the factory decided, in their language."""
    user = access_request.requested_by
    if user is None or not user.is_active:
        return
    link = settings.SITE_URL + access_request.get_absolute_url()
    with translation.override(user.language):
        if access_request.status == AccessRequest.Status.APPROVED:
            subject = _("%(factory)s agreed to work with %(provider)s")
        else:
            subject = _("%(factory)s declined to work with %(provider)s")
        subject %= {
            "provider": access_request.provider.name,
            "factory": access_request.factory.name,
        }
        context = {"request": access_request, "link": link, "user": user}
        _send(user, subject, "factories/email/access_decided.txt", context)
