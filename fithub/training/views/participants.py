"""Participant pages: the people a factory sends to sessions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fithub.factories.models import Factory
from fithub.training import selectors, services
from fithub.training.forms import (
    ParticipantForm,
    SearchForm,
)
from fithub.training.models import Participant
from fithub.training.scoping import (
    participant_factories_for,
    participants_for,
    sees_training,
    sessions_for,
)
from fithub.training.views.common import (
    _add_errors,
    _is_htmx,
    _participant_for,
    _user,
)

PAGE_SIZE = 50


# --- participants --------------------------------------------------------------------------


@login_required
def participant_list(request: HttpRequest) -> HttpResponse:
    if not sees_training(request.user):
        raise Http404
    qs = participants_for(request.user).select_related("factory")
    form = SearchForm(request.GET or None)
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        qs = qs.filter(Q(name__icontains=q) | Q(phone__icontains=q))
    if (factory := request.GET.get("factory", "")).isdigit():
        qs = qs.filter(factory=int(factory))
    page = Paginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "can_create": participant_factories_for(request.user, write=True).exists(),
    }
    template = (
        "training/participants.html#results" if _is_htmx(request) else "training/participants.html"
    )
    return render(request, template, ctx)


@login_required
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_for(request, pk)
    ctx = {
        "participant": participant,
        "history": selectors.history(participant, sessions_for(request.user)),
        "can_edit": participants_for(request.user, write=True).filter(pk=pk).exists(),
    }
    return render(request, "training/participant.html", ctx)


@login_required
def participant_create(request: HttpRequest) -> HttpResponse:
    factories = participant_factories_for(request.user, write=True).order_by("name")
    if not factories.exists():
        raise Http404
    initial: dict[str, Any] = {"language": request.LANGUAGE_CODE}
    if (pk := request.GET.get("factory", "")).isdigit():
        initial["factory"] = int(pk)
    form = ParticipantForm(
        request.POST or None, initial=initial, factories=factories, duplicates=True
    )
    duplicates: list[Participant] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        factory = data.pop("factory")
        confirmed = data.pop("confirm_new", False)
        duplicates = list(services.participant_duplicates(factory=factory, name=data["name"])[:5])
        if duplicates and not confirmed:
            form.add_error(
                "name",
                _(
                    "Someone of this name is already recorded at this factory. Open their "
                    "record below, or tick the box if this is another person."
                ),
            )
        else:
            try:
                participant = services.participant_create(
                    factory=factory,
                    by=_user(request),
                    details=services.ParticipantDetails.from_mapping(data),
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, _("%(name)s is recorded.") % {"name": participant.name})
                return redirect("training:participant", participant.pk)
    ctx = {"form": form, "duplicates": duplicates}
    return render(request, "training/participant_form.html", ctx)


@login_required
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_for(request, pk, write=True)
    form = ParticipantForm(
        request.POST or None,
        instance=participant,
        factories=Factory.objects.filter(pk=participant.factory_id),
    )
    if request.method == "POST" and form.is_valid():
        fresh = Participant.objects.get(pk=pk)
        details = services.ParticipantDetails.of(fresh).changed(form.cleaned_data)
        try:
            services.participant_update(participant=fresh, by=_user(request), details=details)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:participant", pk)
    ctx = {"form": form, "participant": participant}
    return render(request, "training/participant_form.html", ctx)
