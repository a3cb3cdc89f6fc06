from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fithub.assessment.models import Assessment, FindingMapping, Questionnaire, Section, Statement
from fithub.assessment.services import MAX_EVIDENCE_BYTES, check_evidence
from fithub.catalogue.models import Module
from fithub.factories.models import Department, Factory
from fithub.lib.i18n import TranslatedTextField
from fithub.programmes.models import Engagement

CODE_ATTRS = {"dir": "ltr", "autocapitalize": "characters"}
EVIDENCE_ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,image/*,application/pdf"


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Module) -> str:  # type: ignore[override]
        return f"{obj.code} · {obj.title_text}"


class ModuleMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Module) -> str:  # type: ignore[override]
        return f"{obj.code} · {obj.title_text}"


class QuestionnaireForm(forms.ModelForm):
    title = TranslatedTextField(label=_("Title"), max_length=200)

    class Meta:
        model = Questionnaire
        fields = ["slug", "title", "kind"]
        widgets = {"slug": forms.TextInput(attrs={"dir": "ltr"})}
        help_texts = {"slug": _("Letters, digits and dashes, such as fit-needs-assessment.")}

    def __init__(self, *args: Any, owners: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if owners is not None:
            # For an administrator of several programme owners: whose questionnaire it is.
            self.fields["owner"] = forms.ModelChoiceField(
                queryset=owners, label=_("Programme owner"), empty_label=None
            )
            self.order_fields(["owner"])


class VersionNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A line or two for the people who answered the earlier version."),
    )


class SectionForm(forms.ModelForm):
    title = TranslatedTextField(label=_("Title"), max_length=200)

    class Meta:
        model = Section
        fields = ["code", "title", "department", "order"]
        widgets = {"code": forms.TextInput(attrs=CODE_ATTRS)}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["department"] = forms.ChoiceField(
            label=_("Department"),
            choices=[("", _("A theme, not one department")), *Department.choices],
            required=False,
        )
        self.fields["order"].required = False


class StatementForm(forms.ModelForm):
    text = TranslatedTextField(label=_("Statement"), max_length=500, textarea=True)
    guidance = TranslatedTextField(
        label=_("Guidance"),
        max_length=1000,
        textarea=True,
        required=False,
        help_text=_("What counts as “yes”, for the people answering."),
    )

    class Meta:
        model = Statement
        fields = ["code", "text", "guidance", "order"]
        widgets = {"code": forms.TextInput(attrs=CODE_ATTRS)}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["order"].required = False
        self.fields["code"].help_text = _(
            "Keep the code when the wording changes: repeat assessments are compared by it."
        )


class LinkForm(forms.Form):
    module = ModuleChoiceField(label=_("Module"), queryset=Module.objects.none(), required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, initial=1)

    def __init__(self, *args: Any, modules: QuerySet[Module] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["module"].queryset = (  # type: ignore[attr-defined]
            modules if modules is not None else Module.objects.filter(is_active=True)
        )


LinkFormSet = forms.formset_factory(LinkForm, extra=3, max_num=20, validate_max=True)


class AssessmentStartForm(forms.Form):
    factory = forms.ModelChoiceField(label=_("Factory"), queryset=Factory.objects.none())
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none()
    )
    engagement = forms.ModelChoiceField(
        label=_("Engagement"),
        queryset=Engagement.objects.none(),
        required=False,
        help_text=_("The engagement whose module plan this assessment informs."),
    )
    coordinator_name = forms.CharField(label=_("FIT coordinator"), max_length=200, required=False)
    manager_name = forms.CharField(label=_("Factory manager"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the statements"), choices=settings.LANGUAGES)

    def __init__(
        self,
        *args: Any,
        factories: QuerySet[Factory],
        questionnaires: QuerySet[Questionnaire],
        engagements: QuerySet[Engagement],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["factory"].queryset = factories  # type: ignore[attr-defined]
        self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]
        self.fields["engagement"].queryset = engagements  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        factory, engagement = data.get("factory"), data.get("engagement")
        if factory and engagement and engagement.factory_id != factory.pk:
            self.add_error("engagement", _("This engagement is with another factory."))
        return data


class AssessmentPeopleForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["coordinator_name", "manager_name", "language"]
        widgets = {"language": forms.Select(choices=settings.LANGUAGES)}


class AnswerForm(forms.Form):
    value = forms.ChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("Not answered"))],
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=_("Photo or document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_("A photo (JPEG, PNG, WebP) or a PDF, Word or Excel file, up to %(mb)s MB.")
        % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_evidence(upload)
        return upload or None

    def answer_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("value") or "")


class ModulePlanForm(forms.Form):
    engagement = forms.ModelChoiceField(label=_("Engagement"), queryset=Engagement.objects.none())
    modules = ModuleMultipleChoiceField(
        label=_("Recommended modules to keep"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    added = ModuleMultipleChoiceField(
        label=_("Add other modules"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )

    def __init__(
        self,
        *args: Any,
        engagements: QuerySet[Engagement],
        recommended: QuerySet[Module],
        catalogue: QuerySet[Module],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["engagement"].queryset = engagements  # type: ignore[attr-defined]
        self.fields["modules"].queryset = recommended  # type: ignore[attr-defined]
        self.fields["added"].queryset = catalogue  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("modules") and not data.get("added"):
            raise ValidationError(_("Choose at least one module."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))


class FindingMappingForm(forms.ModelForm):
    module = ModuleChoiceField(label=_("Module"), queryset=Module.objects.none())

    class Meta:
        model = FindingMapping
        fields = ["source", "code", "module", "weight"]
        widgets = {"code": forms.TextInput(attrs={"dir": "ltr"})}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["module"].queryset = Module.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("sort_order", "code")
        self.fields["source"].help_text = _("Such as Better Work, SLCP or SMETA.")

    def validate_unique(self) -> None:
        # The service updates the weight of an existing row rather than refusing it.
        pass


class AssessmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Factory"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Assessment.Status.choices],
    )
