"""The audit trail page: who changed what, from what to what, shown only to those allowed."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.accounts.models import FactoryMembership, Membership, User
from fithub.audit import audit_entries
from fithub.programmes.models import Engagement, Programme
from fithub.programmes.services import EngagementDetails, engagement_update

AUDIT = reverse("audit")


def edit_factory(client, factory, **changes: object):
    data = {
        "name": factory.name,
        "country": str(factory.country),
        "city": factory.city,
        "sector": factory.sector,
        "tier": factory.tier,
        **changes,
    }
    response = client.post(reverse("factories:edit", args=[factory.pk]), data)
    assert response.status_code == 302, response.content.decode()
    factory.refresh_from_db()
    return response


def audit_page(cast, user) -> str:
    response = cast.client(user).get(AUDIT)
    assert response.status_code == 200
    return response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(db: None) -> None:
    from django.test import Client

    response = Client().get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_a_factory_edit_with_old_and_new_value_and_who(cast) -> None:
    edit_factory(cast.client(cast.admin_a), cast.factory_a, name="Alpha Apparel")
    body = audit_page(cast, cast.admin_a)
    assert "<del>Alpha Garments</del> → <ins>Alpha Apparel</ins>" in body
    assert "Amina Admin" in body
    assert reverse("factories:detail", args=[cast.factory_a.pk]) in body


def test_it_shows_choices_by_their_labels(cast) -> None:
    edit_factory(cast.client(cast.admin_a), cast.factory_a, country="BD", sector="denim")
    body = audit_page(cast, cast.admin_a)
    assert "<del>Pakistan</del> → <ins>Bangladesh</ins>" in body
    assert "<del>Ready-made garments</del> → <ins>Denim</ins>" in body


def test_it_shows_the_factorys_edits_to_its_coordinator(cast) -> None:
    edit_factory(cast.client(cast.admin_a), cast.factory_a, city="Lahore")
    assert "<del>Karachi</del> → <ins>Lahore</ins>" in audit_page(cast, cast.coordinator_a)


def test_it_hides_a_factory_edit_from_other_providers(cast) -> None:
    edit_factory(cast.client(cast.admin_a), cast.factory_a, name="Alpha Apparel")
    body = audit_page(cast, cast.admin_b)
    assert "Alpha" not in body
    assert "Amina Admin" not in body


@pytest.mark.parametrize("who", ["facilitator_a", "worker_rep_a", "buyer", "outsider"])
def test_it_hides_the_audit_trail_from_non_admins(cast, who: str) -> None:
    assert cast.client(getattr(cast, who)).get(AUDIT).status_code == 404


def test_it_links_to_the_audit_trail_only_for_those_who_may_see_it(cast) -> None:
    link = f'href="{AUDIT}"'
    assert link in cast.client(cast.admin_a).get(reverse("home")).content.decode()
    assert link not in cast.client(cast.facilitator_a).get(reverse("home")).content.decode()


def test_it_shows_membership_changes_to_the_organisations_admins_only(cast) -> None:
    newcomer = User.objects.create_user("newcomer@example.org", "x", name="Nasir Newcomer")
    membership = Membership.objects.create(
        user=newcomer, organisation=cast.provider_a, role="viewer"
    )
    membership.role = "assessor"
    membership.save()

    body = audit_page(cast, cast.admin_a)
    assert "newcomer@example.org" in body
    assert "<del>Viewer</del> → <ins>Assessor</ins>" in body  # labels, not stored codes
    assert "newcomer@example.org" not in audit_page(cast, cast.admin_b)
    assert "newcomer@example.org" not in audit_page(cast, cast.owner)


def test_it_shows_a_removed_member(cast) -> None:
    cast.client(cast.admin_a).post(
        reverse(
            "accounts:membership-remove",
            args=[Membership.objects.get(user=cast.facilitator_a).pk],
        )
    )
    entries = audit_entries(user=cast.admin_a)
    removed = [e for e in entries if e.object_label == "facilitator.a@example.org"]
    assert any(e.action == "Deleted" and e.who == "Amina Admin" for e in removed)


def test_it_survives_history_that_points_to_a_deleted_user(cast) -> None:
    # Deleting an account deletes its memberships; their history must still render.
    cast.facilitator_a.delete()
    cast.coordinator_a.delete()
    assert cast.client(cast.admin_a).get(AUDIT).status_code == 200
    assert cast.client(cast.superuser).get(AUDIT).status_code == 200


def test_it_shows_engagement_changes_to_the_providers_admins_only(cast) -> None:
    engagement = cast.engagement_a
    engagement.status = "active"
    engagement._history_user = cast.admin_a
    engagement.save()
    assert "<del>Prospect</del> → <ins>Active</ins>" in audit_page(cast, cast.admin_a)
    assert "Alpha Garments" not in audit_page(cast, cast.admin_b)


def test_it_shows_factory_memberships_to_the_factorys_provider_admin(cast) -> None:
    FactoryMembership.objects.filter(user=cast.worker_rep_a).update(role="manager")
    membership = FactoryMembership.objects.get(user=cast.worker_rep_a)
    membership.role = "coordinator"
    membership.save()
    assert "worker.a@example.org" in audit_page(cast, cast.admin_a)
    assert "worker.a@example.org" not in audit_page(cast, cast.admin_b)


def test_it_shows_everything_to_a_superuser(cast) -> None:
    edit_factory(cast.client(cast.admin_a), cast.factory_a, city="Lahore")
    edit_factory(cast.client(cast.admin_b), cast.factory_b, city="Dhaka")
    body = audit_page(cast, cast.superuser)
    assert "<ins>Lahore</ins>" in body
    assert "<ins>Dhaka</ins>" in body


def test_it_reads_the_audit_trail_in_a_constant_number_of_queries(cast) -> None:
    client = cast.client(cast.admin_a)
    for i in range(3):
        edit_factory(client, cast.factory_a, city=f"City {i}")
    client.get(AUDIT)
    with CaptureQueriesContext(connection) as few:
        client.get(AUDIT)
    for i in range(3, 30):
        edit_factory(client, cast.factory_a, city=f"City {i}")
    for i in range(10):
        user = User.objects.create_user(f"m{i}@example.org", "x")
        Membership.objects.create(user=user, organisation=cast.provider_a, role="viewer")
    with CaptureQueriesContext(connection) as many:
        response = client.get(AUDIT)
    assert "<ins>City 29</ins>" in response.content.decode()
    assert len(few) == len(many)


def edit_engagement(client, engagement: Engagement, **changes: object) -> None:
    data = {
        "programme": engagement.programme_id,
        "factory": engagement.factory_id,
        "delivery_model": engagement.delivery_model,
        "status": engagement.status,
        "cycle": engagement.cycle,
        "coordinator": engagement.coordinator_id or "",
        "starts_on": engagement.starts_on or "",
        "ends_on": engagement.ends_on or "",
        **changes,
    }
    response = client.post(reverse("programmes:engagement-edit", args=[engagement.pk]), data)
    assert response.status_code == 302, response.content.decode()
    engagement.refresh_from_db()


def factory_member(email: str, name: str, factory) -> User:
    # Coordinators are chosen from the factory's members, so the tests pick them there too.
    user = User.objects.create_user(email, "x", name=name)
    FactoryMembership.objects.create(user=user, factory=factory, role="manager")
    return user


def programme(cast, name: str) -> Programme:
    created = Programme.objects.create(
        owner=cast.owner_org,
        name=name,
        country="PK",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        target_enterprises=10,
    )
    created.providers.set([cast.provider_a, cast.provider_b])
    return created


def test_it_names_a_changed_coordinator_and_programme_instead_of_their_ids(cast) -> None:
    phase_two = programme(cast, "FIT phase two")
    client = cast.client(cast.admin_a)
    engagement = cast.engagement_a
    edit_engagement(client, engagement, coordinator=cast.coordinator_a.pk)
    edit_engagement(client, engagement, coordinator=cast.worker_rep_a.pk, programme=phase_two.pk)

    for body in (
        audit_page(cast, cast.admin_a),
        client.get(reverse("factory-history", args=[cast.factory_a.pk])).content.decode(),
    ):
        assert "<del>—</del> → <ins>Rina Coordinator</ins>" in body
        assert "<del>Rina Coordinator</del> → <ins>Sadia Worker</ins>" in body
        assert "<del>FIT pilot Testland</del> → <ins>FIT phase two</ins>" in body
        assert f"<ins>{cast.worker_rep_a.pk}</ins>" not in body
        assert f"<ins>{phase_two.pk}</ins>" not in body


def test_it_marks_a_related_object_that_no_longer_exists(cast) -> None:
    leaver = factory_member("leaver@example.org", "Lena Leaver", cast.factory_a)
    old_programme = programme(cast, "FIT phase zero")
    engagement = cast.engagement_a
    engagement_update(
        engagement=engagement,
        by=cast.admin_a,
        details=EngagementDetails.of(engagement).changed(
            {"coordinator": leaver, "programme": old_programme}
        ),
    )
    engagement_update(
        engagement=engagement,
        by=cast.admin_a,
        details=EngagementDetails.of(engagement).changed(
            {"coordinator": cast.coordinator_a, "programme": cast.programme}
        ),
    )
    leaver_pk, old_programme_pk = leaver.pk, old_programme.pk
    leaver.delete()
    old_programme.delete()

    body = audit_page(cast, cast.admin_a)
    assert f"<del>#{leaver_pk} (deleted)</del> → <ins>Rina Coordinator</ins>" in body
    assert f"<del>#{old_programme_pk} (deleted)</del> → <ins>FIT pilot Testland</ins>" in body


def test_it_does_not_name_another_tenants_objects_when_a_row_moves_in(cast) -> None:
    # Provider B, which also works with factory A, re-points its engagement from its own
    # factory to factory A, whose history provider A's admin reads: factory B and its
    # coordinator are none of A's business.
    Engagement.objects.create(
        programme=programme(cast, "FIT phase two"),
        factory=cast.factory_a,
        provider=cast.provider_b,
        delivery_model="classroom",
    )
    coordinator_b = factory_member("coordinator.b@example.org", "Bea Beta", cast.factory_b)
    engagement = cast.engagement_b
    engagement_update(
        engagement=engagement,
        by=cast.admin_b,
        details=EngagementDetails.of(engagement).changed({"coordinator": coordinator_b}),
    )
    engagement_update(
        engagement=engagement,
        by=cast.admin_b,
        details=EngagementDetails.of(engagement).changed(
            {"factory": cast.factory_a, "coordinator": cast.coordinator_a}
        ),
    )

    history = reverse("factory-history", args=[cast.factory_a.pk])
    body = cast.client(cast.admin_a).get(history).content.decode()
    assert "<del>(not shared with you)</del> → <ins>Alpha Garments</ins>" in body
    assert "<del>(not shared with you)</del> → <ins>Rina Coordinator</ins>" in body
    assert "Beta Knit" not in body
    assert "Bea Beta" not in body
    # Provider B owned the engagement before and after, so its admin reads both sides.
    body = audit_page(cast, cast.admin_b)
    assert "<del>Beta Knit</del> → <ins>Alpha Garments</ins>" in body
    assert "<del>Bea Beta</del> → <ins>Rina Coordinator</ins>" in body


def test_it_names_the_organisation_a_membership_moved_from_only_to_who_saw_it(cast) -> None:
    membership = Membership.objects.get(user=cast.admin_b)
    membership.organisation = cast.provider_a
    membership.role = "viewer"
    membership.save()
    assert "<del>Provider B</del> → <ins>Provider A</ins>" in audit_page(cast, cast.superuser)
    body = audit_page(cast, cast.admin_a)
    assert "<del>(not shared with you)</del> → <ins>Provider A</ins>" in body
    assert "Provider B" not in body


def test_it_labels_related_objects_in_a_constant_number_of_queries(cast) -> None:
    people = [
        factory_member(f"c{i}@example.org", f"Coordinator {i}", cast.factory_a) for i in range(30)
    ]
    programmes = [programme(cast, f"Phase {i}") for i in range(3)]
    client = cast.client(cast.admin_a)

    def change(numbers: range) -> None:
        for i in numbers:
            engagement_update(
                engagement=cast.engagement_a,
                by=cast.admin_a,
                details=EngagementDetails.of(cast.engagement_a).changed(
                    {"coordinator": people[i], "programme": programmes[i % 3]}
                ),
            )

    change(range(3))
    client.get(AUDIT)
    with CaptureQueriesContext(connection) as few:
        body = client.get(AUDIT).content.decode()
    assert "<del>Coordinator 1</del> → <ins>Coordinator 2</ins>" in body
    change(range(3, 30))
    gone = people[5].pk
    people[5].delete()
    with CaptureQueriesContext(connection) as many:
        body = client.get(AUDIT).content.decode()
    assert "<del>Coordinator 28</del> → <ins>Coordinator 29</ins>" in body
    assert "<del>Phase 1</del> → <ins>Phase 2</ins>" in body
    assert f"<del>#{gone} (deleted)</del> → <ins>Coordinator 6</ins>" in body
    assert len(few) == len(many)


def test_it_shows_price_and_sponsor_changes_to_the_providers_admins_only(cast) -> None:
    from decimal import Decimal

    from fithub.programmes import services

    for amount, by in (("40", None), ("55", cast.admin_a)):
        services.cost_items_update(
            provider=cast.provider_a, amounts={"printing": Decimal(amount)}, currency="PKR", by=by
        )
    services.sponsorship_add(
        engagement=cast.engagement_a, sponsor=cast.buyer_org, share_percent=30, by=cast.admin_a
    )
    body = audit_page(cast, cast.admin_a)
    assert "Printing, per participant" in body and "<del>40.00</del> → <ins>55.00</ins>" in body
    assert "Brand C" in body and "sponsorship" in body.lower()
    other = audit_page(cast, cast.admin_b)
    assert "Printing, per participant" not in other and "Brand C" not in other
    # A factory's own history shows neither: prices are the provider's business.
    factory_history = [c.model for c in audit_entries(user=cast.admin_a, factory=cast.factory_a)]
    assert factory_history and not {"price", "sponsorship"} & set(factory_history)


def test_it_pages_the_trail_in_the_database_so_the_oldest_change_is_reached(cast) -> None:
    factory = cast.factory_a
    for i in range(120):
        factory.city = f"Town {i:03d}"
        factory._history_user = cast.admin_a
        factory.save()
    client = cast.client(cast.admin_a)
    first = client.get(AUDIT).content.decode()
    assert "<ins>Town 119</ins>" in first and "<ins>Town 000</ins>" not in first
    # Past the end, the last page: the oldest edit is there, with what it changed from.
    last = client.get(AUDIT + "?page=999").content.decode()
    assert "<del>Karachi</del> → <ins>Town 000</ins>" in last
    assert "<ins>Town 119</ins>" not in last


def test_every_page_of_the_trail_costs_the_same_queries(cast) -> None:
    factory = cast.factory_a
    for i in range(120):
        factory.city = f"Town {i:03d}"
        factory.save()
    client = cast.client(cast.admin_a)
    client.get(AUDIT)
    counts = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            client.get(AUDIT + f"?page={page}")
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_audit_entries_merge_the_sources_newest_first(cast) -> None:
    edit_factory(cast.client(cast.admin_a), cast.factory_a, city="Lahore")
    edit_engagement(cast.client(cast.admin_a), cast.engagement_a, status="active")
    entries = audit_entries(user=cast.admin_a)
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    assert entries[0].model == "engagement" and entries[1].model == "factory"
