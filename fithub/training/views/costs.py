"""What a session costs at a margin, and who pays for it (the sums: programmes/pricing.py)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fithub.programmes import pricing
from fithub.training import costs
from fithub.training.forms import SessionQuoteForm
from fithub.training.scoping import priced_sessions_for


@login_required
def session_cost(request: HttpRequest, pk: int) -> HttpResponse:
    qs = priced_sessions_for(request.user).select_related("module", "provider", "venue")
    session = get_object_or_404(qs, pk=pk)
    form = SessionQuoteForm(request.GET or None)
    margin, preparation = form.values()
    override = form.cleaned_data.get("participants") if form.is_bound and form.is_valid() else None
    registered = costs.registered_count(session)
    cost, prices = costs.session_breakdown(
        session,
        participants=registered if override is None else override,
        preparation_hours=preparation,
    )
    quote = pricing.quote(
        cost=cost.total, participants=cost.participants, margin=margin, currency=prices.currency
    )
    engagements = list(
        session.engagements.select_related("factory", "programme").prefetch_related(
            "sponsorships__sponsor"
        )
    )
    by_factory = dict(
        session.registrations.values_list("participant__factory_id").annotate(n=Count("pk"))
    )
    shares = []
    for engagement in engagements:
        share = pricing.session_share(
            from_factory=by_factory.get(engagement.factory_id, 0),
            registered=registered,
            engagements=len(engagements),
        )
        price = pricing.money(quote.price * share)
        coverage = pricing.coverage(price, engagement.sponsorships.all())
        shares.append((engagement, pricing.money(share * 100), price, coverage))
    ctx = {
        "session": session,
        "form": form,
        "cost": cost,
        "quote": quote,
        "registered": registered,
        "prices": prices,
        "shares": shares,
    }
    return render(request, "training/session_cost.html", ctx)
