from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fithub.accounts.models import Membership


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        # Django's text says both fields may be case-sensitive; the e-mail address is not here.
        "invalid_login": _(
            "Enter a correct e-mail address and password. The password is case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def clean_username(self) -> str:
        # Accounts are stored with lower-case e-mail addresses (UserManager.create_user), and
        # phones often capitalise the first letter typed. Axes then also counts failures
        # against the one lower-case address, so changing case does not reset the throttle.
        return self.cleaned_data["username"].lower()


class ResetForm(PasswordResetForm):
    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        *args: Any,
        **kw: Any,
    ) -> None:
        # The e-mail goes out in the account's own language, not the language of whoever typed
        # the address (often a colleague's phone or a shared office computer).
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kw)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args: object, role_choices: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if role_choices is not None:
            cast(forms.ChoiceField, self.fields["role"]).choices = role_choices


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
