from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fithub.accounts import tasks
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
    """Ask for a password-reset link; the e-mail goes out in the background.

    The answer must not tell whether an account has the address, in its words or in its time:
    the request only queues the same task for every address, and the task looks the account
    up and sends the e-mail (accounts/tasks.py).
    """

    def save(  # type: ignore[override]
        self,
        domain_override: str | None = None,
        *args: Any,
        use_https: bool = False,
        request: HttpRequest | None = None,
        **kw: Any,
    ) -> None:
        domain = domain_override or (request.get_host() if request is not None else "")
        if not domain:
            domain = urlsplit(settings.SITE_URL).netloc
        tasks.password_reset_task.enqueue(
            email=self.cleaned_data["email"], domain=domain, use_https=use_https
        )


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
