"""Adoption follow-ups: scheduled when a session is held, answered by the factory or its
advisor, counted into rates with their denominators, and who must not see or answer them."""

from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fithub.improvement import selectors, services
from fithub.improvement.models import AdoptionFollowUp
from fithub.improvement.scoping import followups_for
from fithub.improvement.tests.conftest import EDIT_A, EVERYONE, READ_A, VERIFY_A, photo
from fithub.training import services as training
from fithub.training.models import Session
from fithub.training.tests.conftest import plan

ANSWER_A = EDIT_A | VERIFY_A
TODAY = timezone.localdate()


def held(cast, module, *, days_ago: int = 40, provider: str = "a") -> Session:  # type: ignore[no-untyped-def]
    session = plan(cast, module, provider=provider, date=TODAY - timedelta(days=days_ago))
    return training.reflection_record(session=session, by=None, went_well="", to_change="")


def one_month(session: Session) -> AdoptionFollowUp:
    return AdoptionFollowUp.objects.get(session=session, months=1)


@pytest.fixture
def held_a(cast, module) -> Session:  # type: ignore[no-untyped-def]
    return held(cast, module)


def answer(followup: AdoptionFollowUp, in_use: str, by=None) -> AdoptionFollowUp:  # type: ignore[no-untyped-def]
    return services.followup_answer(
        followup=followup, answer=services.FollowUpAnswer(in_use=in_use), by=by
    )


# --- scheduling ------------------------------------------------------------------------------


def test_a_held_session_schedules_one_and_three_months(cast, held_a) -> None:
    rows = AdoptionFollowUp.objects.filter(session=held_a).order_by("months")
    assert [(f.months, f.due_on, f.factory_id, f.engagement_id) for f in rows] == [
        (1, services.add_months(held_a.date, 1), cast.factory_a.pk, cast.engagement_a.pk),
        (3, services.add_months(held_a.date, 3), cast.factory_a.pk, cast.engagement_a.pk),
    ]


def test_scheduling_is_idempotent_and_keeps_answers(cast, held_a) -> None:
    answer(one_month(held_a), "yes")
    assert services.followups_schedule(session=held_a) == []
    assert services.followups_schedule_all() == 0
    held_a.save()
    assert AdoptionFollowUp.objects.filter(session=held_a).count() == 2
    assert one_month(held_a).in_use == "yes"


def test_a_planned_session_has_no_follow_ups(cast, module) -> None:
    session = plan(cast, module, date=TODAY + timedelta(days=3))
    assert not AdoptionFollowUp.objects.filter(session=session).exists()


def test_a_session_created_held_is_scheduled_once_its_engagements_are_set(cast, module) -> None:
    session = training.session_create(
        by=None,
        provider=cast.provider_a,
        engagements=[cast.engagement_a],
        details=training.SessionDetails(
            module=module,
            date=TODAY - timedelta(days=5),
            starts_at=time(9),
            ends_at=time(11),
            delivery_model="in_factory",
            status="held",
        ),
    )
    assert AdoptionFollowUp.objects.filter(session=session).count() == 2


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 15), 3, date(2026, 8, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected) -> None:
    assert services.add_months(day, months) == expected


# --- answering -------------------------------------------------------------------------------


def test_an_answer_records_who_when_and_a_cleaned_photo(cast, held_a) -> None:
    followup = services.followup_answer(
        followup=one_month(held_a),
        answer=services.FollowUpAnswer(in_use="partly", note="  Two lines of five  "),
        evidence=photo(),
        by=cast.facilitator_a,
    )
    assert (followup.in_use, followup.note) == ("partly", "Two lines of five")
    assert followup.answered_by == cast.facilitator_a and followup.answered_at is not None
    assert followup.evidence_kind == "photo" and followup.evidence.name.endswith(".jpg")


def test_too_early_or_unknown_answers_write_nothing(cast, held_a) -> None:
    three = AdoptionFollowUp.objects.get(session=held_a, months=3)
    with pytest.raises(services.ValidationError) as e:
        answer(three, "yes")
    assert "too early" in str(e.value)
    with pytest.raises(services.ValidationError):
        answer(one_month(held_a), "maybe")
    with pytest.raises(services.ValidationError):
        services.followup_answer(
            followup=one_month(held_a),
            answer=services.FollowUpAnswer(in_use="yes"),
            evidence=SimpleUploadedFile("x.jpg", b"MZ not a photo"),
            by=None,
        )
    assert not AdoptionFollowUp.objects.exclude(in_use="").exists()
    assert not AdoptionFollowUp.objects.exclude(evidence="").exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_scoping_follows_the_cast(cast, held_a, who) -> None:
    user = getattr(cast, who)
    followup = one_month(held_a)
    assert followups_for(user).filter(pk=followup.pk).exists() == (who in READ_A)
    assert followups_for(user, write=True).filter(pk=followup.pk).exists() == (who in ANSWER_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_answers_through_the_page(cast, held_a, who) -> None:
    followup = one_month(held_a)
    c = cast.client(getattr(cast, who))
    url = followup.get_absolute_url()
    assert c.get(url).status_code == (200 if who in READ_A else 404)
    response = c.post(url, {"in_use": "yes", "note": "Seen on line 3"})
    followup.refresh_from_db()
    if who in ANSWER_A:
        assert response.status_code == 302
        assert (followup.in_use, followup.answered_by_id) == ("yes", getattr(cast, who).pk)
    else:
        assert response.status_code == 404
        assert followup.in_use == "" and followup.answered_by_id is None


def test_the_page_shows_the_refusal_and_writes_nothing(cast, held_a) -> None:
    three = AdoptionFollowUp.objects.get(session=held_a, months=3)
    response = cast.client(cast.coordinator_a).post(three.get_absolute_url(), {"in_use": "no"})
    assert response.status_code == 200 and "too early" in response.content.decode()
    three.refresh_from_db()
    assert three.in_use == ""


@pytest.mark.parametrize("who", EVERYONE)
def test_evidence_is_served_only_to_readers(cast, held_a, who) -> None:
    followup = services.followup_answer(
        followup=one_month(held_a),
        answer=services.FollowUpAnswer(in_use="yes"),
        evidence=photo(),
        by=None,
    )
    url = reverse("improvement:followup-evidence", args=[followup.pk])
    response = cast.client(getattr(cast, who)).get(url)
    assert response.status_code == (200 if who in READ_A else 404)


# --- the list of what is due -----------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_the_due_list_shows_only_what_the_reader_may_see(cast, module, who) -> None:
    a, b = held(cast, module), held(cast, module, provider="b")
    response = cast.client(getattr(cast, who)).get(reverse("improvement:followups"))
    readers_b = {"owner", "admin_b", "coordinator_b", "worker_rep_b", "superuser"}
    if who not in READ_A | readers_b:
        assert response.status_code == 404
        return
    rows = {f.pk for f in response.context["page"].object_list}
    # Only the 1-month follow-ups are due (ten days overdue); the 3-month ones are not yet.
    assert (one_month(a).pk in rows) == (who in READ_A)
    assert (one_month(b).pk in rows) == (who in readers_b)
    assert not AdoptionFollowUp.objects.filter(pk__in=rows, months=3).exists()


def test_an_answered_follow_up_leaves_the_due_list(cast, held_a) -> None:
    c = cast.client(cast.coordinator_a)
    url = reverse("improvement:followups")
    assert "Overdue" in c.get(url).content.decode()
    answer(one_month(held_a), "no")
    assert not c.get(url).context["page"].object_list
    assert len(c.get(url + "?tab=answered").context["page"].object_list) == 1


def test_the_due_list_costs_the_same_queries_for_3_and_30(cast, module) -> None:
    c = cast.client(cast.facilitator_a)
    counts = []
    for n in (3, 15):
        while AdoptionFollowUp.objects.filter(months=1).count() < n:
            held(cast, module, days_ago=35 + AdoptionFollowUp.objects.count())
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("improvement:followups") + "?tab=all").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- rates -----------------------------------------------------------------------------------


def test_rates_count_answers_with_their_denominators(cast, module) -> None:
    sessions = [held(cast, module, days_ago=40 + i) for i in range(5)]
    for session, value in zip(sessions, ["yes", "yes", "partly", "no"], strict=False):
        answer(one_month(session), value)
    # The fifth is overdue and unanswered: shown as waiting, not counted as "no".
    qs = AdoptionFollowUp.objects.all()
    for by in ("module", "factory", "provider", "programme"):
        (rate,) = selectors.adoption_rates(qs, by=by, today=TODAY)
        assert (rate.months, rate.answered, rate.yes, rate.partly, rate.no, rate.waiting) == (
            1,
            4,
            2,
            1,
            1,
            1,
        ), by
        assert (rate.in_use_pct, rate.at_least_partly_pct) == (50, 75)
    (by_factory,) = selectors.adoption_rates(qs, by="factory", today=TODAY)
    assert by_factory.label == "Alpha Garments"


def test_nothing_answered_nor_due_gives_no_rate(cast, module) -> None:
    held(cast, module, days_ago=2)
    assert selectors.adoption_rates(AdoptionFollowUp.objects.all(), by="module", today=TODAY) == []


@pytest.mark.parametrize("who", EVERYONE)
def test_the_rates_page_counts_only_what_the_reader_may_see(cast, module, who) -> None:
    answer(one_month(held(cast, module)), "yes")
    answer(one_month(held(cast, module, provider="b")), "no")
    response = cast.client(getattr(cast, who)).get(reverse("improvement:adoption"))
    if who in {"buyer", "buyer_b", "outsider"}:
        assert response.status_code == 404
        return
    factories = {r.label for _, _, _, rates in response.context["groups"] for r in rates}
    assert ("Alpha Garments" in factories) == (who in READ_A)
    assert ("Beta Knit" in factories) == (
        who in {"owner", "admin_b", "coordinator_b", "worker_rep_b", "superuser"}
    )


def test_the_plan_page_shows_the_plans_rates(cast, held_a) -> None:
    answer(one_month(held_a), "yes")
    plan = services.plan_for(engagement=cast.engagement_a, by=None)
    response = cast.client(cast.worker_rep_a).get(plan.get_absolute_url())
    (rate,) = response.context["rates"]
    assert (rate.answered, rate.in_use_pct) == (1, 100)
    assert "100%" in response.content.decode()


def test_the_plan_page_costs_the_same_queries_for_few_and_many_follow_ups(cast, module) -> None:
    plan = services.plan_for(engagement=cast.engagement_a, by=None)
    c = cast.client(cast.facilitator_a)
    counts = []
    for n in (1, 6):
        while AdoptionFollowUp.objects.filter(months=1).count() < n:
            session = held(cast, module, days_ago=35 + AdoptionFollowUp.objects.count())
            answer(one_month(session), "yes")
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(plan.get_absolute_url()).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_rates_page_costs_the_same_queries_for_few_and_many_follow_ups(cast, module) -> None:
    c = cast.client(cast.owner)
    counts = []
    for n in (1, 6):
        while AdoptionFollowUp.objects.filter(months=1).count() < n:
            provider = "a" if AdoptionFollowUp.objects.count() % 4 else "b"
            session = held(cast, module, provider=provider, days_ago=35 + n)
            answer(one_month(session), "partly")
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("improvement:adoption")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
