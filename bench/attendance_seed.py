#!/usr/bin/env python
"""Plan a session of 40 for the scoped benchmark provider and print its id.

Run by bench/run.py after seed_scale, with the same DATABASE_URL and settings, so the
attendance page is timed with the large data set loaded. Uses a catalogue module if there is
one and creates one otherwise; participants come from one factory the provider works with.

    .venv/bin/python bench/attendance_seed.py [--size 40]
"""

import argparse
import os
import sys
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

SCOPED = "scale.admin@scale.fithub.test"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=40, help="people registered")
    opts = parser.parse_args()

    setup_django(os.environ["DATABASE_URL"])
    from django.db import transaction
    from django.utils import timezone

    from fithub.accounts.models import Membership, User
    from fithub.catalogue.models import Module
    from fithub.programmes.models import Engagement
    from fithub.training import services
    from fithub.training.models import Participant, Registration

    admin = User.objects.get(email=SCOPED)
    provider = Membership.objects.get(user=admin, role="admin").organisation
    engagement = Engagement.objects.filter(provider=provider).order_by("pk").first()
    if engagement is None:
        raise SystemExit(f"{provider} has no engagement")
    module = Module.objects.order_by("pk").first() or Module.objects.create(
        code="BENCH-ATT",
        title={"en": "Bench attendance module"},
        category="production",
        audience="mixed",
        duration_minutes=120,
    )
    with transaction.atomic():
        session = services.session_create(
            by=admin,
            provider=provider,
            engagements=[engagement],
            details=services.SessionDetails(
                module=module,
                delivery_model="in_factory",
                date=timezone.localdate(),
                starts_at=clock(0, 0),
                ends_at=clock(23, 59),
            ),
        )
        # Bulk inserts: the setup is not what is timed, and 40 service calls add nothing.
        people = Participant.objects.bulk_create(
            Participant(
                factory_id=engagement.factory_id,
                name=f"Bench participant {i:02d}",
                sex=("female", "male")[i % 2],
                role="worker",
                department="sewing",
            )
            for i in range(opts.size)
        )
        Registration.objects.bulk_create(
            Registration(session=session, participant=p) for p in people
        )
    print(session.pk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
