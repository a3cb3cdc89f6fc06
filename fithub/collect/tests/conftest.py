"""A small published questionnaire to export and import: two versions, two sections each."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from fithub.assessment.models import (
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Statement,
    StatementModule,
)
from fithub.catalogue.models import Module

STATEMENTS = {
    # section code -> [(statement code, English text)]
    "storeroom": [("1.1", "Materials are stored off the floor."), ("1.2", "Stock is counted.")],
    "people": [
        ("P-01", "Workers know whom to ask."),
        ("P_01", "Supervisors are trained."),  # made safe, it clashes with P-01
        ("P-02", "Overtime is recorded."),
    ],
}


@dataclass
class Form:
    questionnaire: Questionnaire
    old: QuestionnaireVersion  # version 1, retired
    version: QuestionnaireVersion  # version 2, published
    statements: list[Statement]  # of version 2, in form order
    module: Module


def make_version(
    questionnaire: Questionnaire, number: int, status: str, codes: dict[str, list]
) -> tuple[QuestionnaireVersion, list[Statement]]:
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=number, status=status, published_at=timezone.now()
    )
    statements = []
    for order, (code, items) in enumerate(codes.items()):
        section = Section.objects.create(
            version=version,
            order=order,
            code=code,
            title={"en": code.title(), "bn": f"বিভাগ {code}", "ur": f"حصہ {code}"},
        )
        for i, (statement_code, text) in enumerate(items):
            statements.append(
                Statement.objects.create(
                    section=section,
                    order=i,
                    code=statement_code,
                    text={
                        "en": text,
                        "bn": f"বাংলা {statement_code}",
                        "ur": f"اردو {statement_code}",
                    },
                    guidance={"en": "Look at the shelves."} if i == 0 else {},
                )
            )
    return version, statements


@pytest.fixture
def form(cast) -> Form:
    module = Module.objects.create(
        code="T-01",
        title={"en": "Storeroom", "bn": "স্টোররুম", "ur": "اسٹور روم"},
        category="production",
        audience="mixed",
        duration_minutes=120,
    )
    questionnaire = Questionnaire.objects.create(
        owner=cast.owner_org,
        slug="fit-needs",
        title={"en": "FIT needs assessment", "bn": "FIT চাহিদা মূল্যায়ন", "ur": "FIT ضروریات"},
    )
    old, _ = make_version(questionnaire, 1, "retired", {"storeroom": STATEMENTS["storeroom"]})
    version, statements = make_version(questionnaire, 2, "published", STATEMENTS)
    StatementModule.objects.create(statement=statements[0], module=module, weight=3)
    return Form(questionnaire, old, version, statements, module)
