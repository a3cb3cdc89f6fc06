"""The answer form is built from the questionnaire version, in the respondent's language."""

from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from fithub.factories.models import Sex
from fithub.lib.i18n import language_codes, localized
from fithub.surveys.models import Question, Response
from fithub.surveys.services import MAX_TALLY, MAX_TEXT, Given, Tally

AGREE_CHOICES = [
    ("5", _("Strongly agree")),
    ("4", _("Agree")),
    ("3", _("Neither agree nor disagree")),
    ("2", _("Disagree")),
    ("1", _("Strongly disagree")),
]
YES_NO_CHOICES = [("1", _("Yes")), ("0", _("No"))]


class AnswerForm(forms.Form):
    code = forms.CharField(
        label=_("Code on your slip"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    question_codes: list[str] = []

    def given(self) -> Given:
        data = self.cleaned_data
        return Given(
            answers={code: str(data.get(f"q_{code}") or "") for code in self.question_codes},
            sex=data.get("sex") or "",
            role=data.get("role") or "",
        )


class PaperForm(AnswerForm):
    """A facilitator entering a paper form: no code, the paper was the single use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


def answer_form(
    questions: list[Question], language: str, base: type[AnswerForm] = AnswerForm
) -> type[AnswerForm]:
    """Return a form class with a field per question, labelled in the given language."""
    fields: dict[str, Any] = {}
    for q in questions:
        label = localized(q.text, language)
        if q.kind == Question.Kind.TEXT:
            fields[f"q_{q.code}"] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            )
        else:
            choices = AGREE_CHOICES if q.kind == Question.Kind.AGREE else YES_NO_CHOICES
            fields[f"q_{q.code}"] = forms.ChoiceField(
                label=label, choices=choices, widget=forms.RadioSelect, required=q.required
            )
    fields["sex"] = forms.ChoiceField(
        label=_("You are (optional)"),
        choices=[("", _("Prefer not to say")), *Sex.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    fields["role"] = forms.ChoiceField(
        label=_("Your job (optional)"),
        choices=[("", _("Prefer not to say")), *Response.Role.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    fields["question_codes"] = [q.code for q in questions]
    return type("SurveyAnswerForm", (base,), fields)


class TallyForm(forms.Form):
    """A paper tally sheet: the number of forms, then a count per answer of each question."""

    forms = forms.IntegerField(label=_("Number of forms"), min_value=1, max_value=MAX_TALLY)
    tallied: list[tuple[str, int, str]] = []  # (question code, answer value, field name)

    def tally(self) -> Tally:
        counts: dict[str, dict[int, int]] = {}
        for code, value, name in self.tallied:
            if n := self.cleaned_data.get(name):
                counts.setdefault(code, {})[value] = n
        return Tally(forms=self.cleaned_data["forms"], counts=counts)


def tally_form(questions: list[Question], language: str) -> type[TallyForm]:
    """Return a tally form class with a count field per answer of each scored question."""
    fields: dict[str, Any] = {}
    tallied = []
    for q in questions:
        if q.kind == Question.Kind.TEXT:
            continue
        choices = AGREE_CHOICES if q.kind == Question.Kind.AGREE else YES_NO_CHOICES
        for value, answer in choices:
            name = f"t_{q.code}_{value}"
            fields[name] = forms.IntegerField(
                label=f"{localized(q.text, language)} {answer}",
                min_value=0,
                max_value=MAX_TALLY,
                required=False,
            )
            tallied.append((q.code, int(value), name))
    fields["tallied"] = tallied
    return type("SurveyTallyForm", (TallyForm,), fields)


class QuestionTextsForm(forms.Form):
    """A draft's question texts: one field per question and language."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            for language in language_codes():
                self.fields[f"{q.code}__{language}"] = forms.CharField(
                    label=f"{q.code} · {get_language_info(language)['name_local']}",
                    initial=(q.text or {}).get(language, ""),
                    max_length=300,
                    widget=forms.TextInput(attrs={"lang": language, "dir": "auto"}),
                )

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            q.code: {lang: self.cleaned_data[f"{q.code}__{lang}"] for lang in language_codes()}
            for q in self.questions
        }
