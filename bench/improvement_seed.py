#!/usr/bin/env python
"""Give one factory of the scoped benchmark provider an improvement plan of N items; print its id.

Run by bench/run.py after seed_scale, with the same DATABASE_URL and settings, so the plan page
and the API list are timed beside the factory list on the same data. The items go through
`improvement.services.item_create` (an owner from the team, half of them moved on, a comment
and a transition each), as the pages would have written them.

    .venv/bin/python bench/improvement_seed.py [--items 500]
"""

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

SCOPED = "scale.admin@scale.fithub.test"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--items", type=int, default=500, help="items in the plan")
    opts = parser.parse_args()

    setup_django(os.environ["DATABASE_URL"])
    from django.db import transaction
    from django.utils import timezone

    from fithub.accounts.models import Membership, User
    from fithub.improvement import services
    from fithub.programmes.models import Engagement

    admin = User.objects.get(email=SCOPED)
    provider = Membership.objects.get(user=admin, role="admin").organisation
    engagement = Engagement.objects.filter(provider=provider).order_by("pk").first()
    if engagement is None:
        raise SystemExit(f"{provider} has no engagement")
    team: list[Any] = list(engagement.factory.team.order_by("pk")) or [None]
    today = timezone.localdate()
    with transaction.atomic():
        plan = services.plan_for(engagement=engagement, by=None)
        for i in range(opts.items - plan.items.count()):
            item = services.item_create(
                plan=plan,
                by=None,
                details=services.ItemDetails(
                    issue=f"Issue {i} found on the sewing floor",
                    action=f"Benchmark action {i}: train the line and check weekly",
                    owner=team[i % len(team)],
                    due_on=today + timedelta(days=7 + i % 60),
                    priority=1 + i % 4,
                ),
            )
            if i % 2:
                services.item_start(item=item, by=None)
            services.comment_add(item=item, text="Checked at the visit.", by=None)
    print(plan.pk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
