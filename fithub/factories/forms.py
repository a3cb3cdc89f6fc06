from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from fithub.factories.models import Factory, Sector, TeamMember, Tier


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

    def clean_os_id(self) -> str | None:
        # Blank means "not known yet"; store NULL so the unique constraint allows many.
        value = (self.cleaned_data.get("os_id") or "").strip().upper()
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
