"""Survey results for a set of surveys, grouped, with small groups suppressed.

A fixed number of queries whatever the number of responses: the group of each survey, counts
of responses per survey and sex, and counts of answers per survey, sex, question and value.
Counting per survey joins an answer to its response only (not through the session to its
module or programmes, which for 100,000 responses took seconds); the survey's counts are then
added to its group, or groups: a session of factories in two programmes counts in both.
Free-text answers are read only for groups that are shown, and are shown without sex or role,
sorted so that their order tells nothing about who wrote which.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from fithub.factories.models import Sex
from fithub.surveys.models import Answer, Question, Response, Survey
from fithub.surveys.suppression import MIN_GROUP, suppressed_cells, suppressed_parts

# What a result can be grouped by, and the path from a survey to it.
GROUPINGS: dict[str, str] = {
    "session": "session",
    "module": "session__module",
    "facilitator": "session__facilitator",
    "provider": "session__provider",
    "programme": "session__engagements__programme",
}
NO_SEX = ""  # responses where sex was not given
# A programme's 10,000 comments would make a page nobody reads (and megabytes to send): each
# group shows this many per question, in the same order as ever, and says how many more.
TEXTS_SHOWN = 50
# The key of the whole set in the counts: each response once, even where its session is in
# two groups (factories of two programmes in one classroom), so the total is no sum of groups.
TOTAL = object()


@dataclass
class Figure:
    """One question's result for one group: the share agreeing (or saying yes), and the mean."""

    answered: int
    positive: int
    mean: float | None = None

    @property
    def share(self) -> int:
        return round(100 * self.positive / self.answered) if self.answered else 0


@dataclass
class Cell:
    n: int
    hidden: bool
    figures: dict[str, Figure] = field(default_factory=dict)
    row: list[Figure | None] = field(default_factory=list)  # in the order of Results.numeric
    label: str = ""


@dataclass
class Group(Cell):
    key: Any = None
    by_sex: dict[str, Cell] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    texts_more: dict[str, int] = field(default_factory=dict)  # not shown, per question


@dataclass
class Results:
    questions: list[Question]
    groups: list[Group]
    total: Cell
    min_group: int = MIN_GROUP

    @property
    def numeric(self) -> list[Question]:
        return [q for q in self.questions if q.kind != Question.Kind.TEXT]


def _figures(rows: dict[str, dict[int, int]], questions: list[Question]) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for q in questions:
        if q.kind == Question.Kind.TEXT:
            continue
        values = rows.get(q.code, {})
        answered = sum(values.values())
        if q.kind == Question.Kind.AGREE:
            positive = values.get(4, 0) + values.get(5, 0)
            mean = sum(v * n for v, n in values.items()) / answered if answered else None
            out[q.code] = Figure(answered, positive, round(mean, 1) if mean is not None else None)
        else:
            out[q.code] = Figure(answered, values.get(1, 0))
    return out


def survey_results(surveys: QuerySet[Survey], *, by: str = "session") -> Results:
    """Return the results of the surveys, one group per `by` (see GROUPINGS), suppressed."""
    groups_of: dict[int, set[Any]] = defaultdict(set)
    for survey_id, key in surveys.order_by().values_list("pk", GROUPINGS[by]):
        groups_of[survey_id].add(key)
    chosen = surveys.values("pk")
    responses = Response.objects.filter(survey__in=chosen)
    counts: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total_counts: dict[str, int] = defaultdict(int)
    for survey_id, sex, n in (
        responses.values("survey_id", "sex")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("survey_id", "sex", "n")
    ):
        for key in groups_of[survey_id]:
            counts[key][sex] += n
        total_counts[sex] += n
    version_ids = surveys.values("version")
    questions = list(
        Question.objects.filter(version__in=version_ids).order_by("version", "order", "pk")
    )
    code_of = {q.pk: q.code for q in questions}
    values: dict[tuple[Any, str], dict[str, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    answers = Answer.objects.filter(response__survey__in=chosen, number__isnull=False)
    for survey_id, sex, question_id, number, n in (
        answers.values("response__survey_id", "response__sex", "question_id", "number")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("response__survey_id", "response__sex", "question_id", "number", "n")
    ):
        if number is None:  # excluded by the filter; said again for the type checker
            continue
        for key in [*groups_of[survey_id], TOTAL]:
            values[(key, sex)][code_of[question_id]][number] += n
    seen: dict[str, Question] = {}
    for q in questions:
        seen.setdefault(q.code, q)
    questions = list(seen.values())

    sexes = [s for s in [*Sex.values, NO_SEX] if any(s in c for c in counts.values())]
    sex_labels: dict[str, str] = {
        **{v: str(label) for v, label in Sex.choices},
        NO_SEX: _("Not said"),
    }
    table = {key: {s: c.get(s, 0) for s in sexes} for key, c in counts.items()}
    group_n = {key: sum(c.values()) for key, c in table.items()}
    total_n = sum(total_counts.values())
    hidden_groups = suppressed_parts(total_n, group_n)
    hidden_cells = suppressed_cells(table)

    def merged(keys: list[tuple[Any, str]]) -> dict[str, dict[int, int]]:
        out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for k in keys:
            for code, dist in values.get(k, {}).items():
                for v, n in dist.items():
                    out[code][v] += n
        return out

    groups: list[Group] = []
    for key in sorted(table, key=lambda k: (k is None, str(k))):
        hidden = key in hidden_groups
        group = Group(key=key, n=group_n[key], hidden=hidden)
        if not hidden:
            group.figures = _figures(merged([(key, s) for s in sexes]), questions)
            for s in sexes:
                n = table[key][s]
                cell_hidden = (key, s) in hidden_cells
                group.by_sex[s] = Cell(
                    n=n,
                    hidden=cell_hidden,
                    label=sex_labels[s],
                    figures={} if cell_hidden else _figures(merged([(key, s)]), questions),
                )
        groups.append(group)
    total_hidden = total_n < MIN_GROUP
    total = Cell(
        n=total_n,
        hidden=total_hidden,
        figures={} if total_hidden else _figures(merged([(TOTAL, s) for s in sexes]), questions),
    )
    _attach_texts(chosen, groups_of, groups, questions)
    result = Results(questions=questions, groups=groups, total=total)
    codes = [q.code for q in result.numeric]
    cells: list[Cell | Group] = [total, *groups]
    cells += [c for g in groups for c in g.by_sex.values()]
    for item in cells:
        item.row = [item.figures.get(code) for code in codes]
    return result


def _attach_texts(
    chosen: QuerySet[Any],
    groups_of: dict[int, set[Any]],
    groups: list[Group],
    questions: list[Question],
) -> None:
    shown = {g.key: g for g in groups if not g.hidden and g.n >= MIN_GROUP}
    text_codes = [q.code for q in questions if q.kind == Question.Kind.TEXT]
    if not shown or not text_codes:
        return
    rows = (
        Answer.objects.filter(response__survey__in=chosen, question__code__in=text_codes)
        .exclude(text="")
        .values_list("response__survey_id", "question__code", "text")
    )
    for survey_id, code, text in rows:
        for key in groups_of[survey_id]:
            if key in shown:
                shown[key].texts.setdefault(code, []).append(text)
    for group in shown.values():
        for code, texts in group.texts.items():
            texts.sort(key=str.casefold)
            if len(texts) > TEXTS_SHOWN:
                group.texts_more[code] = len(texts) - TEXTS_SHOWN
                del texts[TEXTS_SHOWN:]
