"""Forms of the improvement pages; the item's fields come from services.ITEM_FIELDS."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fithub.catalogue.models import Module
from fithub.factories.models import Factory, TeamMember
from fithub.improvement import services
from fithub.improvement.models import AdoptionFollowUp, ImprovementItem, ItemEvidence, Status
from fithub.training.forms import DATE, GroupChoiceField, ModuleChoiceField
from fithub.training.models import Group


def _queryset(form: forms.BaseForm, name: str, qs: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = qs


class ItemForm(forms.ModelForm):
    module = ModuleChoiceField(label=_("Module"), queryset=Module.objects.none(), required=False)

    class Meta:
        model = ImprovementItem
        fields = services.ITEM_FIELDS
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 2}),
            "root_cause": forms.Textarea(attrs={"rows": 2}),
            "action": forms.Textarea(attrs={"rows": 2}),
            "due_on": DATE,
        }
        labels = {"owner_name": _("Someone else (not on the team)")}

    def __init__(
        self, *args: Any, team: QuerySet[TeamMember], modules: QuerySet[Module], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        _queryset(self, "owner", team)
        _queryset(self, "module", modules)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))
    stage = forms.ChoiceField(label=_("Before or after"), choices=ItemEvidence.Stage.choices)
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(forms.Form):
    """The plan list's filters; every field may be left empty."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("Any")), *ImprovementItem.Source.choices],
        required=False,
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=TeamMember.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, team: QuerySet[TeamMember], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _queryset(self, "owner", team)


class SessionItemForm(forms.Form):
    """An improvement a group decided at the end of the module (the session page)."""

    description = forms.CharField(
        label=_("Improvement"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_name = forms.CharField(label=_("Who"), max_length=200, required=False)
    due_on = forms.DateField(label=_("By when"), required=False, widget=DATE)
    group = GroupChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, empty_label="—"
    )
    factory = forms.ModelChoiceField(
        label=_("Factory"), queryset=Factory.objects.none(), required=False
    )

    def __init__(self, *args: Any, groups: Any = None, factories: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        _queryset(self, "group", groups)
        _queryset(self, "factory", factories)
        factory = self.fields["factory"]
        if factories is not None and len(factories) == 1:
            factory.initial = factories[0].pk
            factory.widget = forms.HiddenInput()


class FollowUpForm(forms.Form):
    """An adoption follow-up's answer; the fields are services.FOLLOWUP_FIELDS and evidence."""

    in_use = forms.ChoiceField(
        label=_("Is the practice in use?"),
        choices=AdoptionFollowUp.InUse.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What did you see?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(label=_("Photo or document (optional)"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("One item a row, with the columns of the template."),
    )
