"""The committee's panel on the factory page (the `factory-detail` slot of fithub/lib/slots.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from fithub.committees import selectors
from fithub.committees.models import Committee
from fithub.committees.scoping import committee_factories_for
from fithub.factories.models import Factory


def factory_committee(request: HttpRequest, factory: Factory) -> str | None:
    """Show the committee's summary and checks to whoever may see its business."""
    if not committee_factories_for(request.user).filter(pk=factory.pk).exists():
        return None
    committee = Committee.objects.filter(factory=factory).first()
    ctx = {
        "factory": factory,
        "committee": committee,
        "summary": selectors.committee_summary(committee) if committee else None,
        "can_record": committee_factories_for(request.user, write=True)
        .filter(pk=factory.pk)
        .exists(),
    }
    return render_to_string("committees/_factory_panel.html", ctx, request=request)
