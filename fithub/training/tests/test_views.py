"""Session pages: who may see and change each one, planning, people, groups, after the session."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.programmes.models import Engagement
from fithub.tests.cast import EVERYONE, HTMX, get, post
from fithub.training import services
from fithub.training.models import Participant, Registration, Session, Venue
from fithub.training.tests.conftest import NEXT_WEEK, YESTERDAY, person, plan

READ_A = {"owner", "admin_a", "facilitator_a", "coordinator_a", "worker_rep_a", "superuser"}
WRITE_A = {"admin_a", "facilitator_a", "superuser"}
PEOPLE_WRITE_A = {"admin_a", "facilitator_a", "coordinator_a", "superuser"}


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_session_pages_of_provider_a(cast, session_a, register, who) -> None:
    reg = register(session_a, 1)[0]
    for name in ("session", "cascade"):
        url = reverse(f"training:{name}", args=[session_a.pk])
        assert get(cast, who, url).status_code == (200 if who in READ_A else 404), url
    for name in ("session-edit", "attendance", "attendance-sheet", "attendance-import"):
        url = reverse(f"training:{name}", args=[session_a.pk])
        assert get(cast, who, url).status_code == (200 if who in WRITE_A else 404), url
    url = reverse("training:check-in-qr", args=[session_a.pk])
    assert get(cast, who, url).status_code == (200 if who in WRITE_A else 404)
    url = reverse("training:child-create", args=[reg.pk])
    assert get(cast, who, url).status_code == (200 if who in WRITE_A else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_writes_to_a_session_of_provider_a(cast, session_a, register, who) -> None:
    regs = register(session_a, 6)
    allowed = who in WRITE_A
    pk = session_a.pk
    calls = [
        (reverse("training:groups-form", args=[pk]), {}),
        (reverse("training:roles-rotate", args=[pk]), {}),
        (reverse("training:group-move", args=[regs[0].pk]), {"group": "2"}),
        (reverse("training:attendance-tap", args=[regs[1].pk]), {"present": "yes"}),
        (reverse("training:reflection", args=[pk]), {"reflection_went_well": "ok"}),
        (reverse("training:registration-remove", args=[regs[2].pk]), {}),
    ]
    for url, data in calls:
        assert post(cast, who, url, data).status_code == (302 if allowed else 404), url
    assert Registration.objects.filter(pk=regs[1].pk, present=True).exists() == allowed
    assert Registration.objects.filter(pk=regs[2].pk).exists() != allowed


@pytest.mark.parametrize("who", EVERYONE)
def test_the_list_and_its_search_show_only_visible_sessions(cast, session_a, session_b, who):
    response = get(cast, who, reverse("training:list") + "?q=T-01")
    if who in ("buyer", "outsider"):
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert (reverse("training:session", args=[session_a.pk]) in html) == (who in READ_A)
    sees_b = who in {"admin_b", "owner", "superuser"}
    assert (reverse("training:session", args=[session_b.pk]) in html) == sees_b


@pytest.mark.parametrize("who", EVERYONE)
def test_participant_pages(cast, session_a, who) -> None:
    alice = person(cast.factory_a, "Alice Akter")
    bina = person(cast.factory_b, "Bina Begum")
    services.registration_add(session=session_a, participant=alice, by=None)
    url = reverse("training:participant", args=[alice.pk])
    assert get(cast, who, url).status_code == (200 if who in READ_A else 404)
    url = reverse("training:participant-edit", args=[alice.pk])
    assert get(cast, who, url).status_code == (200 if who in PEOPLE_WRITE_A else 404)
    response = get(cast, who, reverse("training:participants") + "?q=a")
    if who in ("buyer", "outsider"):
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert ("Alice Akter" in html) == (who in READ_A)
    assert ("Bina Begum" in html) == (who in {"admin_b", "owner", "superuser"})
    assert bina.pk


def test_anonymous_users_are_sent_to_log_in(cast, session_a) -> None:
    response = cast.client(None).get(session_a.get_absolute_url())
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_nav_shows_sessions_to_all_but_buyers(cast) -> None:
    link = f'href="{reverse("training:list")}"'
    assert link in get(cast, "coordinator_a", reverse("home")).content.decode()
    assert link not in get(cast, "buyer", reverse("home")).content.decode()


# --- planning ------------------------------------------------------------------------------


def form_data(cast, module, **kw):  # type: ignore[no-untyped-def]
    data = {
        "organiser": f"provider:{cast.provider_a.pk}",
        "module": module.pk,
        "language": "en",
        "engagements": [cast.engagement_a.pk],
        "delivery_model": "in_factory",
        "date": NEXT_WEEK.isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:30",
        "facilitator": cast.facilitator_a.pk,
    }
    data.update(kw)
    return data


def test_a_facilitator_plans_a_session_with_a_new_venue(cast, module) -> None:
    data = form_data(
        cast,
        module,
        **{"venue-name": "Training centre", "venue-capacity": "30", "venue-step_free": "on"},
    )
    response = post(cast, "facilitator_a", reverse("training:session-create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert session.provider == cast.provider_a and session.venue.name == "Training centre"
    assert session.venue.provider == cast.provider_a and session.venue.step_free
    assert list(session.engagements.all()) == [cast.engagement_a]


def test_the_form_offers_only_what_the_user_may_use(cast, module) -> None:
    services.venue_create(
        by=None,
        provider=cast.provider_b,
        details=services.VenueDetails(name="Beta hall", capacity=40),
    )
    html = get(cast, "admin_a", reverse("training:session-create")).content.decode()
    assert "Beta Knit" not in html and "Beta hall" not in html and "Bilal" not in html
    # Choosing another provider's engagement by hand is refused, and nothing is written.
    data = form_data(cast, module, engagements=[cast.engagement_b.pk])
    response = post(cast, "admin_a", reverse("training:session-create"), data)
    assert response.status_code == 200 and not Session.objects.exists()


def test_errors_are_shown_next_to_the_fields(cast, module) -> None:
    data = form_data(cast, module, starts_at="12:00", ends_at="10:00")
    response = post(cast, "admin_a", reverse("training:session-create"), data)
    assert response.status_code == 200
    assert "A session must end after it starts." in response.content.decode()


def test_a_coordinator_records_the_factorys_own_session(cast, module) -> None:
    html = get(cast, "coordinator_a", reverse("training:session-create")).content.decode()
    assert 'value="laissez_faire" selected' in html
    data = form_data(
        cast,
        module,
        organiser=f"factory:{cast.factory_a.pk}",
        delivery_model="laissez_faire",
        facilitator="",
        facilitator_name="Rina",
        date=YESTERDAY.isoformat(),
    )
    response = post(cast, "coordinator_a", reverse("training:session-create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert session.organising_factory == cast.factory_a and session.provider is None
    # The coordinator runs it: registers people and takes attendance.
    alice = person(cast.factory_a, "Alice")
    url = reverse("training:registration-add", args=[session.pk])
    assert post(cast, "coordinator_a", url, {"participant": alice.pk}).status_code == 302
    reg = session.registrations.get()
    url = reverse("training:attendance-tap", args=[reg.pk])
    assert post(cast, "coordinator_a", url, {"present": "yes"}).status_code == 302
    reg.refresh_from_db()
    assert reg.present is True
    # The worker representative reads it only.
    assert get(cast, "worker_rep_a", session.get_absolute_url()).status_code == 200
    url = reverse("training:session-edit", args=[session.pk])
    assert get(cast, "worker_rep_a", url).status_code == 404


def test_buyers_and_outsiders_cannot_plan(cast) -> None:
    for who in ("buyer", "outsider", "owner", "worker_rep_a"):
        assert get(cast, who, reverse("training:session-create")).status_code == 404


def test_editing_a_session(cast, session_a) -> None:
    url = reverse("training:session-edit", args=[session_a.pk])
    data = {
        "module": session_a.module_id,
        "language": "ur",
        "engagements": [cast.engagement_a.pk],
        "delivery_model": "in_factory",
        "date": YESTERDAY.isoformat(),
        "starts_at": "10:00",
        "ends_at": "12:30",
        "status": "planned",
    }
    response = post(cast, "facilitator_a", url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session_a.refresh_from_db()
    assert session_a.language == "ur" and session_a.starts_at == time(10)


# --- people --------------------------------------------------------------------------------


def test_search_finds_people_of_the_sessions_factories_only(cast, session_a) -> None:
    person(cast.factory_a, "Nasima Akter")
    person(cast.factory_b, "Nasima Begum")
    url = reverse("training:people-search", args=[session_a.pk]) + "?q=nasima"
    html = get(cast, "admin_a", url, **HTMX).content.decode()
    assert "Nasima Akter" in html and "Nasima Begum" not in html
    # Provider B cannot search provider A's session at all.
    assert get(cast, "admin_b", url, **HTMX).status_code == 404


def test_registering_by_htmx_swaps_the_people_section(cast, session_a) -> None:
    alice = person(cast.factory_a, "Alice")
    url = reverse("training:registration-add", args=[session_a.pk])
    response = post(cast, "facilitator_a", url, {"participant": alice.pk}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="people"')
    assert "Alice" in html and session_a.registrations.count() == 1


def test_provider_b_cannot_register_its_people_in_a_session_of_a(cast, session_a) -> None:
    bina = person(cast.factory_b, "Bina")
    url = reverse("training:registration-add", args=[session_a.pk])
    assert post(cast, "admin_b", url, {"participant": bina.pk}).status_code == 404
    # Nor can provider A register someone it cannot see.
    assert post(cast, "admin_a", url, {"participant": bina.pk}).status_code == 404


def test_a_new_person_with_a_known_name_gets_a_duplicate_warning(cast, session_a) -> None:
    person(cast.factory_a, "Rahima Khatun")
    url = reverse("training:people-new", args=[session_a.pk])
    data = {
        "name": "Rahima  Khatun",
        "factory": cast.factory_a.pk,
        "sex": "female",
        "role": "worker",
        "department": "sewing",
        "language": "bn",
    }
    html = post(cast, "facilitator_a", url, data, **HTMX).content.decode()
    assert "already recorded at this factory" in html
    assert Participant.objects.count() == 1
    response = post(cast, "facilitator_a", url, {**data, "confirm_new": "on"}, **HTMX)
    assert response.status_code == 200
    assert Participant.objects.count() == 2 and session_a.registrations.count() == 1


def test_a_participants_page_lists_every_module_they_took(cast, module, session_a) -> None:
    from fithub.catalogue.tests.utils import make_module

    other = plan(cast, make_module("T-02"), starts_at=time(13), ends_at=time(15, 30))
    hidden = plan(cast, make_module("T-03"), provider="a", starts_at=time(13), ends_at=time(16))
    alice = person(cast.factory_a, "Alice")
    for s in (session_a, other, hidden):
        services.registration_add(session=s, participant=alice, by=None)
    reg = session_a.registrations.get()
    services.attendance_record(registration=reg, present=True, by=None)
    html = get(cast, "worker_rep_a", reverse("training:participant", args=[alice.pk])).content
    text = html.decode()
    assert "T-01" in text and "T-02" in text and "T-03" in text and "Present" in text


# --- groups --------------------------------------------------------------------------------


def test_groups_form_and_move_by_form(cast, session_a, register) -> None:
    regs = register(session_a, 12)
    url = reverse("training:groups-form", args=[session_a.pk])
    html = post(cast, "facilitator_a", url, **HTMX).content.decode()
    assert html.lstrip().startswith('<section id="groups"')
    assert "Group 1" in html and "Group 2" in html and "Reader" in html
    url = reverse("training:group-move", args=[regs[0].pk])
    post(cast, "facilitator_a", url, {"group": "3", "group_role": ""}, **HTMX)
    regs[0].refresh_from_db()
    assert regs[0].group.number == 3
    # The page works without JavaScript: the move form posts and comes back.
    assert post(cast, "facilitator_a", url, {"group": "1"}).status_code == 302


# --- after the session ---------------------------------------------------------------------


def test_reflection(cast, session_a, register) -> None:
    register(session_a, 6)
    services.groups_form(session=session_a, by=None)
    url = reverse("training:reflection", args=[session_a.pk])
    data = {"reflection_went_well": "Lively groups", "reflection_to_change": "Start on time"}
    post(cast, "facilitator_a", url, data)
    html = get(cast, "worker_rep_a", session_a.get_absolute_url()).content.decode()
    assert "Lively groups" in html
    # The action items the groups decide: improvement/tests/test_session_items.py.


# --- cascades ------------------------------------------------------------------------------


def test_the_cascade_tree_and_its_reach(cast, module) -> None:
    second = Engagement.objects.create(
        programme=cast.programme, factory=cast.factory_b, provider=cast.provider_a,
        delivery_model="blended",
    )  # fmt: skip
    root = plan(cast, module, engagements=[cast.engagement_a, second], delivery_model="blended")
    rep_a = services.registration_add(
        session=root, participant=person(cast.factory_a, "Rep A"), by=None
    )
    rep_b = services.registration_add(
        session=root, participant=person(cast.factory_b, "Rep B"), by=None
    )
    for r in (rep_a, rep_b):
        services.attendance_record(registration=r, present=True, by=None)
    child_a = services.child_session_create(
        registration=rep_a,
        by=None,
        details=services.CascadeDetails(date=YESTERDAY, starts_at=time(13), ends_at=time(15, 30)),
    )
    child_b = services.child_session_create(
        registration=rep_b,
        by=None,
        details=services.CascadeDetails(date=YESTERDAY, starts_at=time(13), ends_at=time(15, 30)),
    )
    for child, factory, n in ((child_a, cast.factory_a, 3), (child_b, cast.factory_b, 2)):
        for i in range(n):
            p = person(factory, f"Worker {factory.pk}-{i}")
            reg = services.registration_add(session=child, participant=p, by=None)
            services.attendance_record(registration=reg, present=i != 0, by=None)
    # Rep A takes part in their own session too: counted once.
    reg = services.registration_add(session=child_a, participant=rep_a.participant, by=None)
    services.attendance_record(registration=reg, present=True, by=None)
    from fithub.training import selectors

    tree = selectors.cascade(root)
    assert (tree.reach_people, tree.reach_factories) == (2 + 2 + 1, 2)
    assert [c.reach_people for c in tree.children] == [3, 1]
    html = get(cast, "admin_a", reverse("training:cascade", args=[child_b.pk])).content.decode()
    assert "people reached" in html and "Rep B" in html
    # The cascade link is on the session page, and the child-session link on the rep's row.
    html = get(cast, "admin_a", root.get_absolute_url()).content.decode()
    assert reverse("training:cascade", args=[root.pk]) in html
    assert reverse("training:session", args=[child_a.pk]) in html


def test_planning_a_child_session_from_a_registration(cast, module) -> None:
    root = plan(cast, module, delivery_model="classroom")
    rep = services.registration_add(
        session=root, participant=person(cast.factory_a, "Rep A"), by=None
    )
    url = reverse("training:child-create", args=[rep.pk])
    data = {
        "date": NEXT_WEEK.isoformat(),
        "starts_at": "14:00",
        "ends_at": "16:30",
        "facilitator_name": "Rep A",
        "language": "bn",
    }
    response = post(cast, "facilitator_a", url, data)
    assert response.status_code == 302
    child = Session.objects.get(parent=root)
    assert child.organising_factory == cast.factory_a and child.language == "bn"
    # The factory's coordinator writes the cascaded session.
    edit = reverse("training:session-edit", args=[child.pk])
    assert get(cast, "coordinator_a", edit).status_code == 200


# --- query counts --------------------------------------------------------------------------


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["session", "attendance", "attendance-sheet"])
def test_query_counts_do_not_grow_with_the_session(cast, module, register, name) -> None:
    client = cast.client(cast.facilitator_a)
    counts = []
    for n in (5, 40):
        session = plan(cast, module)
        services.venue_create(
            by=None,
            provider=cast.provider_a,
            details=services.VenueDetails(name=f"Hall {n}", capacity=50),
        )
        session.venue = Venue.objects.get(name=f"Hall {n}")
        session.save()
        regs = register(session, n)
        services.groups_form(session=session, by=None)
        for r in regs[::2]:
            services.attendance_record(registration=r, present=True, by=None)
        counts.append(_queries(client, reverse(f"training:{name}", args=[session.pk])))
    assert counts[0] == counts[1], counts
