"""Forms of the compliance pages; each is read into a service's arguments, never saved itself."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fithub.accounts.models import User
from fithub.compliance.models import Fact, Finding, Question, ToolVersion
from fithub.compliance.services import MAX_DAYS
from fithub.lib.i18n import TranslatedTextField


class AssessorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class PlanForm(forms.Form):
    version = forms.ModelChoiceField(queryset=ToolVersion.objects.none(), label=_("Tool version"))
    planned_on = forms.DateField(
        label=_("Planned first day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Unannounced: nobody at the factory, nor any buyer, will see this date."),
    )
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=MAX_DAYS, initial=2)
    assessors = AssessorChoice(
        queryset=User.objects.none(),
        label=_("Assessors"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Two assessors of the provider."),
    )

    def __init__(
        self,
        *args: Any,
        versions: QuerySet[ToolVersion],
        assessors: QuerySet[User],
        with_version: bool = True,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        field = self.fields["version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = versions
        assessor_field = self.fields["assessors"]
        assert isinstance(assessor_field, forms.ModelMultipleChoiceField)
        assessor_field.queryset = assessors
        if not with_version:
            del self.fields["version"]


class FactsForm(forms.Form):
    """One yes/no per fact the questions' "applies only if" conditions read."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for fact in Fact:
            self.fields[fact.value] = forms.BooleanField(label=fact.label, required=False)

    def facts(self) -> dict[str, bool]:
        return {fact.value: bool(self.cleaned_data.get(fact.value)) for fact in Fact}


class CountsForm(forms.Form):
    worker_interviews = forms.IntegerField(
        label=_("Worker interviews"), min_value=0, max_value=10000
    )
    management_interviews = forms.IntegerField(
        label=_("Management interviews"), min_value=0, max_value=10000
    )
    documents_reviewed = forms.IntegerField(
        label=_("Documents reviewed"), min_value=0, max_value=10000
    )


class FindingForm(forms.Form):
    result = forms.ChoiceField(
        choices=[("", "—"), *Finding.Result.choices], required=False, label=_("Finding")
    )
    notes = forms.CharField(required=False, max_length=2000, label=_("Notes"))
    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    question = forms.ModelChoiceField(queryset=Question.objects.none(), label=_("Question"))
    result = forms.ChoiceField(choices=Finding.Result.choices, label=_("Corrected finding"))
    notes = forms.CharField(
        required=False, max_length=2000, label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        max_length=2000,
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, questions: QuerySet[Question], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["question"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = questions


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tool file"), help_text=_("CSV or Excel (.xlsx), in the columns of the export.")
    )


class PublishForm(forms.Form):
    notes = forms.CharField(
        required=False,
        max_length=2000,
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RatesFilterForm(forms.Form):
    programme = forms.IntegerField(required=False, widget=forms.HiddenInput)
    provider = forms.IntegerField(required=False, widget=forms.HiddenInput)
    country = forms.CharField(required=False, max_length=2, label=_("Country"))


class ToolForm(forms.Form):
    country = forms.CharField(
        label=_("Country"), max_length=2, help_text=_("Two letters, such as BD or PK.")
    )
    slug = forms.SlugField(label=_("Short name"), max_length=40)
    title = TranslatedTextField(label=_("Title"), max_length=200, required=True)
