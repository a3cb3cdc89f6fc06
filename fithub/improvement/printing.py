"""Print an improvement plan in the reader's language: its items by status, sign-off, adoption.

The labels (statuses, types, headings) are in the language asked for; what users wrote (the
issue, the action, an owner's name, a reason) stays as written, isolated so that it keeps its
own direction inside an Urdu page and an Urdu text inside an English one.
"""

from dataclasses import dataclass

from django.utils import timezone, translation

from fithub.improvement import selectors
from fithub.improvement.models import ImprovementItem, ImprovementPlan
from fithub.lib.pdf import render_pdf

# Unicode's first-strong isolate and its end (WeasyPrint has no dir="auto"), as in
# assessment/printing.py.
FSI, PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    return f"{FSI}{text}{PDI}" if text else ""


@dataclass(frozen=True)
class PrintedItem:
    item: ImprovementItem
    issue: str
    action: str
    root_cause: str
    who: str


def plan_pdf(
    *,
    plan: ImprovementPlan,
    items: list[ImprovementItem],
    rates: list[selectors.Rate],
    language: str,
) -> bytes:
    """Render the plan (the items and rates given, already scoped and filtered) as a PDF."""
    with translation.override(language):  # the columns' labels are made here, not later
        board = [
            (column, [_printed(item) for item in column.items])
            for column in selectors.board(items)
            if column.items
        ]
    context = {
        "plan": plan,
        "factory_name": isolate(plan.factory.name),
        "programme": isolate(plan.engagement.programme.name),
        "provider": isolate(plan.engagement.provider.name),
        "board": board,
        "total": len(items),
        "standing": [
            (s.get_side_display(), isolate(str(s.signed_by or "")), s.signed_at)
            for s in plan.standing_sign_offs().values()
        ],
        "rates": rates,
        "today": timezone.localdate(),
    }
    return render_pdf(template="improvement/pdf/plan.html", context=context, language=language)


def _printed(item: ImprovementItem) -> PrintedItem:
    return PrintedItem(
        item=item,
        issue=isolate(item.issue),
        action=isolate(item.action),
        root_cause=isolate(item.root_cause),
        who=isolate(item.who),
    )
