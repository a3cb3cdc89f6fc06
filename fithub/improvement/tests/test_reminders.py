"""The daily reminder digest: what each reader gets, in their language, once a day."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from fithub.improvement import services
from fithub.improvement.models import ReminderDigest
from fithub.improvement.tests.conftest import add
from fithub.improvement.tests.test_adoption import held

TODAY = timezone.localdate()


def _overdue(plan, text: str):  # type: ignore[no-untyped-def]
    item = add(plan, text)
    # An item recorded earlier, now past its date: the service refuses a past date today.
    type(item).objects.filter(pk=item.pk).update(due_on=TODAY - timedelta(days=3))
    return item


@pytest.fixture
def due(cast, member_a, module):  # type: ignore[no-untyped-def]
    plan_a = services.plan_for(engagement=cast.engagement_a, by=None)
    plan_b = services.plan_for(engagement=cast.engagement_b, by=None)
    _overdue(plan_a, "Clear the fire exits")
    add(plan_a, "Label the chemicals", owner=member_a, due_on=TODAY + timedelta(days=5))
    add(plan_a, "Later: new canteen", due_on=TODAY + timedelta(days=60))
    done = add(plan_a, "Already done", due_on=TODAY + timedelta(days=2))
    services.item_done(item=done, by=None)
    _overdue(plan_b, "Fix the boiler")
    held(cast, module)  # its 1-month follow-up is ten days overdue
    mail.outbox.clear()


def _mail_to(user):  # type: ignore[no-untyped-def]
    return [m for m in mail.outbox if m.to == [user.email]]


def test_each_reader_gets_only_what_they_may_see(cast, due) -> None:
    assert services.reminders_send(day=TODAY) == 3  # two coordinators, one facilitator
    (a,) = _mail_to(cast.coordinator_a)
    assert "Clear the fire exits" in a.body and "overdue since" in a.body
    assert "Label the chemicals" in a.body and "owner: Rina Begum" in a.body
    assert "new canteen" not in a.body and "Already done" not in a.body
    assert "Fix the boiler" not in a.body
    assert "After 1 month" in a.body
    (b,) = _mail_to(cast.coordinator_b)
    assert "Fix the boiler" in b.body and "fire exits" not in b.body
    assert "After 1 month" not in b.body
    (f,) = _mail_to(cast.facilitator_a)
    assert "After 1 month" in f.body and "fire exits" not in f.body
    for user in (cast.buyer, cast.worker_rep_a, cast.admin_b, cast.outsider, cast.owner):
        assert not _mail_to(user)


def test_never_two_digests_on_the_same_day(cast, due) -> None:
    services.reminders_send(day=TODAY)
    sent = len(mail.outbox)
    assert services.reminders_send(day=TODAY) == 0
    assert len(mail.outbox) == sent
    assert ReminderDigest.objects.filter(user=cast.coordinator_a, day=TODAY).count() == 1
    assert services.reminders_send(day=TODAY + timedelta(days=1)) == 3


def test_a_failed_send_keeps_no_record_so_it_is_sent_later(cast, due, monkeypatch) -> None:
    def fail(*args, **kw):  # type: ignore[no-untyped-def]
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", fail)
    with pytest.raises(OSError):
        services.digest_send(user=cast.coordinator_a, day=TODAY)
    assert not ReminderDigest.objects.exists()
    monkeypatch.undo()
    assert services.digest_send(user=cast.coordinator_a, day=TODAY) is not None


def test_nothing_due_sends_nothing(cast) -> None:
    assert services.reminders_send(day=TODAY) == 0
    assert not mail.outbox and not ReminderDigest.objects.exists()


def test_the_digest_is_in_the_readers_language(cast, due) -> None:
    cast.coordinator_a.language = "ur"
    cast.coordinator_a.save()
    services.digest_send(
        user=type(cast.coordinator_a).objects.get(pk=cast.coordinator_a.pk), day=TODAY
    )
    (a,) = _mail_to(cast.coordinator_a)
    assert "Clear the fire exits" in a.body  # what users wrote stays as written
    assert "overdue since" not in a.body and "Hello" not in a.body


def test_the_command_and_the_task_send_once(cast, due) -> None:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "3 digest(s) sent." in out.getvalue()
    call_command("send_reminders", "--queue", stdout=StringIO())  # runs inline in tests
    assert ReminderDigest.objects.count() == 3 and len(mail.outbox) == 3
