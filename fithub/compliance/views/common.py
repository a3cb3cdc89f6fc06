"""What every compliance page starts from: the access helpers, which apply scoping.py."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from fithub.accounts.models import User
from fithub.compliance.models import ComplianceAssessment, ToolVersion
from fithub.compliance.scoping import assessments_for, versions_for


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required let only users in


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def assessment_for(request: HttpRequest, pk: int, *, write: bool = False) -> ComplianceAssessment:
    """Return the assessment if the user may see it (or answer it, write=True); else 404."""
    qs = assessments_for(request.user, write=write).select_related(
        "factory", "engagement__programme", "engagement__provider", "version__tool"
    )
    return get_object_or_404(qs, pk=pk)


def version_for(request: HttpRequest, pk: int, *, write: bool = False) -> ToolVersion:
    """Return the tool version if the user may see it (or edit it, write=True); else 404."""
    return get_object_or_404(
        versions_for(request.user, write=write).select_related("tool__owner"), pk=pk
    )
