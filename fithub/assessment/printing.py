"""Print a needs assessment: the questionnaire as a paper form, and a factory's results.

Both are plain functions of the records, in the reader's language: the texts are picked here
(with the English fallback marked by its own lang and dir), the templates only lay them out.
Statements are numbered through the whole version, so the number on the paper form is the one
in the results and in the reasons for a recommendation.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from fithub.assessment import recommend
from fithub.assessment.models import Answer, Assessment, Questionnaire, QuestionnaireVersion
from fithub.lib.i18n import localized_with_language, text_direction
from fithub.lib.pdf import render_pdf


@dataclass(frozen=True)
class Text:
    """A text in the language asked for, or a fallback that carries its own lang and dir.

    Templates print `text.html`: Django turns any object into str before escaping it, so an
    `__html__` method alone would never be used.
    """

    text: str
    lang: str
    document_lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def html(self) -> SafeString:
        if self.lang == self.document_lang:
            return format_html("{}", self.text)
        return format_html(
            '<span lang="{}" dir="{}">{}</span>', self.lang, text_direction(self.lang), self.text
        )


# Unicode's first-strong isolate and its end: WeasyPrint has no dir="auto" (nor <bdi>), so text
# in an unknown language or script (a name, a comment) is wrapped in these to take the direction
# of its first letter, and to keep its punctuation in place inside a line of the other direction.
FSI, PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    """Isolate text in an unknown language, so that it keeps its own direction in any page."""
    return f"{FSI}{text}{PDI}" if text else ""


def _text(value: dict[str, str] | None, language: str) -> Text:
    text, lang = localized_with_language(value, language)
    return Text(text, lang, language)


@dataclass(frozen=True)
class PrintedStatement:
    pk: int
    number: int
    code: str
    text: Text
    guidance: Text


@dataclass
class PrintedSection:
    code: str
    title: Text
    statements: list[PrintedStatement] = field(default_factory=list)


def _sections(version: QuestionnaireVersion, language: str) -> list[PrintedSection]:
    sections = []
    number = 0
    for section in version.sections.prefetch_related("statements").order_by("order", "pk"):
        printed = PrintedSection(section.code, _text(section.title, language))
        for statement in section.statements.all():
            number += 1
            printed.statements.append(
                PrintedStatement(
                    statement.pk,
                    number,
                    statement.code,
                    _text(statement.text, language),
                    _text(statement.guidance, language),
                )
            )
        sections.append(printed)
    return sections


def _heading(version: QuestionnaireVersion, language: str) -> dict[str, Any]:
    questionnaire = version.questionnaire
    title = _text(questionnaire.title, language)
    return {
        "title": title if title else Text(questionnaire.slug, language, language),
        # The label is lazy, so it is translated when the template renders, in `language`.
        "kind": Questionnaire.Kind(questionnaire.kind).label,
        "version": version,
        "is_draft": version.status == QuestionnaireVersion.Status.DRAFT,
    }


def _role_labels() -> dict[str, Any]:
    """Return the (lazy) names of the roles that answer an assessment, from the model."""
    fields = {field.name: field for field in Assessment._meta.fields}
    return {role: fields[role].verbose_name for role in ("coordinator", "manager", "facilitator")}


def questionnaire_pdf(*, version: QuestionnaireVersion, language: str) -> bytes:
    """Print a questionnaire version as a paper form to answer by hand."""
    context = {
        **_heading(version, language),
        "roles": _role_labels(),
        "sections": _sections(version, language),
    }
    return render_pdf(
        template="assessment/pdf/questionnaire.html", context=context, language=language
    )


@dataclass(frozen=True)
class SectionCount:
    title: Text
    yes: int
    no: int
    unanswered: int


@dataclass(frozen=True)
class NoAnswer:
    statement: PrintedStatement
    comment: str


@dataclass(frozen=True)
class PrintedReason:
    kind: str  # "statement" or "finding"
    code: str
    number: int | None  # the statement's number on the form
    text: Text | None  # the statement, for a "no"
    source: str = ""  # the finding's tool
    description: str = ""  # the finding, in whatever language it was imported in


@dataclass(frozen=True)
class PrintedRecommendation:
    code: str
    title: Text
    score: int
    reasons: list[PrintedReason]
    prerequisite_for: list[str]  # codes of the suggested modules that need this one first


def _respondents(assessment: Assessment) -> list[tuple[Any, str]]:
    labels = _role_labels()
    names = {
        "coordinator": assessment.coordinator_name
        or (assessment.coordinator.get_full_name() if assessment.coordinator else ""),
        "manager": assessment.manager_name
        or (assessment.manager.get_full_name() if assessment.manager else ""),
        "facilitator": assessment.facilitator.get_full_name() if assessment.facilitator else "",
    }
    return [(labels[role], isolate(name)) for role, name in names.items() if name]


def recommendations(
    assessment: Assessment, language: str, numbers: dict[str, int]
) -> tuple[list[PrintedRecommendation], list[PrintedRecommendation]]:
    """Return the suggested modules and the others that scored, with their reasons, to print."""
    result = recommend.recommendations_for(assessment)
    codes = {rec.module.id: rec.module.code for rec in result.ranked}

    def printed(rec: recommend.Recommendation) -> PrintedRecommendation:
        reasons = [
            PrintedReason(
                reason.kind,
                reason.code,
                numbers.get(reason.code) if reason.kind == "statement" else None,
                _text(reason.text, language) if reason.kind == "statement" else None,
                reason.source,
                isolate(reason.description),
            )
            for reason in rec.reasons
        ]
        return PrintedRecommendation(
            rec.module.code,
            _text(rec.module.title, language),
            rec.score,
            reasons,
            [codes.get(pk, "") for pk in rec.prerequisite_of],
        )

    suggested = [printed(rec) for rec in result.suggested]
    others = [printed(rec) for rec in result.ranked if not rec.suggested and rec.score > 0]
    return suggested, others


def results_pdf(*, assessment: Assessment, language: str) -> bytes:
    """Print a factory's assessment results: answers by section, its "no"s, the modules."""
    version = assessment.version
    sections = _sections(version, language)
    answers: dict[int, Answer] = {a.statement_id: a for a in assessment.answers.all()}
    counts = []
    noes: list[tuple[PrintedSection, list[NoAnswer]]] = []
    for section in sections:
        yes = no = 0
        section_noes = []
        for statement in section.statements:
            answer = answers.get(statement.pk)
            if answer is None or answer.value is None:
                continue
            if answer.value:
                yes += 1
            else:
                no += 1
                section_noes.append(NoAnswer(statement, isolate(answer.comment)))
        counts.append(SectionCount(section.title, yes, no, len(section.statements) - yes - no))
        if section_noes:
            noes.append((section, section_noes))
    numbers = {s.code: s.number for section in sections for s in section.statements}
    suggested, others = recommendations(assessment, language, numbers)
    date: datetime = assessment.submitted_at or assessment.started_at
    context = {
        **_heading(version, language),
        "assessment": assessment,
        "factory": assessment.factory,
        # Names are written in whatever script their owners chose.
        "factory_name": isolate(assessment.factory.name),
        "date": date,
        "status": Assessment.Status(assessment.status).label,
        "respondents": _respondents(assessment),
        "counts": counts,
        "totals": {
            "yes": sum(c.yes for c in counts),
            "no": sum(c.no for c in counts),
            "unanswered": sum(c.unanswered for c in counts),
        },
        "noes": noes,
        "suggested": suggested,
        "others": others,
    }
    return render_pdf(template="assessment/pdf/results.html", context=context, language=language)
