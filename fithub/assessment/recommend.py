"""Recommend FIT modules from a needs assessment's "no" answers and open audit findings.

`recommend()` is a pure function of plain data, so the rule can be read, tested and
benchmarked on its own; `recommendations_for()` loads that data for one or many assessments
in a fixed number of queries.

The rule:
1. every "no" adds the statement's link weights to the modules it points to; every unresolved
   finding from another tool adds the weights of the owner's finding mappings;
2. modules are ranked by that score, but a module's prerequisites always come before it
   (a prerequisite nobody scored is brought in for the module that needs it);
3. the suggested set (5 or 6 modules) first takes the best module for each of the weakest
   sections, then fills up by score, with at most MAX_PER_CATEGORY from one category unless
   nothing else scores; prerequisites of a chosen module are part of the set.
"""

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SUGGESTED_SIZE = 6
MAX_PER_CATEGORY = 3
# Enough assessments per query batch to stay far below SQLite's limit on query parameters.
BATCH = 500


@dataclass(frozen=True)
class ModuleInfo:
    id: int
    code: str
    title: dict[str, str]
    category: str
    sort_order: int = 0
    prerequisites: tuple[int, ...] = ()


@dataclass(frozen=True)
class SectionInfo:
    id: int
    code: str
    title: dict[str, str]
    order: int = 0


@dataclass(frozen=True)
class Reason:
    """Why a module is recommended: a "no" to a statement, or a finding from another tool."""

    kind: str  # "statement" or "finding"
    code: str
    text: dict[str, str]
    weight: int
    section_id: int | None = None
    source: str = ""  # the finding's tool
    description: str = ""  # the finding's description, in the language it was imported in


@dataclass
class Recommendation:
    module: ModuleInfo
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)
    # section id -> the weight the section's "no" answers gave this module
    sections: dict[int, int] = field(default_factory=dict)
    # modules (ids) that need this one first; set when it is there only as a prerequisite
    prerequisite_of: list[int] = field(default_factory=list)
    suggested: bool = False

    @property
    def only_prerequisite(self) -> bool:
        return self.score == 0 and bool(self.prerequisite_of)


@dataclass
class Result:
    ranked: list[Recommendation]
    suggested: list[Recommendation]
    # the sections with "no" answers, weakest first, with their weighted "no" total
    weak_sections: list[tuple[SectionInfo, int]]
    no_count: int = 0
    finding_count: int = 0

    def by_module(self) -> dict[int, Recommendation]:
        return {r.module.id: r for r in self.ranked}


@dataclass(frozen=True)
class Inputs:
    """Everything the rule needs for one assessment, as plain values."""

    sections: Sequence[SectionInfo]
    # the statements answered "no": (statement code, text, section id, [(module id, weight)])
    noes: Sequence[tuple[str, dict[str, str], int, Sequence[tuple[int, int]]]]
    # unresolved findings: (source, code, description, [(module id, weight)])
    findings: Sequence[tuple[str, str, str, Sequence[tuple[int, int]]]]
    modules: dict[int, ModuleInfo]


def _priority(rec: Recommendation) -> tuple[int, int, str]:
    return (-rec.score, rec.module.sort_order, rec.module.code)


def _prerequisite_closure(ids: Iterable[int], modules: dict[int, ModuleInfo]) -> set[int]:
    seen: set[int] = set()
    todo = list(ids)
    while todo:
        pk = todo.pop()
        for pre in modules[pk].prerequisites if pk in modules else ():
            if pre not in seen and pre in modules:
                seen.add(pre)
                todo.append(pre)
    return seen


def _prerequisites_first(recs: list[Recommendation]) -> list[Recommendation]:
    """Order by score, except that a module's prerequisites (among recs) come just before it.

    A prerequisite ranks as high as the best module that needs it, so the introductory
    module of a highly scored one leads the list rather than trailing with no score.
    """
    by_id = {r.module.id: r for r in recs}
    waiting: dict[int, int] = {}
    needed_by: dict[int, list[int]] = defaultdict(list)
    for r in recs:
        pres = [p for p in r.module.prerequisites if p in by_id]
        waiting[r.module.id] = len(pres)
        for p in pres:
            needed_by[p].append(r.module.id)
    key = {pk: _priority(r) for pk, r in by_id.items()}
    # Lift each prerequisite to its dependants' priority, walking from the best module down.
    for r in sorted(recs, key=_priority):
        todo = [p for p in r.module.prerequisites if p in by_id]
        while todo:
            pk = todo.pop()
            if key[r.module.id][0] < key[pk][0]:
                key[pk] = (key[r.module.id][0], *key[pk][1:])
                todo.extend(p for p in by_id[pk].module.prerequisites if p in by_id)
    # A module is ready once its prerequisites are placed; the ready one with the highest
    # priority goes next (Kahn's algorithm with a heap). The catalogue refuses circles.
    ready = [(key[pk], pk) for pk in by_id if waiting[pk] == 0]
    heapq.heapify(ready)
    ordered: list[Recommendation] = []
    while ready:
        _key, pk = heapq.heappop(ready)
        ordered.append(by_id[pk])
        for other in needed_by[pk]:
            waiting[other] -= 1
            if waiting[other] == 0:
                heapq.heappush(ready, (key[other], other))
    if len(ordered) < len(recs):  # a circle slipped in: keep the rest in score order
        placed = {r.module.id for r in ordered}
        ordered += sorted((r for r in recs if r.module.id not in placed), key=_priority)
    return ordered


def _suggest(
    scored: list[Recommendation],
    all_recs: dict[int, Recommendation],
    weak_sections: list[tuple[SectionInfo, int]],
    modules: dict[int, ModuleInfo],
    size: int,
    per_category: int,
) -> list[Recommendation]:
    chosen: list[int] = []
    per_cat: dict[str, int] = defaultdict(int)

    def cost(pk: int) -> list[int]:
        # The module and whichever of its prerequisites are not chosen yet.
        extra = sorted(_prerequisite_closure([pk], modules) - set(chosen))
        return [pk, *[p for p in extra if p != pk]]

    def take(pk: int, *, capped: bool) -> bool:
        if pk in chosen:
            return False
        adds = cost(pk)
        if len(chosen) + len(adds) > size:
            return False
        category = modules[pk].category
        # Prerequisites are needed whatever their category, so only the module itself counts.
        if capped and per_cat[category] >= per_category:
            return False
        for p in adds:
            chosen.append(p)
            per_cat[modules[p].category] += 1
        return True

    # 1. Cover the weakest areas: the best module for each section with "no" answers.
    for section, _weight in weak_sections:
        candidates = sorted(
            (r for r in scored if section.id in r.sections),
            key=lambda r: (-r.sections[section.id], *_priority(r)),
        )
        for rec in candidates:
            if rec.module.id in chosen:
                break  # this area is covered already
            if take(rec.module.id, capped=True):
                break
        if len(chosen) >= size:
            break
    # 2. Fill up by score, keeping the category balance ...
    for rec in scored:
        if len(chosen) >= size:
            break
        take(rec.module.id, capped=True)
    # 3. ... unless nothing else scores.
    for rec in scored:
        if len(chosen) >= size:
            break
        take(rec.module.id, capped=False)
    picked = []
    for pk in chosen:
        found = all_recs.get(pk)
        if found is None:
            found = all_recs[pk] = Recommendation(module=modules[pk])
        found.suggested = True
        picked.append(found)
    return _prerequisites_first(picked)


def recommend(
    inputs: Inputs, *, size: int = SUGGESTED_SIZE, per_category: int = MAX_PER_CATEGORY
) -> Result:
    """Rank the modules for one assessment and pick the suggested set, with the reasons."""
    modules = inputs.modules
    recs: dict[int, Recommendation] = {}

    def rec_for(pk: int) -> Recommendation | None:
        if pk not in modules:
            return None  # an inactive module, or one the catalogue no longer has
        if pk not in recs:
            recs[pk] = Recommendation(module=modules[pk])
        return recs[pk]

    section_weight: dict[int, int] = defaultdict(int)
    for code, text, section_id, links in inputs.noes:
        for module_id, weight in links:
            rec = rec_for(module_id)
            if rec is None:
                continue
            rec.score += weight
            rec.sections[section_id] = rec.sections.get(section_id, 0) + weight
            rec.reasons.append(Reason("statement", code, text, weight, section_id))
            section_weight[section_id] += weight
    for source, code, description, links in inputs.findings:
        for module_id, weight in links:
            rec = rec_for(module_id)
            if rec is None:
                continue
            rec.score += weight
            rec.reasons.append(Reason("finding", code, {}, weight, None, source, description))
    for rec in recs.values():
        rec.reasons.sort(key=lambda r: (-r.weight, r.kind != "statement", r.code))

    scored = sorted(recs.values(), key=_priority)
    # Bring in the prerequisites of every scored module, so that the ranking can put them first.
    for pre in sorted(_prerequisite_closure([r.module.id for r in scored], modules)):
        rec = rec_for(pre)
        assert rec is not None
    for rec in scored:
        for pre in _prerequisite_closure([rec.module.id], modules):
            if recs[pre].score == 0:
                recs[pre].prerequisite_of.append(rec.module.id)

    order = {s.id: (s.order, i) for i, s in enumerate(inputs.sections)}
    sections = {s.id: s for s in inputs.sections}
    weak = sorted(
        ((sections[pk], w) for pk, w in section_weight.items() if pk in sections),
        key=lambda sw: (-sw[1], order[sw[0].id]),
    )
    suggested = _suggest(scored, recs, weak, modules, size, per_category)
    ranked = _prerequisites_first(list(recs.values()))
    return Result(
        ranked=ranked,
        suggested=suggested,
        weak_sections=weak,
        no_count=len(inputs.noes),
        finding_count=len(inputs.findings),
    )


# --- loading -------------------------------------------------------------------------------


def load_modules() -> dict[int, ModuleInfo]:
    """Return the active catalogue with its prerequisite links (two queries)."""
    from fithub.catalogue.models import Module

    prerequisites: dict[int, list[int]] = defaultdict(list)
    through = Module.prerequisites.through.objects.values_list("from_module_id", "to_module_id")
    for source, target in through:
        prerequisites[source].append(target)
    return {
        pk: ModuleInfo(pk, code, title, category, sort_order, tuple(prerequisites.get(pk, ())))
        for pk, code, title, category, sort_order in Module.objects.filter(
            is_active=True
        ).values_list("pk", "code", "title", "category", "sort_order")
    }


def recommendations_for_many(
    assessments: Sequence[Any], *, modules: dict[int, ModuleInfo] | None = None
) -> dict[int, Result]:
    """Return each assessment's recommendations, in a fixed number of queries per batch."""
    from fithub.assessment.models import (
        Answer,
        ExternalFinding,
        FindingMapping,
        QuestionnaireVersion,
        Section,
        StatementModule,
    )

    modules = load_modules() if modules is None else modules
    results: dict[int, Result] = {}
    for batch in itertools.batched(assessments, BATCH):
        ids = [a.pk for a in batch]
        version_ids = {a.version_id for a in batch}
        factory_ids = {a.factory_id for a in batch}
        owner_of = dict(
            QuestionnaireVersion.objects.filter(pk__in=version_ids).values_list(
                "pk", "questionnaire__owner_id"
            )
        )
        sections: dict[int, list[SectionInfo]] = defaultdict(list)
        for pk, version_id, code, title, order in Section.objects.filter(
            version__in=version_ids
        ).values_list("pk", "version_id", "code", "title", "order"):
            sections[version_id].append(SectionInfo(pk, code, title, order))
        noes: dict[int, list[tuple[int, str, dict[str, str], int]]] = defaultdict(list)
        for assessment_id, statement_id, code, text, section_id in (
            Answer.objects.filter(assessment__in=ids, value=False)
            .order_by("statement__section__order", "statement__order", "statement_id")
            .values_list(
                "assessment_id",
                "statement_id",
                "statement__code",
                "statement__text",
                "statement__section_id",
            )
        ):
            noes[assessment_id].append((statement_id, code, text, section_id))
        links: dict[int, list[tuple[int, int]]] = defaultdict(list)
        # All the links of the versions: a questionnaire is small, and many assessments share it.
        for statement_id, module_id, weight in StatementModule.objects.filter(
            statement__section__version__in=version_ids
        ).values_list("statement_id", "module_id", "weight"):
            links[statement_id].append((module_id, weight))
        findings: dict[int, dict[tuple[str, str], tuple[str, str, str]]] = defaultdict(dict)
        for factory_id, source, code, description in (
            ExternalFinding.objects.filter(factory__in=factory_ids, resolved=False)
            .order_by("-found_on", "pk")
            .values_list("factory_id", "source", "code", "description")
        ):
            # The same finding open in two audits counts once (the newest description wins).
            findings[factory_id].setdefault(
                (source.casefold(), code.casefold()), (source, code, description)
            )
        mapped: dict[tuple[int, str, str], list[tuple[int, int]]] = defaultdict(list)
        if findings:
            for owner_id, source, code, module_id, weight in FindingMapping.objects.filter(
                owner__in=set(owner_of.values())
            ).values_list("owner_id", "source", "code", "module_id", "weight"):
                mapped[(owner_id, source.casefold(), code.casefold())].append((module_id, weight))
        for a in batch:
            owner = owner_of.get(a.version_id)
            inputs = Inputs(
                sections=sections[a.version_id],
                noes=[
                    (code, text, section_id, links.get(statement_id, []))
                    for statement_id, code, text, section_id in noes.get(a.pk, [])
                ],
                findings=[
                    (
                        source,
                        code,
                        description,
                        mapped.get((owner or 0, source.casefold(), code.casefold()), []),
                    )
                    for source, code, description in findings[a.factory_id].values()
                ],
                modules=modules,
            )
            results[a.pk] = recommend(inputs)
    return results


def recommendations_for(assessment: Any) -> Result:
    """Return one assessment's recommendations (a fixed number of queries, whatever its size)."""
    return recommendations_for_many([assessment])[assessment.pk]
