"""Demo improvement plans for the Karachi pilot, at different stages, and adoption follow-ups.

Runs after the demo training (seed_training), whose sessions' action items started the plans:
Sahil Stitchcraft's plan is well on (items verified against photos, one returned and fixed,
one dropped, a typed-in critical item, the workers' side signed); Gul Bahar's has items done
and waiting for the advisor; Kehkashan's has only just started. The follow-ups of the held
sessions were scheduled when they were held; the ones already due are answered here, except
one left overdue. Evidence photos are drawn here (Pillow): no real factory is shown.
"""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from fithub.accounts.models import FactoryMembership, User
from fithub.improvement import services
from fithub.improvement.models import AdoptionFollowUp, ImprovementItem, ImprovementPlan
from fithub.programmes.models import Engagement


def photo(label: str, *, after: bool, name: str) -> SimpleUploadedFile:
    """Draw a small made-up photo: a factory aisle, blocked before and clear after."""
    image = Image.new("RGB", (640, 480), (214, 208, 196))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 640, 480), fill=(120, 118, 112))  # the floor
    draw.rectangle((250, 90, 390, 330), fill=(46, 125, 50))  # the exit door
    draw.rectangle((275, 60, 365, 85), fill=(27, 94, 32))  # its sign
    draw.text((288, 66), "EXIT", fill=(255, 255, 255))
    if after:
        draw.line((250, 400, 390, 400), fill=(255, 214, 0), width=8)  # a marked walkway
    else:
        for i in range(4):  # bales in the way
            x = 210 + i * 55
            draw.rectangle((x, 250 - i % 2 * 40, x + 70, 330), fill=(161, 136, 127))
    draw.rectangle((0, 0, 640, 40), fill=(33, 33, 33))
    draw.text((12, 12), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _login(factory_id: int, role: str) -> User | None:
    membership = FactoryMembership.objects.filter(factory_id=factory_id, role=role).first()
    return membership.user if membership else None


def _plan(engagement: Engagement) -> ImprovementPlan:
    return services.plan_for(engagement=engagement, by=None)


def _items(plan: ImprovementPlan) -> list[ImprovementItem]:
    # The classroom session's items: the compliance demo's findings move on by their own rules.
    return list(plan.items.filter(source=ImprovementItem.Source.SESSION).order_by("pk"))


def seed(*, engagements: list[Engagement], facilitator: User, today: date) -> list[str]:
    """Move the plans of the demo engagements on; return a line about each."""
    sahil, gul_bahar, kehkashan = engagements
    lines = [
        _well_on(_plan(sahil), facilitator, today),
        _waiting(_plan(gul_bahar), facilitator),
        f"Improvement plan of {kehkashan.factory.name}: just started "
        f"({_plan(kehkashan).items.count()} open items from the classroom session)",
    ]
    lines.append(_followups([sahil, gul_bahar, kehkashan], facilitator, today))
    return lines


def _well_on(plan: ImprovementPlan, advisor: User, today: date) -> str:
    coordinator = _login(plan.factory_id, "coordinator")
    items = _items(plan)
    team = list(plan.factory.team.order_by("pk"))
    critical = services.item_create(
        plan=plan,
        by=coordinator,
        details=services.ItemDetails(
            issue="Fire exit at the end of line 4 blocked by fabric bales",
            root_cause="No marked place to store bales from the cutting section",
            action="Mark a storage area beside cutting and keep the aisle to exit 2 clear",
            action_type=ImprovementItem.ActionType.CORRECTIVE,
            owner=team[0] if team else None,
            department="cutting",
            due_on=today + timedelta(days=10),
            priority=ImprovementItem.Priority.CRITICAL,
            kpi="Exits found blocked at the weekly walk",
        ),
    )
    services.evidence_add(
        item=critical,
        upload=photo("Before: exit 2 blocked", after=False, name="exit-before.jpg"),
        stage="before",
        caption="Exit 2, as found at the advisory visit",
        by=advisor,
    )
    services.item_start(item=critical, by=coordinator)
    services.item_done(item=critical, by=coordinator, reason="Storage area painted on the floor")
    services.evidence_add(
        item=critical,
        upload=photo("After: walkway marked, exit clear", after=True, name="exit-after.jpg"),
        stage="after",
        caption="The aisle to exit 2, two weeks later",
        by=coordinator,
    )
    services.item_verify(
        item=critical, by=advisor, reason="Seen clear at two visits; the photo matches."
    )
    verified, returned, dropped = items[0], items[1], items[2]
    services.item_done(item=verified, by=coordinator)
    services.evidence_add(
        item=verified,
        upload=photo("After: board posted at the gate", after=True, name="board.jpg"),
        stage="after",
        by=coordinator,
    )
    services.item_verify(item=verified, by=advisor, reason="Checked on the notice board.")
    services.item_done(item=returned, by=coordinator)
    services.item_return(
        item=returned,
        by=advisor,
        reason="Only one line does it so far; send a photo of the log from every line.",
    )
    services.item_drop(
        item=dropped, by=coordinator, reason="Same as the critical exit item; kept there."
    )
    # Returned once, fixed, then verified: the whole round trip in one item's history.
    fixed = items[3]
    services.item_done(item=fixed, by=coordinator)
    services.item_return(item=fixed, by=advisor, reason="The photo shows another line.")
    services.item_done(item=fixed, by=coordinator, reason="Photo of line 2 added")
    services.evidence_add(
        item=fixed,
        upload=photo("After: line 2", after=True, name="line-2.jpg"),
        stage="after",
        by=coordinator,
    )
    services.item_verify(item=fixed, by=advisor, reason="Right line this time.")
    for item in items[4:6]:
        services.item_start(item=item, by=coordinator)
    rep = _login(plan.factory_id, "worker_rep")
    if rep is not None:
        services.comment_add(item=returned, text="Line 3 keeps the log too since Monday.", by=rep)
        services.plan_sign_off(plan=plan, side="worker_rep", by=rep)
    return (
        f"Improvement plan of {plan.factory.name}: {plan.items.count()} items, verified and "
        "returned ones with photos, signed by the workers' side"
    )


def _waiting(plan: ImprovementPlan, advisor: User) -> str:
    for item in _items(plan)[:3]:
        services.item_done(item=item, by=None, reason="Done on the floor")
        services.evidence_add(
            item=item,
            upload=photo("After: done", after=True, name="done.jpg"),
            stage="after",
            by=None,
        )
    services.comment_add(item=_items(plan)[0], text="I will check at Thursday's visit.", by=advisor)
    return f"Improvement plan of {plan.factory.name}: 3 items done, waiting for the advisor"


def _followups(engagements: list[Engagement], advisor: User, today: date) -> str:
    """Answer the follow-ups that are open already, leaving Kehkashan's overdue one unanswered."""
    opens = today + timedelta(days=services.FOLLOWUP_OPENS_DAYS)
    answers = {engagements[0].pk: "yes", engagements[1].pk: "partly"}
    answered = 0
    for followup in AdoptionFollowUp.objects.filter(
        engagement__in=list(answers), due_on__lte=opens, in_use=""
    ).order_by("pk"):
        services.followup_answer(
            followup=followup,
            answer=services.FollowUpAnswer(
                in_use=answers[followup.engagement_id],
                note="Seen at the advisory visit; the line supervisors keep it up.",
            ),
            evidence=photo("Follow-up visit", after=True, name="followup.jpg"),
            by=advisor,
        )
        answered += 1
    return f"Adoption follow-ups: {answered} answered, the rest due later or overdue"
