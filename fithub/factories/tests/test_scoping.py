"""Who sees and who may change which factory, through the scoping function itself."""

from fithub.factories.scoping import factories_for, sees_internals


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_providers_see_only_their_factories(cast) -> None:
    assert names(factories_for(cast.admin_a)) == {"Alpha Garments"}
    assert names(factories_for(cast.facilitator_a)) == {"Alpha Garments"}
    assert names(factories_for(cast.admin_b)) == {"Beta Knit"}


def test_only_provider_admins_and_factory_editors_may_change(cast) -> None:
    assert names(factories_for(cast.admin_a, write=True)) == {"Alpha Garments"}
    assert names(factories_for(cast.facilitator_a, write=True)) == set()
    assert names(factories_for(cast.coordinator_a, write=True)) == {"Alpha Garments"}
    assert names(factories_for(cast.worker_rep_a, write=True)) == set()
    assert names(factories_for(cast.owner, write=True)) == set()
    assert names(factories_for(cast.buyer, write=True)) == set()


def test_programme_owner_sees_every_engaged_factory(cast) -> None:
    assert names(factories_for(cast.owner)) == {"Alpha Garments", "Beta Knit"}


def test_buyer_sees_only_its_supplier_and_no_internals(cast) -> None:
    assert names(factories_for(cast.buyer)) == {"Alpha Garments"}
    assert not sees_internals(cast.buyer, cast.factory_a)
    assert sees_internals(cast.coordinator_a, cast.factory_a)


def test_factory_staff_see_only_their_factory(cast) -> None:
    assert names(factories_for(cast.coordinator_a)) == {"Alpha Garments"}
    assert names(factories_for(cast.worker_rep_a)) == {"Alpha Garments"}


def test_outsider_and_anonymous_see_nothing(cast) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert names(factories_for(cast.outsider)) == set()
    assert names(factories_for(AnonymousUser())) == set()


def test_a_registered_factory_stays_visible_before_any_engagement(cast) -> None:
    from fithub.factories.models import Factory

    Factory.objects.create(
        name="Gamma New", country="PK", sector="textile", registered_by=cast.provider_a
    )
    assert "Gamma New" in names(factories_for(cast.admin_a))
    assert "Gamma New" not in names(factories_for(cast.admin_b))
    assert "Gamma New" not in names(factories_for(cast.owner))
