from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from fithub.accounts.models import Organisation
from fithub.factories import services
from fithub.factories.models import OS_ID_VALIDATOR, Factory, Sector, TeamMember, Tier


class FactoryForm(forms.ModelForm):
    class Meta:
        model = Factory
        fields = [
            "name",
            "os_id",
            "country",
            "city",
            "address",
            "latitude",
            "longitude",
            "sector",
            "product_types",
            "tier",
            "workers_female",
            "workers_male",
            "score_graduate",
            "better_work",
            "consent_date",
            "women_available_from",
            "women_available_until",
        ]
        widgets = {
            "consent_date": forms.DateInput(attrs={"type": "date"}),
            "women_available_from": forms.TimeInput(attrs={"type": "time"}),
            "women_available_until": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, user: Any = None, providers: Any = None, **kw: Any) -> None:
        # Given the user, a new factory's OS ID already in FIT Hub is recognised, and the
        # page offers to ask to work with that factory (see `in_fit_hub`).
        super().__init__(*args, **kw)
        self.user = user
        self.in_fit_hub = ""
        if providers is not None:
            # For an administrator of several providers: which one registers the factory.
            # Not saved by the form: the view hands it to the service.
            self.fields["registered_by"] = forms.ModelChoiceField(
                queryset=providers, label=_("Registered by"), empty_label=None
            )
            self.order_fields(["registered_by"])

    def clean_os_id(self) -> str | None:
        # Blank means "not known yet"; store NULL so the unique constraint allows many.
        value = (self.cleaned_data.get("os_id") or "").strip().upper()
        if value and self.user is not None and self.instance.pk is None:
            try:
                services.os_id_check(os_id=value, user=self.user)
            except ValidationError as e:
                error = e.error_dict["os_id"][0]
                if error.code == "in_fit_hub":
                    self.in_fit_hub = value
                raise error from None
        return value or None


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "role", "department", "sex"]


class FactoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices]
    )

    def __init__(self, *args: object, country_codes: list[str] | None = None, **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        codes = country_codes or []
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("All countries"))] + [
            (code, countries.name(code)) for code in codes
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Open Supply Hub lists (country, name, address, sector, lat, lng) work as they are."
        ),
    )


class AccessRequestForm(forms.Form):
    """Ask to work with a factory already in FIT Hub, found by its Open Supply Hub ID."""

    os_id = forms.CharField(label=_("Open Supply Hub ID"), max_length=20)
    provider = forms.ModelChoiceField(
        label=_("For the service provider"), queryset=Organisation.objects.none()
    )
    note = forms.CharField(
        label=_("Message to the factory"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who you are and why you would like to work with the factory."),
    )

    def __init__(self, *args: Any, providers: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = cast(forms.ModelChoiceField, self.fields["provider"])
        field.queryset = providers
        if len(providers) == 1:
            field.initial = providers[0].pk
            field.widget = forms.HiddenInput()

    def clean_os_id(self) -> str:
        # Upper case first, so that an ID typed in lower case is accepted too.
        value = self.cleaned_data["os_id"].strip().upper()
        OS_ID_VALIDATOR(value)
        return value


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the provider"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
