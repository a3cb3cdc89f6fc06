"""Catalogue pages: who may see and change each one, what the forms refuse, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.catalogue import services
from fithub.catalogue.models import DownloadEvent, Module, ModuleFile
from fithub.catalogue.tests.utils import add_file, make_module, pdf
from fithub.tests.cast import get

SEES = [
    "owner",
    "admin_a",
    "facilitator_a",
    "admin_b",
    "coordinator_a",
    "worker_rep_a",
    "superuser",
]
BLIND = ["buyer", "outsider"]
EVERYONE = SEES + BLIND
EDITORS = {"owner", "superuser"}
SECRET = "Karachi denim edition"


@pytest.fixture
def module(cast) -> Module:
    return make_module("T-01")


@pytest.fixture
def adaptation_a(cast, module):
    return services.adaptation_create(
        module=module,
        provider=cast.provider_a,
        by=cast.admin_a,
        details=services.AdaptationDetails(
            changes=["case_study", "local_names"], title={"en": SECRET}
        ),
    )


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_catalogue_pages_are_for_members_only(cast, module, who) -> None:
    item = add_file(module)
    expected = 200 if who in SEES else 404
    for url in [
        reverse("catalogue:list"),
        reverse("catalogue:detail", args=[module.pk]),
        reverse("catalogue:translations"),
        reverse("catalogue:adaptations"),
        reverse("catalogue:export") + "?format=csv",
        reverse("catalogue:download", args=[item.pk]),
    ]:
        assert get(cast, who, url).status_code == expected, url


def test_anonymous_users_are_sent_to_log_in(cast, module) -> None:
    item = add_file(module)
    for url in [reverse("catalogue:list"), reverse("catalogue:download", args=[item.pk])]:
        response = cast.client(None).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert ModuleFile.objects.get().download_count == 0


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_programme_owner_edits_the_catalogue(cast, module, who) -> None:
    expected = 200 if who in EDITORS else 404
    for url in [
        reverse("catalogue:create"),
        reverse("catalogue:edit", args=[module.pk]),
        reverse("catalogue:file-add", args=[module.pk]),
        reverse("catalogue:import"),
    ]:
        assert get(cast, who, url).status_code == expected, url


@pytest.mark.parametrize("who", EVERYONE)
def test_inactive_modules_are_hidden_from_all_but_editors(cast, who) -> None:
    hidden = make_module("T-09", is_active=False)
    expected = 200 if who in EDITORS else 404
    assert get(cast, who, reverse("catalogue:detail", args=[hidden.pk])).status_code == expected


def test_the_list_shows_counts_per_category_and_filters(cast) -> None:
    make_module("P-01")
    make_module("P-02", audience="workers")
    make_module("W-01", category="working_conditions")
    bn = make_module("S-01", category="support_systems")
    add_file(bn, "bn")
    client = cast.client(cast.admin_a)
    page = client.get(reverse("catalogue:list")).content.decode()
    assert "<strong>2</strong> Production" in page
    assert "<strong>1</strong> Working conditions" in page

    def codes(query: str) -> set[str]:
        response = client.get(reverse("catalogue:list") + query)
        return {m.code for m in response.context["page"].object_list}

    assert codes("?category=production") == {"P-01", "P-02"}
    assert codes("?audience=workers") == {"P-02"}
    assert codes("?language=bn") == {"S-01"}
    assert codes("?q=মডিউল W-01") == {"W-01"}  # Bengali title
    assert codes("?q=ماڈیول P-02") == {"P-02"}  # Urdu title
    partial = client.get(reverse("catalogue:list") + "?q=P-0", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_the_detail_shows_every_language_files_prerequisites_and_licence(cast, module) -> None:
    intro = make_module("T-00", title={"en": "Setting up your factory for FIT"})
    services.module_update(module=module, by=None, prerequisites=[intro])
    add_file(module, "bn", "2019.1")
    page = get(cast, "facilitator_a", reverse("catalogue:detail", args=[module.pk]))
    html = page.content.decode()
    assert "মডিউল T-01" in html and "ماڈیول T-01" in html
    assert "Setting up your factory for FIT" in html
    assert "CC BY-SA 4.0" in html and "International Labour Organization (ILO)" in html
    assert reverse("catalogue:download", args=[module.files.get().pk]) in html
    assert 'dir="rtl"' in html


def test_an_english_fallback_title_keeps_its_direction_on_urdu_pages(cast) -> None:
    make_module("T-05", title={"en": "Only English"})
    client = cast.client(cast.admin_a)
    client.cookies["django_language"] = "ur"
    html = client.get(reverse("catalogue:list"), headers={"Accept-Language": "ur"}).content
    assert '<span lang="en" dir="ltr">Only English</span>' in html.decode()


# --- adaptations ---------------------------------------------------------------------------


def test_provider_b_cannot_see_provider_a_adaptation(cast, module, adaptation_a) -> None:
    b = cast.client(cast.admin_b)
    assert b.get(adaptation_a.get_absolute_url()).status_code == 404
    assert b.get(reverse("catalogue:adaptation-edit", args=[adaptation_a.pk])).status_code == 404
    assert SECRET not in b.get(reverse("catalogue:adaptations")).content.decode()
    assert SECRET not in b.get(reverse("catalogue:adaptations") + "?q=denim").content.decode()
    assert SECRET not in b.get(reverse("catalogue:detail", args=[module.pk])).content.decode()
    search = b.get(reverse("catalogue:list") + "?q=denim")
    assert list(search.context["page"].object_list) == []
    # ... while provider A finds the module by its adaptation's title.
    search = cast.client(cast.admin_a).get(reverse("catalogue:list") + "?q=denim")
    assert list(search.context["page"].object_list) == [module]


def test_adaptation_files_are_downloaded_only_by_those_who_see_it(cast, adaptation_a) -> None:
    item = services.module_file_add(
        by=None,
        adaptation=adaptation_a,
        upload=pdf(),
        language="ur",
        version="2020.1",
        released_on="2020-01-01",
    )
    url = reverse("catalogue:download", args=[item.pk])
    assert get(cast, "admin_b", url).status_code == 404
    assert get(cast, "facilitator_a", url).status_code == 200
    assert get(cast, "owner", url).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_a", 200),
        ("admin_b", 200),
        ("facilitator_a", 404),
        ("owner", 404),
        ("coordinator_a", 404),
        ("buyer", 404),
        ("outsider", 404),
    ],
)
def test_provider_admins_adapt_modules(cast, module, who, status) -> None:
    assert get(cast, who, reverse("catalogue:adapt", args=[module.pk])).status_code == status


def test_an_adaptation_is_recorded_and_flags_a_newer_original(cast, module) -> None:
    add_file(module, "en", "2019.1")
    client = cast.client(cast.admin_a)
    response = client.post(
        reverse("catalogue:adapt", args=[module.pk]),
        {
            "changes": ["case_study", "guidance"],
            "notes": "Case study set in a Karachi denim factory.",
            "title_0": "Line balancing (Karachi)",
            "title_1": "",
            "title_2": "لائن بیلنسنگ (کراچی)",
            "based_on_version": "2019.1",
        },
    )
    adaptation = module.adaptations.get()
    assert response.status_code == 302
    assert adaptation.provider == cast.provider_a
    assert adaptation.title == {"en": "Line balancing (Karachi)", "ur": "لائن بیلنسنگ (کراچی)"}
    page = client.get(adaptation.get_absolute_url()).content.decode()
    assert "Original updated since adaptation" not in page
    add_file(module, "en", "2020.1")
    page = client.get(adaptation.get_absolute_url()).content.decode()
    assert "Original updated since adaptation" in page
    assert (
        "original updated since adaptation"
        in client.get(module.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_a", 200),
        ("facilitator_a", 404),
        ("admin_b", 404),
        ("owner", 404),
        ("superuser", 200),
    ],
)
def test_only_the_provider_admin_changes_its_adaptation(cast, adaptation_a, who, status) -> None:
    for name in ("catalogue:adaptation-edit", "catalogue:adaptation-file-add"):
        assert get(cast, who, reverse(name, args=[adaptation_a.pk])).status_code == status


def test_the_owner_sees_every_adaptation(cast, module, adaptation_a) -> None:
    services.adaptation_create(
        module=module,
        provider=cast.provider_b,
        by=None,
        details=services.AdaptationDetails(
            changes=["translation"], title={"en": "Gazipur knit edition"}
        ),
    )
    html = get(cast, "owner", reverse("catalogue:adaptations")).content.decode()
    assert SECRET in html and "Gazipur knit edition" in html


# --- forms ---------------------------------------------------------------------------------


def module_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "p-07",
        "title_0": "Line balancing",
        "title_1": "লাইনে কাজের ভারসাম্য আনা",
        "title_2": "لائن میں کام کا توازن",
        "summary_0": "Share the work.",
        "category": "production",
        "audience": "managers",
        "duration_minutes": "150",
        "case_study_minutes": "25",
        "activities_minutes": "90",
        "action_plan_minutes": "35",
        "departments": ["sewing"],
        "licence": "CC BY-SA 4.0",
        "attribution": "International Labour Organization (ILO)",
        "sort_order": "0",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_the_owner_adds_a_module(cast) -> None:
    intro = make_module("T-00")
    response = cast.client(cast.owner).post(
        reverse("catalogue:create"), module_post(prerequisites=[intro.pk])
    )
    module = Module.objects.get(code="P-07")
    assert response.status_code == 302
    assert module.title["bn"] == "লাইনে কাজের ভারসাম্য আনা"
    assert list(module.prerequisites.all()) == [intro]
    assert module.history.first().history_user == cast.owner


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "151"}, "at most 150 minutes"),
        ({"duration_minutes": "120"}, "The three parts take 150 minutes"),
        ({"title_0": ""}, "Write the English text"),
        ({"code": "7 bad"}, "A code starts with a capital letter"),
    ],
)
def test_the_module_form_explains_what_is_wrong(cast, changes, message) -> None:
    response = cast.client(cast.owner).post(reverse("catalogue:create"), module_post(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Module.objects.exists()


def test_the_owner_edits_a_module(cast, module) -> None:
    response = cast.client(cast.owner).post(
        reverse("catalogue:edit", args=[module.pk]), module_post(code="T-01", title_2="")
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.title == {"en": "Line balancing", "bn": "লাইনে কাজের ভারসাম্য আনা"}


def test_a_provider_cannot_post_to_edit(cast, module) -> None:
    response = cast.client(cast.admin_a).post(
        reverse("catalogue:edit", args=[module.pk]), module_post(code="T-01")
    )
    assert response.status_code == 404
    module.refresh_from_db()
    assert module.title["en"] == "Module T-01"


def test_a_file_is_uploaded_and_a_bad_one_explained(cast, module) -> None:
    client = cast.client(cast.owner)
    url = reverse("catalogue:file-add", args=[module.pk])
    data = {"language": "ur", "version": "2020.1", "released_on": "2020-06-01"}
    bad = pdf("module.txt", "text/plain")
    response = client.post(url, {**data, "file": bad})
    assert "Only PDF and Word (.docx) files" in response.content.decode()
    response = client.post(url, {**data, "file": pdf()})
    assert response.status_code == 302
    assert module.files.get().language == "ur"
    response = client.post(url, {**data, "file": pdf()})
    assert "Give the new file a new version" in response.content.decode()
    assert module.files.count() == 1


# --- downloads -----------------------------------------------------------------------------


def test_a_download_sends_the_file_and_counts(cast, module) -> None:
    item = add_file(module, "bn")
    response = get(cast, "coordinator_a", reverse("catalogue:download", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    get(cast, "facilitator_a", reverse("catalogue:download", args=[item.pk]))
    item.refresh_from_db()
    assert item.download_count == 2
    assert DownloadEvent.objects.filter(file=item, factory=cast.factory_a).count() == 1


def test_a_refused_download_is_not_counted(cast, module) -> None:
    item = add_file(module)
    assert get(cast, "buyer", reverse("catalogue:download", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.download_count == 0
    assert not DownloadEvent.objects.exists()


# --- translation status page ----------------------------------------------------------------


def test_the_status_page_counts_each_language(cast, module) -> None:
    add_file(module, "en", "2020.1")
    add_file(module, "bn", "2019.1")
    make_module("T-02")
    html = get(cast, "admin_a", reverse("catalogue:translations")).content.decode()
    assert "Older than English" in html
    assert 'id="count-en-up_to_date">1<' in html
    assert 'id="count-bn-outdated">1<' in html
    assert 'id="count-ur-missing">2<' in html


# --- query counts ---------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_modules(n: int, start: int) -> None:
    for i in range(start, start + n):
        module = make_module(f"Q-{i:02}")
        add_file(module, "en")
        add_file(module, "bn")


@pytest.mark.parametrize("name", ["catalogue:list", "catalogue:translations"])
def test_queries_do_not_grow_with_the_catalogue(cast, name) -> None:
    client = cast.client(cast.facilitator_a)
    add_modules(3, 0)
    few = count_queries(client, reverse(name))
    add_modules(27, 3)
    assert count_queries(client, reverse(name)) == few
