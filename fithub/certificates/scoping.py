"""Which certificates a user may see or change, and the public lookup by verification code."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fithub.accounts.models import User
from fithub.certificates.models import Certificate
from fithub.certificates.services import normalise_code
from fithub.training.scoping import sessions_for


def certificates_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Certificate]:
    """Return the certificates of the sessions the user may see (or change)."""
    sessions = sessions_for(user, write=write).values("pk")
    return Certificate.objects.filter(registration__session__in=sessions)


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
