from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fithub.assessment.models import QuestionnaireVersion


class SubmissionImportForm(forms.Form):
    # str(version) reads "<questionnaire> · version N", translated.
    version = forms.ModelChoiceField(
        label=_("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.none(),
        help_text=_("The version whose form was filled in."),
    )
    file = forms.FileField(
        label=_("Export from ODK Central or KoboToolbox"),
        help_text=_("CSV, Excel (.xlsx) or JSON, or the ZIP file ODK Central downloads."),
    )

    def __init__(self, *args: object, versions: QuerySet[QuestionnaireVersion], **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        field = self.fields["version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = versions


class SurveyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export from ODK Central or KoboToolbox"),
        help_text=_("CSV, Excel (.xlsx) or JSON, or the ZIP file ODK Central downloads."),
    )
