"""The answer form is built from the questionnaire version, in the respondent's language."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fithub.factories.models import Sex
from fithub.lib.i18n import localized
from fithub.surveys.models import Question, Response
from fithub.surveys.services import MAX_TEXT, Given

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
