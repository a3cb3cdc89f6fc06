"""Pricing: the sums to the cent, who may see and change which prices, and who changed them.

What sessions cost, alone and in an engagement, is tested with training's records in
training/tests/test_costs.py: programmes does not import training.
"""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fithub.accounts.models import Organisation
from fithub.conftest import Cast
from fithub.programmes import pricing, scoping, services
from fithub.programmes.models import CostItem, Sponsorship

D = Decimal
Kind = CostItem.Kind
ITEMS = {
    Kind.FACILITATOR_HOUR: D("25.00"),
    Kind.PRINTING: D("3.50"),
    Kind.STATIONERY: D("1.25"),
    Kind.MARKETING: D("40.00"),
    Kind.VENUE: D("60.00"),
}


def url(name: str, *args: object) -> str:
    return reverse(f"programmes:{name}", args=args)


def body(response: Any) -> str:
    return response.content.decode()


# --- the sums ----------------------------------------------------------------------------------


def test_money_rounds_half_up_to_cents() -> None:
    assert pricing.money(D("0.125")) == D("0.13")
    assert pricing.money(D("2.675")) == D("2.68")  # a float would give 2.67
    assert pricing.money(D("20.365")) == D("20.37")  # banker's rounding would give 20.36
    assert pricing.money(D("-0.125")) == D("-0.13")


def test_session_cost_line_by_line() -> None:
    cost = pricing.session_cost(items=ITEMS, hours=D("2.5"), participants=12)
    amounts = {line.kind: line.amount for line in cost.lines}
    assert amounts == {
        Kind.FACILITATOR_HOUR: D("87.50"),  # (2.5 h slot + 1 h preparation) x 25.00
        Kind.PRINTING: D("42.00"),  # 12 x 3.50
        Kind.STATIONERY: D("15.00"),  # 12 x 1.25
        Kind.MARKETING: D("40.00"),
        Kind.VENUE: D("60.00"),
    }
    assert cost.facilitator_hours == D("3.5")
    assert cost.total == D("244.50")
    assert cost.per_participant == D("20.38")  # 20.375
    assert cost.unpriced == []


def test_preparation_hours_are_a_parameter() -> None:
    cost = pricing.session_cost(
        items=ITEMS, hours=D("2.5"), participants=12, preparation_hours=D(0)
    )
    assert cost.lines[0].amount == D("62.50")
    assert cost.total == D("219.50")


def test_a_slot_of_a_third_of_an_hour_is_costed_exactly_then_rounded() -> None:
    # 100 minutes + 1 h = 8/3 h; 8/3 x 25.00 = 66.666... -> 66.67
    cost = pricing.session_cost(
        items={Kind.FACILITATOR_HOUR: D("25.00")}, hours=D(100) / D(60), participants=0
    )
    assert cost.lines[0].amount == D("66.67")
    assert cost.total == D("66.67")
    assert cost.per_participant is None  # nobody to divide by


def test_unpriced_items_count_as_zero_and_are_named() -> None:
    cost = pricing.session_cost(items={Kind.VENUE: D("10")}, hours=D(2), participants=5)
    assert cost.total == D("10.00")
    assert cost.per_participant == D("2.00")
    assert len(cost.unpriced) == 4
    assert "Venue, per session" not in cost.unpriced


def test_negative_hours_or_people_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        pricing.session_cost(items=ITEMS, hours=D(-1), participants=3)


@pytest.mark.parametrize(
    ("cost", "margin", "price", "markup"),
    [
        (D("100.00"), D(20), D("125.00"), D("25.00")),
        (D("100.00"), D(50), D("200.00"), D("100.00")),
        (D("244.50"), D(20), D("305.63"), D("25.00")),  # 305.625
        (D("244.50"), D(0), D("244.50"), D("0.00")),
        (D("90.00"), D("10"), D("100.00"), D("11.11")),
        (D("1.00"), D("99.99"), D("10000.00"), D("999900.00")),
    ],
)
def test_price_at_margin_is_cost_over_one_minus_margin(
    cost: Decimal, margin: Decimal, price: Decimal, markup: Decimal
) -> None:
    assert pricing.price_at_margin(cost, margin) == price
    assert pricing.markup_percent(margin) == markup
    # The margin really is the share of the price above cost (to the rounding).
    if price:
        assert abs((price - cost) / price * 100 - margin) < D("0.01")


@pytest.mark.parametrize("margin", [D(100), D(120), D("-1")])
def test_impossible_margins_are_refused(margin: Decimal) -> None:
    with pytest.raises(ValidationError) as error:
        pricing.price_at_margin(D(100), margin)
    assert "below 100%" in str(error.value)


def shares(*percents: int) -> list[SimpleNamespace]:
    return [SimpleNamespace(share_percent=p, name=f"S{i}") for i, p in enumerate(percents)]


def test_one_sponsor_covering_everything() -> None:
    coverage = pricing.sponsor_share(D("305.63"), shares(100))
    assert [c.amount for c in coverage.sponsors] == [D("305.63")]
    assert coverage.factory_pays == D("0.00")
    assert coverage.factory_percent == 0


def test_partial_sponsorship_leaves_the_rest_to_the_factory() -> None:
    coverage = pricing.sponsor_share(D("1000.00"), shares(25, 35))
    assert [c.amount for c in coverage.sponsors] == [D("250.00"), D("350.00")]
    assert coverage.sponsored == D("600.00")
    assert coverage.factory_pays == D("400.00")
    assert coverage.percent_covered == 60
    assert coverage.factory_percent == 40


def test_shares_round_half_up_and_always_add_up() -> None:
    # 50% of 100.01 is 50.005 each: rounded 50.01 twice would be 100.02, a cent too much.
    coverage = pricing.sponsor_share(D("100.01"), shares(50, 50))
    assert [c.amount for c in coverage.sponsors] == [D("50.01"), D("50.00")]
    assert coverage.factory_pays == D("0.00")
    coverage = pricing.sponsor_share(D("100.01"), shares(50))
    assert coverage.sponsors[0].amount == D("50.01")
    assert coverage.factory_pays == D("50.00")
    coverage = pricing.sponsor_share(D("10.00"), shares(33, 33))
    assert coverage.sponsored + coverage.factory_pays == D("10.00")


def test_no_sponsor_means_the_factory_pays_all() -> None:
    coverage = pricing.sponsor_share(D("99.99"), [])
    assert coverage.sponsors == ()
    assert coverage.factory_pays == D("99.99")


def test_shares_above_100_percent_are_refused() -> None:
    with pytest.raises(ValidationError) as error:
        pricing.sponsor_share(D("100"), shares(60, 50))
    assert error.value.message_dict == {
        "share_percent": ["Sponsors would cover 110% together; they can cover at most 100%."]
    }


def test_the_refusal_is_translated(settings: Any) -> None:
    from django.utils import translation

    with translation.override("ur"):
        with pytest.raises(ValidationError) as error:
            pricing.check_shares([70, 40])
        expected = translation.gettext(
            "Sponsors would cover %(percent)s%% together; they can cover at most 100%%."
        ) % {"percent": 110}
    assert error.value.message_dict["share_percent"] == [expected]


@pytest.mark.parametrize(
    ("from_factory", "registered", "engagements", "share"),
    [(5, 5, 1, D(1)), (6, 8, 2, D("0.75")), (0, 0, 2, D("0.5")), (0, 8, 2, D(0))],
)
def test_a_shared_session_is_split_by_participants(
    from_factory: int, registered: int, engagements: int, share: Decimal
) -> None:
    got = pricing.session_share(
        from_factory=from_factory, registered=registered, engagements=engagements
    )
    assert got == share


def test_engagement_cost_adds_the_parts() -> None:
    one = pricing.session_cost(items=ITEMS, hours=D("2.5"), participants=12)  # 244.50
    two = pricing.session_cost(items=ITEMS, hours=D(2), participants=8)  # 75+28+10+40+60
    assert two.total == D("213.00")
    parts = [
        pricing.session_part(session="one", cost=one, share=D(1), participants=12),
        pricing.session_part(session="two", cost=two, share=D(6) / D(8), participants=6),
    ]
    total = pricing.engagement_cost(parts=parts)
    assert [p.amount for p in total.parts] == [D("244.50"), D("159.75")]
    assert total.total == D("404.25")
    assert total.participants == 18
    assert total.per_participant == D("22.46")  # 22.4583...


# --- records -----------------------------------------------------------------------------------


def set_prices(provider: Organisation, currency: str = "PKR", **amounts: Decimal) -> None:
    for kind, amount in (amounts or ITEMS).items():
        CostItem.objects.create(provider=provider, kind=kind, amount=amount, currency=currency)


def test_cost_items_update(cast: Cast) -> None:
    set_prices(cast.provider_a, currency="USD")
    services.cost_items_update(
        provider=cast.provider_a,
        amounts={Kind.VENUE: D("75.50"), Kind.MARKETING: None},
        currency="bdt",
        by=cast.admin_a,
    )
    prices = pricing.prices_of(cast.provider_a)
    assert prices.currency == "BDT"
    assert prices.items[Kind.VENUE] == D("75.50")
    assert Kind.MARKETING not in prices.items
    assert set(CostItem.objects.values_list("currency", flat=True)) == {"BDT"}


@pytest.mark.parametrize(
    ("amounts", "currency", "field"),
    [
        ({Kind.VENUE: D("-1")}, "USD", Kind.VENUE),
        ({Kind.VENUE: D("1.005")}, "USD", Kind.VENUE),
        ({Kind.VENUE: D("1")}, "US", "currency"),
        ({Kind.VENUE: D("1")}, "U$D", "currency"),
    ],
)
def test_cost_items_update_refuses_bad_amounts(
    cast: Cast, amounts: dict, currency: str, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.cost_items_update(
            provider=cast.provider_a, amounts=amounts, currency=currency, by=None
        )
    assert field in error.value.message_dict
    assert not CostItem.objects.exists()


def test_sponsorships_stay_within_100_percent(cast: Cast) -> None:
    services.sponsorship_add(
        engagement=cast.engagement_a, sponsor=cast.buyer_org, share_percent=60, by=cast.admin_a
    )
    with pytest.raises(ValidationError) as error:
        services.sponsorship_add(
            engagement=cast.engagement_a, sponsor=cast.owner_org, share_percent=50, by=None
        )
    assert "110%" in error.value.message_dict["share_percent"][0]
    services.sponsorship_add(
        engagement=cast.engagement_a, sponsor=cast.owner_org, share_percent=40, by=None
    )
    assert cast.engagement_a.sponsorships.count() == 2


def test_only_the_factorys_buyers_and_the_owner_may_sponsor(cast: Cast) -> None:
    assert set(pricing.sponsor_choices(cast.engagement_a)) == {cast.buyer_org, cast.owner_org}
    assert set(pricing.sponsor_choices(cast.engagement_b)) == {cast.buyer_org_b, cast.owner_org}
    with pytest.raises(ValidationError):
        services.sponsorship_add(
            engagement=cast.engagement_b, sponsor=cast.buyer_org, share_percent=10, by=None
        )
    with pytest.raises(ValidationError):
        services.sponsorship_add(
            engagement=cast.engagement_a, sponsor=cast.buyer_org, share_percent=0, by=None
        )


def history(rows: Any) -> list[tuple[str, Any, Any]]:
    return [(h.history_type, h.history_user, h.amount) for h in rows.order_by("history_id")]


def test_cost_items_update_records_who_set_changed_and_removed_each_price(cast: Cast) -> None:
    services.cost_items_update(
        provider=cast.provider_a,
        amounts={Kind.VENUE: D("60"), Kind.MARKETING: D("40"), Kind.PRINTING: D("3.50")},
        currency="USD",
        by=cast.admin_a,
    )
    services.cost_items_update(
        provider=cast.provider_a,
        amounts={Kind.VENUE: D("75.50"), Kind.MARKETING: None, Kind.PRINTING: D("3.5")},
        currency="USD",
        by=cast.superuser,
    )
    assert history(CostItem.history.filter(kind=Kind.VENUE)) == [
        ("+", cast.admin_a, D("60.00")),
        ("~", cast.superuser, D("75.50")),
    ]
    assert history(CostItem.history.filter(kind=Kind.MARKETING)) == [
        ("+", cast.admin_a, D("40.00")),
        ("-", cast.superuser, D("40.00")),
    ]
    # An unchanged price is not saved again: the audit trail shows no empty change.
    assert history(CostItem.history.filter(kind=Kind.PRINTING)) == [("+", cast.admin_a, D("3.50"))]
    # A price left out of the list follows the new currency, and the trail says who moved it.
    services.cost_items_update(
        provider=cast.provider_a, amounts={Kind.VENUE: D("75.50")}, currency="BDT", by=cast.admin_a
    )
    latest = CostItem.objects.get(kind=Kind.PRINTING).history.latest()
    assert (latest.history_type, latest.history_user, latest.currency) == ("~", cast.admin_a, "BDT")


def test_sponsorship_add_and_remove_record_who(cast: Cast) -> None:
    sponsorship = services.sponsorship_add(
        engagement=cast.engagement_a, sponsor=cast.buyer_org, share_percent=60, by=cast.admin_a
    )
    pk = sponsorship.pk
    services.sponsorship_remove(sponsorship=sponsorship, by=cast.superuser)
    records = Sponsorship.history.filter(id=pk).order_by("history_id")
    assert [(h.history_type, h.history_user, h.share_percent) for h in records] == [
        ("+", cast.admin_a, 60),
        ("-", cast.superuser, 60),
    ]


# --- who may change prices and sponsors ------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reads", "edits"),
    [
        ("admin_a", {"Provider A"}, {"Provider A"}),
        ("facilitator_a", {"Provider A"}, set()),
        ("admin_b", {"Provider B"}, {"Provider B"}),
        ("superuser", {"Provider A", "Provider B"}, {"Provider A", "Provider B"}),
        ("owner", set(), set()),
        ("buyer", set(), set()),
        ("coordinator_a", set(), set()),
        ("outsider", set(), set()),
    ],
)
def test_who_may_read_and_change_a_providers_prices(
    cast: Cast, who: str, reads: set[str], edits: set[str]
) -> None:
    user = getattr(cast, who)
    assert {o.name for o in scoping.cost_providers_for(user)} == reads
    assert {o.name for o in scoping.cost_providers_for(user, write=True)} == edits


@pytest.mark.parametrize(
    ("who", "letters"),
    [
        ("admin_a", {"a"}),
        ("admin_b", {"b"}),
        ("superuser", {"a", "b"}),
        ("facilitator_a", set()),
        ("owner", set()),
        ("coordinator_a", set()),
        ("worker_rep_a", set()),
        ("buyer", set()),
        ("outsider", set()),
    ],
)
def test_who_may_add_and_remove_an_engagements_sponsors(
    cast: Cast, who: str, letters: set[str]
) -> None:
    expected = {getattr(cast, f"engagement_{letter}").pk for letter in letters}
    got = scoping.sponsorship_engagements_for(getattr(cast, who)).values_list("pk", flat=True)
    assert set(got) == expected


# --- pages: cost items -------------------------------------------------------------------------


POST_ITEMS = {
    "currency": "pkr",
    Kind.FACILITATOR_HOUR: "2500",
    Kind.PRINTING: "350.50",
    Kind.STATIONERY: "",
    Kind.MARKETING: "4000",
    Kind.VENUE: "0",
}


def test_anonymous_visitors_go_to_the_login_page(cast: Cast) -> None:
    for page in (
        url("cost-items"),
        url("engagement-cost", cast.engagement_a.pk),
    ):
        response = cast.client(None).get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_provider_admin_edits_the_price_list(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    assert client.get(url("cost-items")).status_code == 200
    response = client.post(url("cost-items"), POST_ITEMS)
    assert response.status_code == 302
    prices = pricing.prices_of(cast.provider_a)
    assert prices.currency == "PKR"
    assert prices.items == {
        Kind.FACILITATOR_HOUR: D("2500.00"),
        Kind.PRINTING: D("350.50"),
        Kind.MARKETING: D("4000.00"),
        Kind.VENUE: D("0.00"),
    }
    page = body(client.get(url("cost-items")))
    assert 'value="350.50"' in page and 'value="PKR"' in page


def test_a_price_change_on_the_page_names_the_admin_in_the_audit_trail(cast: Cast) -> None:
    set_prices(cast.provider_a)  # as the Django admin or a seed would: nobody named
    response = cast.client(cast.admin_a).post(url("cost-items"), POST_ITEMS)
    assert response.status_code == 302
    printing = CostItem.objects.get(kind=Kind.PRINTING)
    latest = printing.history.latest()
    assert (latest.history_type, latest.history_user, latest.amount) == (
        "~",
        cast.admin_a,
        D("350.50"),
    )
    removed = CostItem.history.filter(kind=Kind.STATIONERY).latest()
    assert (removed.history_type, removed.history_user) == ("-", cast.admin_a)


def test_a_negative_amount_is_refused_and_nothing_saved(cast: Cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("cost-items"), {**POST_ITEMS, Kind.PRINTING: "-3"}
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in body(response)
    assert not CostItem.objects.exists()


def test_a_bad_currency_is_refused(cast: Cast) -> None:
    response = cast.client(cast.admin_a).post(url("cost-items"), {**POST_ITEMS, "currency": "$$$"})
    assert response.status_code == 200
    assert "three-letter code" in body(response)
    assert not CostItem.objects.exists()


def test_facilitators_read_the_price_list_but_cannot_change_it(cast: Cast) -> None:
    set_prices(cast.provider_a)
    client = cast.client(cast.facilitator_a)
    page = body(client.get(url("cost-items")))
    assert "3.50 PKR" in page and '<form method="post"' not in page
    assert client.post(url("cost-items"), POST_ITEMS).status_code == 404
    assert CostItem.objects.get(kind=Kind.PRINTING).amount == D("3.50")


@pytest.mark.parametrize("who", ["owner", "buyer", "coordinator_a", "outsider"])
def test_others_have_no_price_list(cast: Cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(url("cost-items")).status_code == 404
    assert client.post(url("cost-items"), POST_ITEMS).status_code == 404


def test_provider_b_cannot_reach_provider_as_prices(cast: Cast) -> None:
    set_prices(cast.provider_a)
    client = cast.client(cast.admin_b)
    assert "Provider B" in body(client.get(url("cost-items")))
    assert client.get(url("cost-items") + f"?provider={cast.provider_a.pk}").status_code == 404
    response = client.post(url("cost-items") + f"?provider={cast.provider_a.pk}", POST_ITEMS)
    assert response.status_code == 404
    assert CostItem.objects.get(kind=Kind.PRINTING).amount == D("3.50")


# --- pages: sponsors ---------------------------------------------------------------------------


def test_provider_admin_adds_and_removes_a_sponsor(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    add = url("sponsorship-add", cast.engagement_a.pk)
    response = client.post(add, {"sponsor": cast.buyer_org.pk, "share_percent": 60})
    assert response.status_code == 302
    sponsorship = Sponsorship.objects.get()
    assert (sponsorship.sponsor, sponsorship.share_percent) == (cast.buyer_org, 60)
    assert sponsorship.history.get().history_user == cast.admin_a
    response = client.post(add, {"sponsor": cast.owner_org.pk, "share_percent": 50})
    assert response.status_code == 200
    assert "they can cover at most 100%" in body(response)
    assert Sponsorship.objects.count() == 1
    remove = url("sponsorship-remove", cast.engagement_a.pk, sponsorship.pk)
    assert cast.client(cast.facilitator_a).post(remove).status_code == 404
    assert cast.client(cast.admin_b).post(remove).status_code == 404
    assert client.post(remove).status_code == 302
    assert not Sponsorship.objects.exists()
    removed = Sponsorship.history.filter(id=sponsorship.pk).latest()  # this copy keeps its pk
    assert (removed.history_type, removed.history_user) == ("-", cast.admin_a)


def test_the_sponsor_list_leaks_no_other_organisation(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    page = body(client.get(url("engagement-cost", cast.engagement_a.pk)))
    assert "Brand C" in page and "ILO Test Office" in page and "Provider B" not in page
    response = client.post(
        url("sponsorship-add", cast.engagement_a.pk),
        {"sponsor": cast.provider_b.pk, "share_percent": 10},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in body(response)
    assert not Sponsorship.objects.exists()


@pytest.mark.parametrize("who", ["facilitator_a", "owner", "coordinator_a", "admin_b", "buyer"])
def test_only_the_providers_admins_add_sponsors(cast: Cast, who: str) -> None:
    response = cast.client(getattr(cast, who)).post(
        url("sponsorship-add", cast.engagement_a.pk),
        {"sponsor": cast.buyer_org.pk, "share_percent": 10},
    )
    assert response.status_code == 404
    assert not Sponsorship.objects.exists()


def test_removing_another_engagements_sponsorship_is_a_404(cast: Cast) -> None:
    other = Sponsorship.objects.create(
        engagement=cast.engagement_b, sponsor=cast.owner_org, share_percent=10
    )
    response = cast.client(cast.admin_a).post(
        url("sponsorship-remove", cast.engagement_a.pk, other.pk)
    )
    assert response.status_code == 404
    assert Sponsorship.objects.filter(pk=other.pk).exists()
