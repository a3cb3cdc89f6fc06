"""Which certificates a user may see or change, and the public lookup by verification code."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import User
from fithub.certificates.models import Certificate
from fithub.certificates.services import normalise_code
from fithub.training.models import Session
from fithub.training.scoping import registrations_for, sessions_for


def certificates_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Certificate]:
    """Return the certificates of the people the user may see (or change) in their sessions.

    A certificate follows its registration (training's registrations_for, the one rule for a
    session's people): a factory's users see their own people's certificates, and in a
    classroom session shared by two factories never the other factory's.
    """
    registrations = registrations_for(user, write=write).values("pk")
    return Certificate.objects.filter(registration__in=registrations)


def certificate_sessions_for(user: User | AnonymousUser) -> QuerySet[Session]:
    """Return the sessions whose certificates page the user may open.

    Those the user may change (to issue certificates), and those in which they see at least
    one certificate (a factory's coordinator, manager or worker representative, who read).
    """
    return sessions_for(user).filter(
        Q(pk__in=sessions_for(user, write=True).values("pk"))
        | Q(pk__in=certificates_for(user).values("registration__session"))
    )


def certificate_by_code(code: str) -> Certificate | None:
    """Return the certificate with a code as typed or scanned, for anyone (the public check)."""
    # Anyone holding the paper knows the code; what the page and the API then show of it is
    # limited to what the paper shows (see views.verify).
    return (
        Certificate.objects.filter(code=normalise_code(code))
        .select_related(
            "registration__session__module",
            "registration__session__provider",
            "registration__session__organising_factory",
        )
        .first()
    )
