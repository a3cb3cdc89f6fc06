"""Schedule the adoption follow-ups of the sessions held before follow-ups existed."""

import calendar
from datetime import date

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _add_months(day: date, months: int) -> date:
    # As services.add_months, copied: a migration must not change when the code does.
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def schedule(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Session = apps.get_model("training", "Session")
    FollowUp = apps.get_model("improvement", "AdoptionFollowUp")
    rows = []
    for session in Session.objects.filter(status="held").prefetch_related("engagements"):
        for engagement in session.engagements.all():
            for months in (1, 3):
                rows.append(
                    FollowUp(
                        engagement_id=engagement.pk,
                        factory_id=engagement.factory_id,
                        session_id=session.pk,
                        months=months,
                        due_on=_add_months(session.date, months),
                    )
                )
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("improvement", "0003_adoption_followups_reminder_digests")]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
