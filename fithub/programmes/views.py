"""Programme and engagement pages."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.factories.scoping import factories_for
from fithub.lib import slots
from fithub.programmes import pricing, services
from fithub.programmes.forms import (
    CostItemsForm,
    EngagementForm,
    ProgrammeForm,
    QuoteForm,
    SponsorshipForm,
)
from fithub.programmes.models import Engagement, Programme
from fithub.programmes.scoping import (
    cost_providers_for,
    engagement_providers_for,
    engagements_for,
    programmes_for,
    sees_costs,
    sponsorship_engagements_for,
)


def _programme_for(request: HttpRequest, pk: int, write: bool = False) -> Programme:
    """Return the programme if the user may see it (or change it); else 404."""
    return get_object_or_404(programmes_for(request.user, write=write), pk=pk)


# What an engagement's pages show of it, fetched with it.
ENGAGEMENT_RELATED = ("programme", "factory", "provider", "coordinator")


def _engagement_for(request: HttpRequest, pk: int, write: bool = False) -> Engagement:
    """Return the engagement if the user may see it (or change it); else 404."""
    qs = engagements_for(request.user, write=write).select_related(*ENGAGEMENT_RELATED)
    return get_object_or_404(qs, pk=pk)


def _engagement_form(request: HttpRequest, provider_ids: list[int], **kw: Any) -> EngagementForm:
    programmes = programmes_for(request.user).filter(providers__in=provider_ids).distinct()
    factories = factories_for(request.user, write=True).order_by("name")
    coordinators = User.objects.filter(
        factory_memberships__factory__in=factories.values("pk")
    ).distinct()
    return EngagementForm(
        request.POST or None,
        programmes=programmes,
        factories=factories,
        coordinators=coordinators,
        **kw,
    )


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = programmes_for(request.user).select_related("owner")
    can_create = bool(roles_of(request.user).orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,)))
    return render(
        request, "programmes/list.html", {"programmes": programmes, "can_create": can_create}
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for(request, pk)
    engagements = (
        engagements_for(request.user)
        .filter(programme=programme)
        .select_related("factory", "provider")
    )
    ctx = {
        "programme": programme,
        "providers": programme.providers.all(),
        "engagements": engagements,
        "enterprises": engagements.values("factory").distinct().count(),
    }
    return render(request, "programmes/detail.html", ctx)


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    administered = roles_of(request.user).orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,))
    owners = Organisation.objects.filter(pk__in=administered).order_by("name", "pk")
    if not owners:
        raise PermissionDenied
    # Only an administrator of several owners chooses; the choice is checked against them.
    form = ProgrammeForm(request.POST or None, owners=owners if len(owners) > 1 else None)
    cast(ModelMultipleChoiceField, form.fields["providers"]).queryset = Organisation.objects.filter(
        kind=Kind.SERVICE_PROVIDER
    )
    if request.method == "POST" and form.is_valid():
        programme = services.programme_create(
            owner=form.cleaned_data.get("owner") or owners[0],  # chosen, or their only one
            providers=form.cleaned_data["providers"],
            details=services.ProgrammeDetails.from_mapping(form.cleaned_data),
        )
        messages.success(request, _("Programme created."))
        return redirect("programmes:detail", pk=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    qs = engagements_for(request.user).select_related("programme", "factory", "provider")
    page = Paginator(qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    can_create = roles_of(request.user).provider_admin
    return render(request, "programmes/engagements.html", {"page": page, "can_create": can_create})


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement_for(request, pk)
    can_edit = engagements_for(request.user, write=True).filter(pk=pk).exists()
    panels = slots.render("engagement-detail", request, engagement)
    ctx = {"e": engagement, "can_edit": can_edit, "panels": panels}
    return render(request, "programmes/engagement.html", ctx)


def _default_provider(
    request: HttpRequest, providers: list[Organisation], factory: str | None
) -> Organisation:
    """Return the provider to preselect: the one that registered the factory asked for, if any."""
    if len(providers) > 1 and factory and factory.isdigit():
        # Only a factory the user may open an engagement for says anything here.
        registered = factories_for(request.user, write=True).filter(pk=factory)
        found = registered.values_list("registered_by", flat=True).first()
        return next((p for p in providers if p.pk == found), providers[0])
    return providers[0]


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    allowed = engagement_providers_for(request.user)
    providers = list(allowed)
    if not providers:
        raise PermissionDenied
    factory = request.GET.get("factory")
    form = _engagement_form(
        request,
        [p.pk for p in providers],
        # Only an administrator of several providers chooses; the choice is checked against them.
        providers=allowed if len(providers) > 1 else None,
        initial={"factory": factory, "provider": _default_provider(request, providers, factory)},
    )
    if request.method == "POST" and form.is_valid():
        provider = form.cleaned_data.get("provider") or providers[0]
        try:
            engagement = services.engagement_create(
                provider=provider,
                by=request.user,  # type: ignore[arg-type]
                details=services.EngagementDetails.from_mapping(form.cleaned_data),
            )
        except services.ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Engagement created."))
            return redirect(engagement)
    return render(request, "programmes/engagement_form.html", {"form": form})


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement_for(request, pk, write=True)
    form = _engagement_form(request, [engagement.provider_id], instance=engagement)
    if request.method == "POST" and form.is_valid():
        try:
            details = services.EngagementDetails.of(engagement).changed(form.cleaned_data)
            services.engagement_update(engagement=engagement, by=request.user, details=details)  # type: ignore[arg-type]
        except services.ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(engagement)
    return render(request, "programmes/engagement_form.html", {"form": form, "e": engagement})


# --- pricing -------------------------------------------------------------------------------
# The sums and the decisions behind them are in programmes/pricing.py.


@login_required
def cost_items(request: HttpRequest) -> HttpResponse:
    providers = cost_providers_for(request.user).order_by("name")
    chosen = request.GET.get("provider", "")
    provider = (
        get_object_or_404(providers, pk=int(chosen)) if chosen.isdigit() else providers.first()
    )
    if provider is None:
        raise Http404
    can_edit = cost_providers_for(request.user, write=True).filter(pk=provider.pk).exists()
    if request.method == "POST" and not can_edit:
        raise Http404
    prices = pricing.prices_of(provider)
    initial: dict[str, Any] = {"currency": prices.currency, **prices.items}
    form = CostItemsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        currency = data.pop("currency")
        try:
            services.cost_items_update(
                provider=provider,
                amounts=data,
                currency=currency,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Prices saved."))
            return redirect(f"{request.path}?provider={provider.pk}")
    ctx = {
        "provider": provider,
        "providers": providers,
        "form": form,
        "prices": prices,
        "can_edit": can_edit,
    }
    return render(request, "programmes/pricing_costs.html", ctx)


def _engagement_cost_page(
    request: HttpRequest, engagement: Engagement, sponsor_form: SponsorshipForm | None = None
) -> HttpResponse:
    full = sees_costs(request.user, engagement)
    can_edit = sponsorship_engagements_for(request.user).filter(pk=engagement.pk).exists()
    sponsorships = list(engagement.sponsorships.select_related("sponsor").order_by("sponsor__name"))
    ctx: dict[str, Any] = {
        "e": engagement,
        "full": full,
        "can_edit": can_edit,
        "sponsorships": sponsorships,
        "factory_percent": max(0, 100 - sum(s.share_percent for s in sponsorships)),
    }
    if full:
        form = QuoteForm(request.GET or None)
        margin, preparation = form.values()
        breakdown, currency = pricing.engagement_breakdown(
            engagement, preparation_hours=preparation
        )
        quote = pricing.quote(
            cost=breakdown.total,
            participants=breakdown.participants,
            margin=margin,
            currency=currency,
        )
        ctx |= {
            "form": form,
            "breakdown": breakdown,
            "quote": quote,
            "coverage": pricing.coverage(quote.price, sponsorships),
        }
    if can_edit:
        ctx["sponsor_form"] = sponsor_form or SponsorshipForm(engagement=engagement)
    return render(request, "programmes/pricing_engagement.html", ctx)


@login_required
def engagement_cost(request: HttpRequest, pk: int) -> HttpResponse:
    return _engagement_cost_page(request, _engagement_for(request, pk))


def _sponsored_engagement_for(request: HttpRequest, pk: int) -> Engagement:
    """Return the engagement if the user may add and remove its sponsors; else 404."""
    qs = sponsorship_engagements_for(request.user).select_related(*ENGAGEMENT_RELATED)
    return get_object_or_404(qs, pk=pk)


@login_required
@require_POST
def sponsorship_add(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _sponsored_engagement_for(request, pk)
    form = SponsorshipForm(request.POST, engagement=engagement)
    if form.is_valid():
        try:
            services.sponsorship_add(
                engagement=engagement,
                sponsor=form.cleaned_data["sponsor"],
                share_percent=form.cleaned_data["share_percent"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sponsor added."))
            return redirect("programmes:engagement-cost", pk=engagement.pk)
    return _engagement_cost_page(request, engagement, form)


@login_required
@require_POST
def sponsorship_remove(request: HttpRequest, pk: int, sponsorship: int) -> HttpResponse:
    engagement = _sponsored_engagement_for(request, pk)
    found = get_object_or_404(engagement.sponsorships, pk=sponsorship)
    services.sponsorship_remove(sponsorship=found, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Sponsor removed."))
    return redirect("programmes:engagement-cost", pk=engagement.pk)
