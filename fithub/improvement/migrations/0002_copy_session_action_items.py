"""Copy training's session action items into the factories' improvement plans.

Each `training.ActionPlanItem` becomes an item with source "session" in the plan of the
engagement through which its factory took part in the session (the factory's latest engagement
for a factory's own session that names none), keeping its group, text, who, due date, author
and creation time. training's 0002 then removes the old model.
"""

from django.db import migrations


def _engagement(Engagement, row):
    found = row.session.engagements.filter(factory_id=row.factory_id).order_by("pk").first()
    if found is None:
        found = Engagement.objects.filter(factory_id=row.factory_id).order_by("-cycle", "-pk").first()
    if found is None:
        raise RuntimeError(
            f"Session action item {row.pk}: factory {row.factory_id} has no engagement to hold "
            "its improvement plan. Record an engagement for it, then migrate again."
        )
    return found


def copy(apps, schema_editor):
    ActionPlanItem = apps.get_model("training", "ActionPlanItem")
    Engagement = apps.get_model("programmes", "Engagement")
    Plan = apps.get_model("improvement", "ImprovementPlan")
    Item = apps.get_model("improvement", "ImprovementItem")
    plans = {}
    rows = ActionPlanItem.objects.select_related("session").order_by("pk")
    for row in rows.iterator():
        engagement = _engagement(Engagement, row)
        plan = plans.get(engagement.pk)
        if plan is None:
            plan, _created = Plan.objects.get_or_create(
                engagement=engagement, defaults={"factory_id": engagement.factory_id}
            )
            plans[engagement.pk] = plan
        item = Item.objects.create(
            plan=plan,
            source="session",
            session_id=row.session_id,
            group_id=row.group_id,
            action=row.description,
            owner_name=row.owner_name,
            due_on=row.due_on,
            module_id=row.session.module_id,
            action_type="improvement",
            priority=3,
            status="open",
            created_by_id=row.created_by_id,
        )
        # auto_now_add set today's date: keep when the group decided it.
        Item.objects.filter(pk=item.pk).update(created_at=row.created_at)


def back(apps, schema_editor):
    ActionPlanItem = apps.get_model("training", "ActionPlanItem")
    Item = apps.get_model("improvement", "ImprovementItem")
    for item in Item.objects.filter(source="session", session__isnull=False).select_related(
        "plan"
    ):
        ActionPlanItem.objects.create(
            session_id=item.session_id,
            group_id=item.group_id,
            factory_id=item.plan.factory_id,
            description=item.action or item.issue,
            owner_name=item.owner_name,
            due_on=item.due_on,
            created_by_id=item.created_by_id,
        )
    Item.objects.filter(source="session").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0001_plans_items_evidence_sign_off"),
        ("training", "0001_sessions_participants_attendance"),
        ("programmes", "0004_price_and_sponsorship_names"),
    ]

    operations = [migrations.RunPython(copy, back)]
