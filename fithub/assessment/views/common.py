"""What every needs-assessment page shares: the access helpers, and the PDF response."""

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind
from fithub.accounts.scoping import organisations_of_kind
from fithub.assessment.models import (
    Assessment,
    QuestionnaireVersion,
    Section,
    Statement,
)
from fithub.assessment.scoping import (
    assessed_factories_for,
    assessments_for,
    versions_for,
)
from fithub.factories.models import Factory
from fithub.lib.i18n import language_codes

PDF_TYPE = "application/pdf"


# --- access helpers ------------------------------------------------------------------------


def _assessment_for(request: HttpRequest, pk: int, write: bool = False) -> Assessment:
    """Return the assessment if the user may see it (or answer it, with write=True); else 404."""
    qs = assessments_for(request.user, write=write).select_related(
        "factory", "version__questionnaire", "engagement__provider", "engagement__programme"
    )
    return get_object_or_404(qs, pk=pk)


def _version_for(request: HttpRequest, pk: int, write: bool = False) -> QuestionnaireVersion:
    """Return the questionnaire version if the user may see it (or edit it); else 404."""
    qs = versions_for(request.user, write=write).select_related("questionnaire__owner")
    return get_object_or_404(qs, pk=pk)


def _draft_for(request: HttpRequest, pk: int) -> QuestionnaireVersion:
    """Return the draft version the user may edit; else 404 (a published version never changes)."""
    version = _version_for(request, pk, write=True)
    if not version.is_editable:
        raise Http404
    return version


def _section_for(request: HttpRequest, pk: int) -> Section:
    """Return the section of a draft version the user may edit; else 404."""
    versions = versions_for(request.user, write=True).filter(
        status=QuestionnaireVersion.Status.DRAFT
    )
    qs = Section.objects.filter(version__in=versions.values("pk")).select_related(
        "version__questionnaire"
    )
    return get_object_or_404(qs, pk=pk)


def _statement_for(request: HttpRequest, pk: int) -> Statement:
    """Return the statement of a draft version the user may edit; else 404."""
    versions = versions_for(request.user, write=True).filter(
        status=QuestionnaireVersion.Status.DRAFT
    )
    qs = Statement.objects.filter(section__version__in=versions.values("pk")).select_related(
        "section__version__questionnaire"
    )
    return get_object_or_404(qs, pk=pk)


def _owners(request: HttpRequest, *, write: bool = False) -> list[Organisation]:
    """Return the programme owners the user works for (administers, with write); or 404."""
    owners = list(organisations_of_kind(request.user, Kind.PROGRAMME_OWNER, admin=write))
    if not owners:
        raise Http404
    return owners


def _owner_org(request: HttpRequest, *, write: bool = False) -> Organisation:
    """Return the programme owner the user acts for: their one, or the one chosen (`owner` in
    the query or the form) among several, first by name until they choose."""
    owners = _owners(request, write=write)
    chosen = request.POST.get("owner") or request.GET.get("owner")
    if chosen:
        found = next((o for o in owners if str(o.pk) == chosen), None)
        if found is None:
            raise Http404
        return found
    return owners[0]


def _factory_for(request: HttpRequest, pk: int, write: bool = False) -> Factory:
    """Return the factory if the user sees its assessments (or answers them); else 404."""
    return get_object_or_404(assessed_factories_for(request.user, write=write), pk=pk)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _user(request: HttpRequest) -> User:
    # login_required let only users in.
    return cast(User, request.user)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _pdf_language(request: HttpRequest, default: str) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in language_codes() else default
