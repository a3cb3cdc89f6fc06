from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from fithub.catalogue.models import (
    SUMMARY_MAX,
    TITLE_MAX,
    VERSION_VALIDATOR,
    Adaptation,
    Audience,
    Category,
    Module,
)
from fithub.catalogue.services import check_upload
from fithub.factories.models import Department
from fithub.lib.i18n import TranslatedTextField, content_language_codes


class PrerequisiteField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Module) -> str:  # type: ignore[override]
        return f"{obj.code} · {obj.title_text}"


class ModuleForm(forms.ModelForm):
    title = TranslatedTextField(
        languages=content_language_codes(), label=_("Title"), max_length=TITLE_MAX
    )
    summary = TranslatedTextField(
        languages=content_language_codes(),
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        textarea=True,
        required=False,
    )
    departments = forms.MultipleChoiceField(
        label=_("Departments it serves"),
        choices=Department.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    prerequisites = PrerequisiteField(
        label=_("Prerequisites"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Modules a group should have taken first."),
    )

    class Meta:
        model = Module
        fields = [
            "code",
            "title",
            "summary",
            "category",
            "audience",
            "duration_minutes",
            "case_study_minutes",
            "activities_minutes",
            "action_plan_minutes",
            "departments",
            "prerequisites",
            "licence",
            "attribution",
            "sort_order",
            "is_active",
        ]
        # Codes read left to right on Urdu pages too.
        widgets = {"code": forms.TextInput(attrs={"dir": "ltr"})}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        others = Module.objects.order_by("sort_order", "code")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["prerequisites"].queryset = others  # type: ignore[attr-defined]
        self.fields["code"].help_text = _("Such as P-07. Capital letters, digits, dots, dashes.")

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()


class ModuleFileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    version = forms.CharField(
        label=_("Version"),
        max_length=20,
        validators=[VERSION_VALIDATOR],
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("Such as 2019.1. Each language's newest version is compared with English."),
    )
    released_on = forms.DateField(
        label=_("Released on"),
        initial=date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(
        label=_("PDF or Word (.docx) file"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class AdaptationForm(forms.ModelForm):
    changes = forms.MultipleChoiceField(
        label=_("What you changed"),
        choices=Adaptation.Change.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = TranslatedTextField(
        languages=content_language_codes(),
        label=_("Title of your adaptation"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Leave blank to keep the original title."),
    )
    summary = TranslatedTextField(
        languages=content_language_codes(),
        label=_("Summary of your adaptation"),
        max_length=SUMMARY_MAX,
        textarea=True,
        required=False,
    )

    def __init__(self, *args: Any, providers: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if providers is not None:
            # For an administrator of several providers: whose adaptation this is.
            self.fields["provider"] = forms.ModelChoiceField(
                queryset=providers, label=_("Service provider"), empty_label=None
            )
            self.order_fields(["provider"])

    class Meta:
        model = Adaptation
        fields = ["changes", "notes", "title", "summary", "based_on_version"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "based_on_version": forms.TextInput(attrs={"dir": "ltr"}),
        }


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Category.choices],
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("All audiences")), *Audience.choices],
    )
    language = forms.ChoiceField(
        label=_("Files in"),
        required=False,
        choices=[("", _("Any language")), *settings.LANGUAGES],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("The columns of an export; a module whose code exists is updated."),
    )
