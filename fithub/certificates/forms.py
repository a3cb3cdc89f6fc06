from django import forms
from django.utils.translation import gettext_lazy as _

from fithub.certificates.models import Batch
from fithub.certificates.render import LANGUAGE_NAMES


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("It is printed under the QR code, for example ABCDE-23456."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "dir": "ltr"}
        ),
    )


class IssueForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=list(LANGUAGE_NAMES.items()))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the certificate for your records; the public page shows only that "
                    "it was revoked, and when."),
    )  # fmt: skip


class ReissueForm(forms.Form):
    name = forms.CharField(
        label=_("Name to print"),
        max_length=200,
        help_text=_("The certificate keeps its verification code, so the QR code on the paper "
                    "the participant holds shows the corrected name."),
    )  # fmt: skip


class BatchForm(forms.Form):
    kind = forms.ChoiceField(choices=Batch.Kind.choices)


class LogoForm(forms.Form):
    logo = forms.ImageField(
        label=_("Logo"),
        help_text=_("A PNG or JPEG picture of at most 5 MB; it is printed about 7 cm wide at the "
                    "top of the certificates."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )  # fmt: skip
