"""The access helpers every committee view starts with, and small shared pieces."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from fithub.accounts.models import User
from fithub.committees.models import Committee, Election, Meeting, Member, Review
from fithub.committees.scoping import (
    committee_factories_for,
    committees_for,
    elections_for,
    meetings_for,
    members_for,
    reviews_for,
)
from fithub.factories.models import Factory

PAGE_SIZE = 50


def committee_for(request: HttpRequest, pk: int, *, write: bool = False) -> Committee:
    """Return the committee if the user may see it (or record for it, write=True); else 404."""
    qs = committees_for(request.user, write=write).select_related("factory")
    return get_object_or_404(qs, pk=pk)


def factory_for(request: HttpRequest, pk: int, *, write: bool = False) -> Factory:
    return get_object_or_404(committee_factories_for(request.user, write=write), pk=pk)


def member_for(request: HttpRequest, pk: int, *, write: bool = False) -> Member:
    qs = members_for(request.user, write=write).select_related("committee__factory")
    return get_object_or_404(qs, pk=pk)


def election_for(request: HttpRequest, pk: int, *, write: bool = False) -> Election:
    qs = elections_for(request.user, write=write).select_related("committee__factory", "guided_by")
    return get_object_or_404(qs, pk=pk)


def meeting_for(request: HttpRequest, pk: int, *, write: bool = False) -> Meeting:
    qs = meetings_for(request.user, write=write).select_related("committee__factory")
    return get_object_or_404(qs, pk=pk)


def review_for(request: HttpRequest, pk: int) -> Review:
    qs = reviews_for(request.user).select_related("committee__factory")
    return get_object_or_404(qs, pk=pk)


def can_record(request: HttpRequest, committee: Committee) -> bool:
    """Whether the user records this committee's business (the factory's coordinator, manager)."""
    return (
        committee_factories_for(request.user, write=True).filter(pk=committee.factory_id).exists()
    )


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def acting_user(request: HttpRequest) -> User:
    # login_required let only users in.
    return cast(User, request.user)


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's errors next to the form's fields, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
