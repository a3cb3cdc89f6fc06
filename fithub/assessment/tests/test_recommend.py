"""The recommendation rule: ranking, prerequisites, weakest areas, category balance, reasons."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fithub.assessment import services
from fithub.assessment.models import (
    Answer,
    Assessment,
    ExternalFinding,
    FindingMapping,
    Section,
    Statement,
    StatementModule,
)
from fithub.assessment.recommend import (
    Inputs,
    ModuleInfo,
    SectionInfo,
    recommend,
    recommendations_for,
    recommendations_for_many,
)
from fithub.assessment.tests.conftest import answer_all, start

SEWING = SectionInfo(1, "sewing", {"en": "Sewing"}, 1)
STORE = SectionInfo(2, "store", {"en": "Storeroom"}, 2)
HR = SectionInfo(3, "hr", {"en": "HR"}, 3)


def mod(pk: int, category: str = "production", prerequisites: tuple[int, ...] = ()) -> ModuleInfo:
    return ModuleInfo(pk, f"M-{pk:02d}", {"en": f"Module {pk}"}, category, pk, prerequisites)


def no(code: str, section: SectionInfo, *links: tuple[int, int]):  # type: ignore[no-untyped-def]
    return (code, {"en": f"Statement {code}"}, section.id, list(links))


def codes(recs) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.module.code for r in recs]


def test_modules_are_ranked_by_weighted_noes() -> None:
    modules = {pk: mod(pk) for pk in (1, 2, 3)}
    result = recommend(
        Inputs(
            sections=[SEWING],
            noes=[no("A", SEWING, (1, 2), (2, 1)), no("B", SEWING, (1, 3), (3, 9))],
            findings=[],
            modules=modules,
        )
    )
    assert [(r.module.code, r.score) for r in result.ranked] == [
        ("M-03", 9),
        ("M-01", 5),
        ("M-02", 1),
    ]
    # Every module says which statements led to it, heaviest first.
    by_module = result.by_module()
    assert [(r.code, r.weight) for r in by_module[1].reasons] == [("B", 3), ("A", 2)]
    assert by_module[1].reasons[0].text == {"en": "Statement B"}
    assert result.no_count == 2


def test_prerequisites_come_first_even_when_they_scored_nothing() -> None:
    modules = {1: mod(1, "support_systems"), 2: mod(2, prerequisites=(1,)), 3: mod(3)}
    result = recommend(
        Inputs(
            sections=[SEWING],
            noes=[no("A", SEWING, (2, 9)), no("B", SEWING, (3, 5))],
            findings=[],
            modules=modules,
        )
    )
    assert codes(result.ranked) == ["M-01", "M-02", "M-03"]
    intro = result.by_module()[1]
    assert intro.score == 0 and intro.prerequisite_of == [2] and intro.only_prerequisite
    assert codes(result.suggested) == ["M-01", "M-02", "M-03"]


def test_a_prerequisite_that_scores_keeps_its_place_before_its_dependant() -> None:
    modules = {1: mod(1), 2: mod(2, prerequisites=(1,))}
    result = recommend(
        Inputs(
            sections=[SEWING],
            noes=[no("A", SEWING, (1, 1), (2, 9))],
            findings=[],
            modules=modules,
        )
    )
    assert codes(result.ranked) == ["M-01", "M-02"]
    assert result.by_module()[1].prerequisite_of == []


def test_the_suggested_set_covers_the_weakest_areas_first() -> None:
    modules = {pk: mod(pk) for pk in range(1, 6)}
    result = recommend(
        Inputs(
            sections=[SEWING, STORE, HR],
            noes=[
                no("S1", SEWING, (1, 9)),
                no("S2", SEWING, (2, 8)),
                no("S3", SEWING, (3, 7)),
                no("H1", HR, (4, 1)),
                no("T1", STORE, (5, 2)),
            ],
            findings=[],
            modules=modules,
        ),
        size=3,
        per_category=10,
    )
    # By score alone it would be M-01, M-02, M-03; the weak storeroom and HR areas get one each.
    assert set(codes(result.suggested)) == {"M-01", "M-05", "M-04"}
    assert [(s.code, w) for s, w in result.weak_sections] == [
        ("sewing", 24),
        ("store", 2),
        ("hr", 1),
    ]


def test_no_more_than_three_from_one_category_unless_nothing_else_scores() -> None:
    modules = {pk: mod(pk) for pk in range(1, 7)}
    modules[7] = mod(7, "support_systems")
    modules[8] = mod(8, "working_conditions")
    modules[9] = mod(9, "support_systems")
    noes = [no(f"S{pk}", SEWING, (pk, 20 - pk)) for pk in range(1, 7)]
    noes += [no("H1", HR, (7, 2)), no("H2", HR, (8, 1)), no("H3", HR, (9, 1))]
    result = recommend(Inputs(sections=[SEWING, HR], noes=noes, findings=[], modules=modules))
    # By score alone: six production modules. Balanced: the best three, and the others.
    assert codes(result.suggested) == ["M-01", "M-02", "M-03", "M-07", "M-08", "M-09"]
    # Without enough other modules, the fourth production module fills the set.
    del modules[9]
    result = recommend(Inputs(sections=[SEWING, HR], noes=noes[:-1], findings=[], modules=modules))
    assert codes(result.suggested) == ["M-01", "M-02", "M-03", "M-04", "M-07", "M-08"]
    # With only production modules scoring, the set is filled with them all the same.
    only = recommend(
        Inputs(
            sections=[SEWING],
            noes=noes[:6],
            findings=[],
            modules={pk: modules[pk] for pk in range(1, 7)},
        )
    )
    assert len(only.suggested) == 6


def test_findings_feed_the_recommendations_with_their_reason() -> None:
    modules = {1: mod(1), 2: mod(2, "working_conditions")}
    result = recommend(
        Inputs(
            sections=[SEWING],
            noes=[no("A", SEWING, (1, 2))],
            findings=[("Better Work", "OSH-12", "Exit blocked", [(2, 5)])],
            modules=modules,
        )
    )
    assert codes(result.ranked) == ["M-02", "M-01"]
    reason = result.by_module()[2].reasons[0]
    assert (reason.kind, reason.source, reason.code, reason.description) == (
        "finding",
        "Better Work",
        "OSH-12",
        "Exit blocked",
    )


def test_nothing_to_recommend_when_every_answer_is_yes() -> None:
    result = recommend(Inputs(sections=[SEWING], noes=[], findings=[], modules={1: mod(1)}))
    assert result.ranked == [] and result.suggested == [] and result.weak_sections == []


# --- from the database ---------------------------------------------------------------------


def test_recommendations_for_a_submitted_assessment(cast, submitted_a) -> None:
    result = recommendations_for(submitted_a)
    assert [(r.module.code, r.score) for r in result.ranked] == [
        ("FIT-00", 0),
        ("P-03", 4),
        ("P-01", 3),
        ("P-02", 3),
        ("W-01", 3),
        ("P-04", 2),
    ]
    assert codes(result.suggested) == ["FIT-00", "P-03", "P-01", "P-02", "W-01", "P-04"]
    p03 = next(r for r in result.ranked if r.module.code == "P-03")
    assert [(r.code, r.weight) for r in p03.reasons] == [("SW-2", 3), ("SW-1", 1)]
    assert [s.code for s, _w in result.weak_sections] == ["sewing", "store", "people"]


def test_unresolved_mapped_findings_of_the_owner_count(cast, submitted_a, sample) -> None:
    s01 = sample.modules["S-01"]
    FindingMapping.objects.create(owner=cast.owner_org, source="SLCP", code="HR-9", module=s01)
    FindingMapping.objects.create(
        owner=cast.owner_org, source="SLCP", code="HR-9", module=sample.modules["W-01"], weight=4
    )
    # Another owner's mapping does not apply to this questionnaire.
    from fithub.accounts.models import Organisation

    other = Organisation.objects.create(name="Other owner", kind="programme_owner")
    FindingMapping.objects.create(owner=other, source="SLCP", code="HR-9", module=s01, weight=9)
    ExternalFinding.objects.create(factory=cast.factory_a, source="slcp", code="hr-9")
    ExternalFinding.objects.create(
        factory=cast.factory_a, source="SLCP", code="HR-9", resolved=True, found_on="2024-01-01"
    )
    result = recommendations_for(submitted_a)
    scores = {r.module.code: r.score for r in result.ranked}
    assert scores["S-01"] == 1 and scores["W-01"] == 3 + 4
    assert result.finding_count == 1


def _questionnaire_of(cast, size: int):  # type: ignore[no-untyped-def]
    """Publish a questionnaire of `size` statements in 10 sections, each linked to 3 modules."""
    from fithub.catalogue.tests.utils import make_module

    modules = [make_module(f"Q{size}-{i:02d}") for i in range(12)]
    q = services.questionnaire_create(
        owner=cast.owner_org, slug=f"big-{size}", title={"en": "Big"}, by=None
    )
    version = q.versions.get()
    sections = Section.objects.bulk_create(
        [Section(version=version, code=f"s{i}", title={"en": f"S{i}"}, order=i) for i in range(10)]
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(section=sections[i % 10], code=f"C{i}", text={"en": f"T{i}"}, order=i)
            for i in range(size)
        ]
    )
    StatementModule.objects.bulk_create(
        [
            StatementModule(statement=s, module=modules[(i + k) % 12], weight=k + 1)
            for i, s in enumerate(statements)
            for k in range(3)
        ]
    )
    services.questionnaire_version_publish(version=version, by=None)
    return version, statements, modules


def _answered(cast, size: int, factory) -> Assessment:  # type: ignore[no-untyped-def]
    version, statements, modules = _questionnaire_of(cast, size)
    assessment = services.assessment_start(factory=factory, version=version, by=None)
    Answer.objects.bulk_create(
        [
            Answer(assessment=assessment, statement=s, value=i % 2 == 0)
            for i, s in enumerate(statements)
        ]
    )
    for i in range(size // 15):
        ExternalFinding.objects.create(factory=factory, source="BW", code=f"F{size}-{i}")
        FindingMapping.objects.create(
            owner=cast.owner_org, source="BW", code=f"F{size}-{i}", module=modules[i % 12]
        )
    return assessment


def test_the_query_count_does_not_grow_with_the_questionnaire(cast) -> None:
    small, large = _answered(cast, 15, cast.factory_a), _answered(cast, 150, cast.factory_b)
    with CaptureQueriesContext(connection) as few:
        small_result = recommendations_for(small)
    with CaptureQueriesContext(connection) as many:
        large_result = recommendations_for(large)
    assert (large_result.no_count, small_result.no_count) == (75, 7)
    assert large_result.ranked and small_result.ranked
    assert len(few.captured_queries) == len(many.captured_queries) <= 10


def test_many_assessments_are_computed_in_a_fixed_number_of_queries(cast, sample) -> None:
    first = start(cast, sample)
    answer_all(first, {"ST-1"})
    with CaptureQueriesContext(connection) as one:
        recommendations_for_many([first])
    others = [start(cast, sample) for _ in range(5)]
    for a in others:
        answer_all(a, {"SW-1", "PP-2"})
    with CaptureQueriesContext(connection) as six:
        results = recommendations_for_many([first, *others])
    assert len(one.captured_queries) == len(six.captured_queries)
    assert codes(results[first.pk].ranked) == ["FIT-00", "P-01"]
    assert "W-01" not in codes(results[others[0].pk].ranked)
