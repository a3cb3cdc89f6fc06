"""Improvement plan pages: the plan (board and list), an item with its history, evidence and
comments, and the session's action items (added from the session page)."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fithub.accounts.models import User
from fithub.assessment.models import Answer
from fithub.assessment.scoping import assessments_for
from fithub.catalogue.scoping import modules_for
from fithub.committees.scoping import decisions_for
from fithub.factories.models import Factory
from fithub.improvement import exports, panels, printing, selectors, services
from fithub.improvement.forms import (
    CommentForm,
    EvidenceForm,
    FilterForm,
    ItemForm,
    ReasonForm,
    SessionItemForm,
)
from fithub.improvement.models import ImprovementItem, ImprovementPlan, ItemEvidence, Status
from fithub.improvement.scoping import (
    commentable_items_for,
    edits_plans_of,
    evidence_items_for,
    followups_for,
    items_for,
    plans_for,
    sees_plans,
    sign_off_sides_for,
    verifiable_items_for,
)
from fithub.lib import pdf
from fithub.lib.evidence import evidence_response
from fithub.lib.i18n import language_codes
from fithub.programmes.scoping import engagements_for
from fithub.training.scoping import sessions_for
from fithub.training.services import session_factory_ids

# Who makes each move: the factory's editors, or the provider's advisors.
FACTORY_MOVES = {"start", "done", "drop"}
ADVISOR_MOVES = {"verify", "return"}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required let only users in


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _plan_for(request: HttpRequest, pk: int, *, write: bool = False) -> ImprovementPlan:
    """Return the plan if the user may see it (or change it, write=True); else 404."""
    qs = selectors.plans(plans_for(request.user, write=write))
    return get_object_or_404(qs, pk=pk)


def _item_for(request: HttpRequest, pk: int, *, act: str = "read") -> ImprovementItem:
    """Return the item if the user may act on it so (read, write, verify, comment, evidence)."""
    qs = {
        "read": items_for(request.user),
        "write": items_for(request.user, write=True),
        "verify": verifiable_items_for(request.user),
        "comment": commentable_items_for(request.user),
        "evidence": evidence_items_for(request.user),
    }[act]
    # Each of these is within what the user reads: anything else answers 404 alike.
    return get_object_or_404(qs.select_related("plan__factory"), pk=pk)


def _team(plan: ImprovementPlan) -> Any:
    return plan.factory.team.order_by("name")


# --- the plan --------------------------------------------------------------------------------


@require_POST
@login_required
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the improvement plan of an engagement (the factory's coordinator or manager)."""
    engagement = get_object_or_404(engagements_for(request.user), pk=pk)
    if not edits_plans_of(request.user, engagement.factory_id):
        raise Http404
    plan = services.plan_for(engagement=engagement, by=_user(request))
    return redirect(plan)


def _filtered(plan: ImprovementPlan, form: FilterForm) -> QuerySet[ImprovementItem]:
    qs = plan.items.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["source"]:
            qs = qs.filter(source=data["source"])
        if data["owner"]:
            qs = qs.filter(owner=data["owner"])
        if data["overdue"]:
            qs = qs.filter(
                due_on__lt=timezone.localdate(),
                status__in=[Status.OPEN, Status.IN_PROGRESS, Status.RETURNED],
            )
    return qs


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every plan the user may see, with its items counted by status, a page at a time."""
    if not sees_plans(request.user):
        raise Http404
    qs = selectors.plans(plans_for(request.user)).order_by("factory__name", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = selectors.plan_counts(list(page.object_list))
    rows = [(plan, counts[plan.pk], sum(counts[plan.pk].values())) for plan in page.object_list]
    return render(request, "improvement/plans.html", {"page": page, "rows": rows, "query": ""})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a board by status, or as a list; filtered by status, source, owner."""
    plan = _plan_for(request, pk)
    form = FilterForm(request.GET or None, team=_team(plan))
    rows = list(selectors.items(_filtered(plan, form)))
    can_edit = edits_plans_of(request.user, plan.factory_id)
    view = "list" if request.GET.get("view") == "list" else "board"
    ctx = {
        "plan": plan,
        "form": form,
        "items": rows,
        "board": selectors.board(rows),
        "view": view,
        "query": request.GET.urlencode(),
        "can_edit": can_edit,
        "sides": sign_off_sides_for(request.user, plan),
        "standing": plan.standing_sign_offs(),
        "today": timezone.localdate(),
        "rates": _adoption(request, plan),
    }
    return render(request, "improvement/plan.html", ctx)


@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The plan's items, filtered as on the page, as CSV or Excel (?format=xlsx)."""
    plan = _plan_for(request, pk)
    form = FilterForm(request.GET or None, team=_team(plan))
    items = selectors.items(_filtered(plan, form)).order_by("priority", "due_on", "pk")
    if request.GET.get("format") == "xlsx":
        return exports.export_xlsx(plan, items)
    return exports.export_csv(plan, items)


def _adoption(request: HttpRequest, plan: ImprovementPlan) -> list[selectors.Rate]:
    """The plan's adoption rates by module, from the follow-ups the reader may see."""
    qs = followups_for(request.user).filter(engagement=plan.engagement_id)
    return selectors.adoption_rates(qs, by="module", today=timezone.localdate())


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan, filtered as on the page, printed in the reader's language (or ?lang=)."""
    plan = _plan_for(request, pk)
    if pdf.unavailable_reason():
        messages.error(request, _("Printing is not available on this server yet."))
        return redirect(plan)
    lang = request.GET.get("lang", "")
    language = lang if lang in language_codes() else translation.get_language() or "en"
    form = FilterForm(request.GET or None, team=_team(plan))
    items = list(selectors.items(_filtered(plan, form)))
    content = printing.plan_pdf(
        plan=plan, items=items, rates=_adoption(request, plan), language=language
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="improvement-plan-{plan.pk}-{language}.pdf"'
    )
    return response


@require_POST
@login_required
def plan_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    side = request.POST.get("side", "")
    if side not in sign_off_sides_for(request.user, plan):
        raise Http404
    try:
        services.plan_sign_off(plan=plan, side=side, by=_user(request))
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You signed off the plan."))
    return redirect(plan)


# --- items -----------------------------------------------------------------------------------


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, write=True)
    form = ItemForm(request.POST or None, team=_team(plan), modules=modules_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                plan=plan,
                details=services.ItemDetails.from_mapping(form.cleaned_data),
                by=_user(request),
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Item added to the plan."))
            return redirect(item)
    return render(request, "improvement/item_form.html", {"form": form, "plan": plan})


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, act="write")
    if item.is_closed:
        raise Http404
    plan = item.plan
    form = ItemForm(
        request.POST or None,
        instance=item,
        team=_team(plan),
        modules=modules_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=ImprovementItem.objects.get(pk=item.pk),
                details=services.ItemDetails.from_mapping(form.cleaned_data),
                by=_user(request),
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Item saved."))
            return redirect(item)
    ctx = {"form": form, "plan": plan, "item": item}
    return render(request, "improvement/item_form.html", ctx)


def _can(request: HttpRequest, item: ImprovementItem) -> dict[str, bool]:
    """What the reader may do with the item, for the page's buttons."""
    pk = item.pk
    edit = items_for(request.user, write=True).filter(pk=pk).exists()
    verify = verifiable_items_for(request.user).filter(pk=pk).exists()
    starts = {move: item.status in services.MOVES[move][0] for move in services.MOVES}
    return {
        "edit": edit and not item.is_closed,
        "start": edit and starts["start"],
        "done": edit and starts["done"],
        "drop": edit and starts["drop"],
        "verify": verify and starts["verify"],
        "return": verify and starts["return"],
        "comment": commentable_items_for(request.user).filter(pk=pk).exists(),
        "evidence": (edit or verify) and item.status != Status.DROPPED,
    }


@login_required
def item_detail(request: HttpRequest, pk: int, **forms_: Any) -> HttpResponse:
    """An item with its source, history of moves, evidence and comments."""
    found = _item_for(request, pk)
    item = selectors.item_detail(ImprovementItem.objects.filter(pk=found.pk)).get()
    can = _can(request, item)
    ctx = {
        "item": item,
        "plan": item.plan,
        "can": can,
        "reason_form": ReasonForm(),
        "evidence_form": EvidenceForm(),
        "comment_form": CommentForm(),
        **forms_,
    }
    return render(request, "improvement/item.html", ctx)


@require_POST
@login_required
def item_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    if move not in services.MOVES:
        raise Http404
    item = _item_for(request, pk, act="write" if move in FACTORY_MOVES else "verify")
    form = ReasonForm(request.POST)
    form.is_valid()
    act = {
        "start": services.item_start,
        "done": services.item_done,
        "verify": services.item_verify,
        "return": services.item_return,
        "drop": services.item_drop,
    }[move]
    try:
        act(item=item, by=_user(request), reason=form.cleaned_data.get("reason", ""))
    except ValidationError as e:
        _add_errors(form, e)
        return item_detail(request, item.pk, reason_form=form, failed_move=move)
    messages.success(request, _("Status changed."))
    return redirect(item)


@require_POST
@login_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, act="evidence")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                item=item,
                upload=form.cleaned_data["file"],
                stage=form.cleaned_data["stage"],
                caption=form.cleaned_data["caption"],
                by=_user(request),
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Evidence added."))
            return redirect(reverse("improvement:item", args=[item.pk]) + "#evidence")
    return item_detail(request, item.pk, evidence_form=form)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file to whoever may see its item, and nobody else."""
    evidence = get_object_or_404(
        ItemEvidence.objects.filter(item__in=items_for(request.user).values("pk")), pk=pk
    )
    return evidence_response(evidence.file)


@require_POST
@login_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, act="comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(item=item, text=form.cleaned_data["text"], by=_user(request))
        if _is_htmx(request):
            fresh = selectors.item_detail(ImprovementItem.objects.filter(pk=item.pk)).get()
            ctx = {"item": fresh, "can": _can(request, fresh), "comment_form": CommentForm()}
            return render(request, "improvement/item.html#comments", ctx)
        return redirect(reverse("improvement:item", args=[item.pk]) + "#comments")
    return item_detail(request, item.pk, comment_form=form)


# --- a session's action items ----------------------------------------------------------------


@require_POST
@login_required
def session_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add what a group decided to the action plan, from the session page."""
    session = get_object_or_404(sessions_for(request.user, write=True), pk=pk)
    form: SessionItemForm | None = SessionItemForm(
        request.POST,
        groups=session.groups.all(),
        factories=Factory.objects.filter(pk__in=session_factory_ids(session)),
    )
    assert form is not None
    if form.is_valid():
        try:
            services.session_item_add(session=session, by=_user(request), **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Improvement added to the action plan."))
            form = None
    if _is_htmx(request):
        return HttpResponse(panels.session_items(request, session, form=form))
    if form is not None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(reverse("training:session", args=[session.pk]) + "#action-items")


@require_POST
@login_required
def item_from_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Act on a statement the factory answered "no": an item in its engagement's plan."""
    answer = get_object_or_404(
        Answer.objects.select_related("assessment", "statement"),
        pk=pk,
        assessment__in=assessments_for(request.user),
        assessment__engagement__in=engagements_for(request.user),
    )
    if not edits_plans_of(request.user, answer.assessment.factory_id):
        raise Http404
    engagement = answer.assessment.engagement
    assert engagement is not None  # the query above requires one
    plan = services.plan_for(engagement=engagement, by=_user(request))
    try:
        item = services.item_from_statement(plan=plan, answer=answer, by=_user(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(answer.assessment)
    messages.success(request, _("Item added to the plan."))
    return redirect(item)


@require_POST
@login_required
def item_from_decision(request: HttpRequest, pk: int, engagement_pk: int) -> HttpResponse:
    """Turn a committee decision into an item of the chosen engagement's plan (once)."""
    decision = get_object_or_404(
        decisions_for(request.user).select_related("committee", "meeting"), pk=pk
    )
    factory_id = decision.committee.factory_id
    if not edits_plans_of(request.user, factory_id):
        raise Http404
    engagement = get_object_or_404(
        engagements_for(request.user).filter(factory_id=factory_id), pk=engagement_pk
    )
    plan = services.plan_for(engagement=engagement, by=_user(request))
    try:
        item = services.item_from_decision(plan=plan, decision=decision, by=_user(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(decision.meeting)
    messages.success(request, _("Item added to the plan."))
    return redirect(item)
