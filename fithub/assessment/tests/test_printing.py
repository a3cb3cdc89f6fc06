"""The printed questionnaire and results: the right texts, in the right language and fonts.

Latin text extracts from the PDF letter for letter. Shaped Bengali and Khmer come back with
vowel signs, rephs or subscripts missing or doubled, and Noto Nastaliq Urdu with whole letter
groups turned into other letters, so those texts are found with utils.match (base letters,
a few may differ); Urdu is checked exactly only where it is set in Naskh (the tables). The
embedded fonts prove the vendored faces drew every page.
"""

# Urdu text ends sentences with the Arabic full stop, which ruff takes for a hyphen.
# ruff: noqa: RUF001

from datetime import UTC, datetime

import pytest

from fithub.assessment.models import (
    Answer,
    Assessment,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Statement,
    StatementModule,
)
from fithub.assessment.printing import _text, isolate, questionnaire_pdf, results_pdf
from fithub.catalogue.models import Module
from fithub.conftest import Cast
from fithub.lib.tests.utils import families, language, match, needs_weasyprint, text

pytestmark = needs_weasyprint

TEXTS = {
    "title": {
        "en": "FIT needs assessment",
        "bn": "FIT চাহিদা মূল্যায়ন",
        "ur": "FIT ضروریات کا جائزہ",
        "km": "ការវាយតម្លៃតម្រូវការ FIT",
    },
    "production": {
        "en": "Production",
        "bn": "উৎপাদন",
        "ur": "پیداوار",
        "km": "ផលិតកម្ម",
    },
    "conditions": {
        "en": "Working conditions",
        "bn": "কাজের পরিবেশ",
        "ur": "کام کے حالات",
        "km": "លក្ខខណ្ឌការងារ",
    },
    # Conjuncts on purpose: ক্ষ্য, প্র, স্প, ষ্ট, ন্ত্র, ব্য, স্থ; and Khmer subscripts.
    "targets": {
        "en": "Production targets are explained to workers every day.",
        "bn": "উৎপাদন লক্ষ্য প্রতিদিন শ্রমিকদের স্পষ্টভাবে জানানো হয়।",
        "ur": "پیداوار کے اہداف روزانہ کارکنوں کو واضح طور پر بتائے جاتے ہیں۔",
        "km": "គោលដៅផលិតកម្មត្រូវបានពន្យល់ដល់កម្មករជារៀងរាល់ថ្ងៃ។",
    },
    "machines": {
        "en": "Machines are checked and maintained on a schedule.",
        "bn": "যন্ত্রপাতি নিয়মিত পরীক্ষা ও রক্ষণাবেক্ষণ করা হয়।",
        "ur": "مشینوں کی باقاعدگی سے جانچ اور دیکھ بھال کی جاتی ہے۔",
        "km": "ម៉ាស៊ីនត្រូវបានត្រួតពិនិត្យ និងថែទាំតាមកាលវិភាគ។",
    },
    "water": {
        "en": "Every worker has clean drinking water.",
        "bn": "প্রত্যেক কর্মীর জন্য নিরাপদ পানীয় জলের ব্যবস্থা আছে।",
        "ur": "ہر کارکن کے لیے پینے کا صاف پانی موجود ہے۔",
        "km": "កម្មករគ្រប់រូបមានទឹកស្អាតសម្រាប់ផឹក។",
    },
    # Not translated yet: printed in English, marked as English, in every language.
    "exits": {"en": "Fire exits are kept clear."},
    "planning": {
        "en": "Production planning",
        "bn": "উৎপাদন পরিকল্পনা",
        "ur": "پیداوار کی منصوبہ بندی",
        "km": "ការរៀបចំផែនការផលិតកម្ម",
    },
    "facilities": {"en": "Workplace facilities", "bn": "কর্মস্থলের সুবিধা"},
    "basics": {"en": "Working conditions basics", "bn": "কাজের পরিবেশের মূল বিষয়"},
}
EXPECTED_FAMILY = {
    "en": "FITNotoSans",
    "bn": "FITNotoSansBengali",
    "ur": "FITNotoNastaliqUrdu",
    "km": "FITNotoSansKhmer",
}


def make_questionnaire(
    cast: Cast, status: str = QuestionnaireVersion.Status.PUBLISHED
) -> tuple[QuestionnaireVersion, dict[str, Module]]:
    """Build a two-section questionnaire whose "no"s point to three modules."""
    questionnaire = Questionnaire.objects.create(
        owner=cast.owner_org, slug="fit-needs", title=TEXTS["title"]
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, status=status
    )
    production = Section.objects.create(
        version=version, order=1, code="P", title=TEXTS["production"]
    )
    conditions = Section.objects.create(
        version=version, order=2, code="W", title=TEXTS["conditions"]
    )
    statements = {
        "P1": Statement.objects.create(
            section=production,
            order=1,
            code="P1",
            text=TEXTS["targets"],
            guidance={"en": "Look at the board on the line."},
        ),
        "P2": Statement.objects.create(
            section=production, order=2, code="P2", text=TEXTS["machines"]
        ),
        "W1": Statement.objects.create(section=conditions, order=1, code="W1", text=TEXTS["water"]),
        "W2": Statement.objects.create(section=conditions, order=2, code="W2", text=TEXTS["exits"]),
    }
    common = {"category": "production", "audience": "mixed", "duration_minutes": 120}
    modules = {
        "PRD-01": Module.objects.create(code="PRD-01", title=TEXTS["planning"], **common),
        "WC-01": Module.objects.create(code="WC-01", title=TEXTS["facilities"], **common),
        "WC-00": Module.objects.create(code="WC-00", title=TEXTS["basics"], **common),
    }
    modules["WC-01"].prerequisites.add(modules["WC-00"])
    StatementModule.objects.create(statement=statements["P1"], module=modules["PRD-01"], weight=3)
    StatementModule.objects.create(statement=statements["W1"], module=modules["WC-01"], weight=2)
    return version, modules


def make_assessment(cast: Cast, version: QuestionnaireVersion) -> Assessment:
    """Answer P1 and W1 "no", P2 "yes", and leave W2 open."""
    assessment = Assessment.objects.create(
        factory=cast.factory_a,
        engagement=cast.engagement_a,
        version=version,
        status=Assessment.Status.SUBMITTED,
        coordinator_name="Rina Coordinator",
        manager_name="Kamal Manager",
        facilitator=cast.facilitator_a,
        submitted_at=datetime(2026, 3, 14, 10, 0, tzinfo=UTC),
    )
    statements = {s.code: s for s in Statement.objects.filter(section__version=version)}
    Answer.objects.create(
        assessment=assessment,
        statement=statements["P1"],
        value=False,
        comment="Targets are only on the office board.",
    )
    Answer.objects.create(assessment=assessment, statement=statements["P2"], value=True)
    Answer.objects.create(assessment=assessment, statement=statements["W1"], value=False)
    Answer.objects.create(assessment=assessment, statement=statements["W2"], value=None)
    return assessment


@pytest.fixture
def version(cast: Cast) -> QuestionnaireVersion:
    return make_questionnaire(cast)[0]


@pytest.fixture
def assessment(cast: Cast, version: QuestionnaireVersion) -> Assessment:
    return make_assessment(cast, version)


def test_questionnaire_in_english(version: QuestionnaireVersion) -> None:
    data = questionnaire_pdf(version=version, language="en")
    content = text(data)
    for expected in (
        "FIT needs assessment",
        "Version 1",
        "Factory",
        "FIT coordinator",
        "Factory manager",
        "Production",
        "Working conditions",
        "1. Production targets are explained to workers every day.",
        "Look at the board on the line.",
        "4. Fire exits are kept clear.",
        "Yes",
        "No",
        "Comment:",
        "1/1",  # the page footer
    ):
        assert expected in content
    assert "Draft" not in content
    assert language(data) == "en"
    assert families(data) == {"FITNotoSans"}


@pytest.mark.parametrize("lang", ["bn", "ur", "km"])
def test_questionnaire_in_other_languages_uses_the_vendored_fonts(
    version: QuestionnaireVersion, lang: str
) -> None:
    data = questionnaire_pdf(version=version, language=lang)
    assert language(data) == lang
    embedded = families(data)
    assert EXPECTED_FAMILY[lang] in embedded
    # The untranslated statement is in Latin letters, from the vendored Noto Sans.
    assert "FITNotoSans" in embedded
    # Every glyph came from a vendored face: nothing fell back to a system font.
    assert all(name.startswith("FITNoto") for name in embedded), embedded
    content = text(data)
    assert "Fire exits are kept clear." in content
    assert "W2" in content


def test_questionnaire_in_bengali_has_the_statements(version: QuestionnaireVersion) -> None:
    content = text(questionnaire_pdf(version=version, language="bn"))
    for key in ("title", "production", "conditions", "targets", "machines", "water"):
        assert match(TEXTS[key]["bn"], content) >= 0.9, key
    assert "1. উৎপাদন" in content


def test_questionnaire_in_khmer_has_the_statements(version: QuestionnaireVersion) -> None:
    content = text(questionnaire_pdf(version=version, language="km"))
    for key in ("production", "targets", "machines", "water"):
        assert match(TEXTS[key]["km"], content) >= 0.8, key


def test_questionnaire_in_urdu(version: QuestionnaireVersion) -> None:
    data = questionnaire_pdf(version=version, language="ur")
    content = text(data)
    assert match(TEXTS["targets"]["ur"], content) >= 0.6
    assert "P1" in content
    # The blanks table is set in Naskh: both Arabic-script faces are in the document.
    assert {"FITNotoNastaliqUrdu", "FITNotoNaskhArabic"} <= families(data)


def test_draft_questionnaire_says_so(cast: Cast) -> None:
    version, _modules = make_questionnaire(cast, status=QuestionnaireVersion.Status.DRAFT)
    assert "Draft" in text(questionnaire_pdf(version=version, language="en"))


def test_results_in_english(assessment: Assessment) -> None:
    data = results_pdf(assessment=assessment, language="en")
    content = text(data)
    for expected in (
        "Alpha Garments",
        "Karachi",
        "Pakistan",
        "March 14, 2026",
        "Submitted",
        "Rina Coordinator",
        "Kamal Manager",
        "Farid Facilitator",
        "Answers by section",
        "Production 1 1 0",  # yes, no, not answered
        "Working conditions 0 1 1",
        "Total 1 2 1",
        "Statements answered No",
        "1. Production targets are explained to workers every day.",
        "Targets are only on the office board.",
        "3. Every worker has clean drinking water.",
        "Recommended modules",
        "PRD-01 Production planning",
        "WC-00 Working conditions basics",
        "Needed first for WC-01.",
        "WC-01 Workplace facilities",
    ):
        assert expected in content
    # A "yes" is counted, not listed.
    assert "Machines are checked" not in content
    assert families(data) == {"FITNotoSans"}


def test_results_in_bengali(assessment: Assessment) -> None:
    data = results_pdf(assessment=assessment, language="bn")
    content = text(data)
    for key in ("targets", "water", "planning", "facilities", "basics"):
        assert match(TEXTS[key]["bn"], content) >= 0.9, key
    assert match(TEXTS["machines"]["bn"], content) < 0.6  # a "yes" is not listed
    assert "Alpha Garments" in content
    assert language(data) == "bn"
    assert {"FITNotoSansBengali", "FITNotoSans"} <= families(data)
    assert all(name.startswith("FITNoto") for name in families(data))


def test_results_in_urdu(assessment: Assessment) -> None:
    data = results_pdf(assessment=assessment, language="ur")
    content = text(data)
    assert "Alpha Garments" in content
    # The counts table is in Naskh, whose glyphs extract exactly.
    assert TEXTS["production"]["ur"] in content
    assert TEXTS["conditions"]["ur"] in content
    assert match(TEXTS["water"]["ur"], content) >= 0.6
    assert "PRD-01" in content
    assert language(data) == "ur"
    embedded = families(data)
    assert {"FITNotoNastaliqUrdu", "FITNotoNaskhArabic", "FITNotoSans"} <= embedded
    assert all(name.startswith("FITNoto") for name in embedded)


def test_results_without_no_answers(cast: Cast, version: QuestionnaireVersion) -> None:
    assessment = Assessment.objects.create(factory=cast.factory_b, version=version)
    content = text(results_pdf(assessment=assessment, language="en"))
    assert "No statement was answered No." in content
    assert "No module is recommended" in content
    assert "Total 0 0 4" in content


def test_a_fallback_text_is_marked_with_its_own_language() -> None:
    assert str(_text(TEXTS["exits"], "ur").html) == (
        '<span lang="en" dir="ltr">Fire exits are kept clear.</span>'
    )
    assert str(_text(TEXTS["water"], "ur").html) == TEXTS["water"]["ur"]
    assert str(_text({"en": "<b>"}, "en").html) == "&lt;b&gt;"
    assert isolate("Rina") == "\u2068Rina\u2069"
    assert isolate("") == ""
