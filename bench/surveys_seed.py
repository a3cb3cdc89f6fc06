#!/usr/bin/env python
"""Load 100,000 anonymous survey responses into one programme and print what to time.

Run by bench/run.py after seed_scale, with the same DATABASE_URL and settings: 250 held
sessions of the scoped provider in one of its programmes, each with a survey of 400 responses
(four scored answers each, a comment on one in ten), and one more open survey whose answer page
is weighed. Prints "<programme id> <answer page token>" on its last line.

    .venv/bin/python bench/surveys_seed.py [--responses 100000] [--sessions 250]
"""

import argparse
import os
import random
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

SCOPED = "scale.admin@scale.fithub.test"
BATCH = 5000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=250)
    opts = parser.parse_args()

    setup_django(os.environ["DATABASE_URL"])
    from django.db import transaction
    from django.utils import timezone

    from fithub.accounts.models import Membership, User
    from fithub.catalogue.models import Module
    from fithub.programmes.models import Engagement
    from fithub.surveys import services
    from fithub.surveys.models import Answer, Question, Response, Survey
    from fithub.training import services as training

    started = time.perf_counter()
    rng = random.Random(14)
    admin = User.objects.get(email=SCOPED)
    provider = Membership.objects.get(user=admin, role="admin").organisation
    engagement = (
        Engagement.objects.filter(provider=provider, programme__isnull=False).order_by("pk").first()
    )
    if engagement is None:
        raise SystemExit(f"{provider} has no engagement in a programme")
    engagements = list(
        Engagement.objects.filter(provider=provider, programme=engagement.programme)[:50]
    )
    module = Module.objects.order_by("pk").first() or Module.objects.create(
        code="BENCH-SURVEY",
        title={"en": "Bench survey module"},
        category="production",
        audience="mixed",
        duration_minutes=120,
    )
    version = services.standard_version()
    questions = {q.code: q for q in Question.objects.filter(version=version)}
    today = timezone.localdate()
    with transaction.atomic():
        sessions = [
            training.session_create(
                by=admin,
                provider=provider,
                engagements=[engagements[i % len(engagements)]],
                details=training.SessionDetails(
                    module=module,
                    delivery_model="in_factory",
                    date=today - timedelta(days=1 + i % 300),
                    starts_at=clock(9, 0),
                    ends_at=clock(11, 30),
                ),
            )
            for i in range(opts.sessions + 1)
        ]
        surveys = Survey.objects.bulk_create(
            Survey(session=s, version=version, is_open=False) for s in sessions[1:]
        )
        answer_page = services.survey_open(session=sessions[0], by=admin)
    per_survey = opts.responses // len(surveys)
    sexes = ("female", "male", "")
    roles = ("worker", "supervisor", "manager", "")
    for start in range(0, len(surveys), max(1, BATCH // per_survey)):
        chunk = surveys[start : start + max(1, BATCH // per_survey)]
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                (
                    Response(
                        survey=survey,
                        answered_on=survey.session.date,
                        sex=rng.choice(sexes),
                        role=rng.choice(roles),
                        language=rng.choice(("en", "bn", "ur")),
                    )
                    for survey in chunk
                    for _i in range(per_survey)
                ),
                batch_size=BATCH,
            )
            answers = []
            for r in responses:
                answers += [
                    Answer(response=r, question=questions["enjoyed"], number=rng.randint(1, 5)),
                    Answer(response=r, question=questions["useful"], number=rng.randint(1, 5)),
                    Answer(response=r, question=questions["learnt"], number=rng.randint(0, 1)),
                    Answer(
                        response=r, question=questions["improvements"], number=rng.randint(0, 1)
                    ),
                ]
                if rng.random() < 0.1:
                    answers.append(
                        Answer(response=r, question=questions["comment"], text="Useful session.")
                    )
            Answer.objects.bulk_create(answers, batch_size=BATCH)
    print(
        f"{len(surveys) * per_survey} responses in {len(surveys)} sessions loaded in "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    print(engagement.programme_id, answer_page.token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
