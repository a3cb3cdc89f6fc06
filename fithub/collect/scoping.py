"""The one place that decides who imports offline submissions and who reads an import's report."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fithub.accounts.models import User
from fithub.assessment.models import QuestionnaireVersion
from fithub.assessment.scoping import assessed_factories_for, versions_for
from fithub.collect.models import SubmissionImport


def may_import(user: User | AnonymousUser) -> bool:
    """Whether the user imports submissions: whoever records assessments for some factory."""
    return assessed_factories_for(user, write=True).exists()


def importable_versions_for(user: User | AnonymousUser) -> QuerySet[QuestionnaireVersion]:
    """Return the published questionnaire versions the user may import submissions into."""
    return versions_for(user).filter(status=QuestionnaireVersion.Status.PUBLISHED)


def submission_imports_for(user: User | AnonymousUser) -> QuerySet[SubmissionImport]:
    """Return the imports whose progress and report the user reads: their own uploads only.

    A report names factories by the uploader's own access, so nobody else reads it.
    """
    if not user.is_authenticated:
        return SubmissionImport.objects.none()
    return SubmissionImport.objects.filter(created_by=user)
