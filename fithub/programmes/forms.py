from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from fithub.programmes import pricing
from fithub.programmes.models import CostItem, Engagement, Programme, Sponsorship
from fithub.programmes.services import EngagementDetails, ProgrammeDetails


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        # The seed's is_demo is no field of the form.
        fields = [*(f for f in ProgrammeDetails.field_names() if f != "is_demo"), "providers"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "providers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, owners: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if owners is not None:
            # For an administrator of several programme owners: whose programme it is. Not a
            # model field of the form, so the view passes it to the service itself.
            self.fields["owner"] = forms.ModelChoiceField(
                queryset=owners, label=gettext_lazy("Programme owner"), empty_label=None
            )
            self.order_fields(["owner"])


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = list(EngagementDetails.field_names())
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(
        self,
        *args: Any,
        programmes: Any = None,
        factories: Any = None,
        coordinators: Any = None,
        providers: Any = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        if providers is not None:
            # For an administrator of several providers: which one runs the engagement. Not a
            # model field of the form, so the view passes it to the service itself.
            self.fields["provider"] = forms.ModelChoiceField(
                queryset=providers, label=gettext_lazy("Service provider"), empty_label=None
            )
            self.order_fields(["provider"])
        # Choices are limited to what the user may see, so a form cannot leak other tenants' names.
        for name, qs in (
            ("programme", programmes),
            ("factory", factories),
            ("coordinator", coordinators),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs


class CostItemsForm(forms.Form):
    """A provider's price list: one optional amount per item kind, in one currency."""

    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        min_length=3,
        max_length=3,
        help_text=gettext_lazy("A three-letter code, such as BDT, PKR or USD."),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for kind, label in CostItem.Kind.choices:
            self.fields[kind] = forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=12, decimal_places=2
            )

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()


class QuoteForm(forms.Form):
    """The calculator's inputs; read from the query string, so a quote can be shared as a link."""

    margin = forms.DecimalField(
        label=gettext_lazy("Margin (%)"),
        required=False,
        min_value=0,
        max_value=Decimal("99.99"),
        max_digits=4,
        decimal_places=2,
        help_text=gettext_lazy("The share of the price left after costs."),
        widget=forms.NumberInput(attrs={"placeholder": "0"}),
    )
    preparation_hours = forms.DecimalField(
        label=gettext_lazy("Preparation (hours)"),
        required=False,
        min_value=0,
        max_value=24,
        max_digits=4,
        decimal_places=2,
        help_text=gettext_lazy("Facilitator time before and after the session."),
        widget=forms.NumberInput(attrs={"placeholder": str(pricing.PREPARATION_HOURS)}),
    )

    def values(self) -> tuple[Decimal, Decimal]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        margin = data.get("margin")
        preparation = data.get("preparation_hours")
        return (
            margin if margin is not None else Decimal(0),
            preparation if preparation is not None else pricing.PREPARATION_HOURS,
        )


class SponsorshipForm(forms.ModelForm):
    class Meta:
        model = Sponsorship
        fields = ["sponsor", "share_percent"]
        labels = {"sponsor": gettext_lazy("Sponsor")}

    def __init__(self, *args: Any, engagement: Engagement, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # Only the factory's buyers and the programme's owner: no other tenant's name leaks.
        field = self.fields["sponsor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = pricing.sponsor_choices(engagement).order_by("name")
