"""Writes for accounts: invitations, memberships and language preference."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fithub.accounts.models import FactoryMembership, Invitation, Membership, Organisation, User

if TYPE_CHECKING:  # only for the annotation: accounts never imports factories at run time
    from fithub.factories.models import Factory


@transaction.atomic
def invitation_create(
    *,
    email: str,
    role: str,
    by: User,
    organisation: Organisation | None = None,
    factory: "Factory | None" = None,
    language: str | None = None,
) -> Invitation:
    """Create an invitation and e-mail its link, in the language the inviter chose."""
    email = email.strip().lower()
    valid_roles = Membership.Role.values if organisation else FactoryMembership.Role.values
    if role not in valid_roles:
        raise ValidationError({"role": _("Choose a valid role.")})
    invitation = Invitation.objects.create(
        email=email, role=role, invited_by=by, organisation=organisation, factory=factory
    )
    link = settings.SITE_URL + reverse("accounts:accept", args=[invitation.token])
    with translation.override(language or translation.get_language()):
        subject = _("You are invited to FIT Hub")
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"invitation": invitation, "link": link, "inviter": by},
        )
    # Sent after commit, so a rolled-back invitation never reaches anyone's inbox.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, name: str = "", password: str | None = None
) -> User:
    """Turn an invitation into a membership, creating the user account if needed."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has expired or has already been used."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        if not password:
            raise ValidationError({"password1": _("Choose a password.")})
        user = User.objects.create_user(invitation.email, password, name=name)
    if invitation.organisation_id:
        Membership.objects.update_or_create(
            user=user,
            organisation_id=invitation.organisation_id,
            defaults={"role": invitation.role},
        )
    else:
        FactoryMembership.objects.update_or_create(
            user=user, factory=invitation.factory, defaults={"role": invitation.role}
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a member from an organisation; an organisation keeps at least one administrator."""
    if membership.role == Membership.Role.ADMIN:
        # Locking the administrators stops two of them removing each other at the same time.
        admins = Membership.objects.select_for_update().filter(
            organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
        )
        if len(admins) <= 1:
            raise ValidationError(_("An organisation needs at least one administrator."))
    membership._change_reason = f"removed by {by.email}"  # type: ignore[attr-defined]
    membership.delete()


def user_set_language(*, user: User, language: str) -> None:
    """Remember the user's language so e-mails and PDFs come in it too."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


PASSWORD_RESET_EMAIL = "registration/password_reset_email.txt"


class _PasswordResetMail(PasswordResetForm):
    """Django's password-reset e-mail, written in each account's own language."""

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        *args: Any,
        **kw: Any,
    ) -> None:
        # The account's language, not that of whoever typed the address (often a colleague's
        # phone or a shared office computer).
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kw)


def password_reset_send(*, email: str, domain: str, use_https: bool) -> None:
    """E-mail a reset link to each active account with this address; none, if there is none."""
    form = _PasswordResetMail({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain, use_https=use_https, email_template_name=PASSWORD_RESET_EMAIL
        )
