"""Log in and out, password reset, organisation members and invitations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from fithub.accounts import services
from fithub.accounts.forms import AcceptForm, InviteForm, LoginForm, ResetForm
from fithub.accounts.models import Invitation, Membership, Organisation, User
from fithub.accounts.scoping import my_organisations, organisations_for


class _LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The user's saved language wins over the browser's, so a shared phone shows each
        # person their own language.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        )
        return response


login_view = _LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    success_url="/accounts/password-reset/sent/",
    form_class=ResetForm,  # it queues the e-mail, written with services.PASSWORD_RESET_EMAIL
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url="/accounts/password-reset/complete/"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()


def _organisation_for(request: HttpRequest, pk: int, admin: bool = False) -> Organisation:
    """Return an organisation the user belongs to (as administrator if admin=True), or 404."""
    return get_object_or_404(organisations_for(request.user, admin=admin), pk=pk)


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    orgs = my_organisations(request.user)
    return render(request, "accounts/organisations.html", {"organisations": orgs})


@login_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    # Every member sees the organisation; only its administrators invite.
    org = _organisation_for(request, pk, admin=request.method == "POST")
    is_admin = organisations_for(request.user, admin=True).filter(pk=pk).exists()
    form = InviteForm(request.POST) if request.method == "POST" else InviteForm()
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            organisation=org,
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("Invitation sent to %s.") % form.cleaned_data["email"])
        return redirect("accounts:organisation", pk=pk)
    members = org.memberships.select_related("user").order_by("user__name", "user__email")
    pending = org.invitations.filter(accepted_at=None).order_by("-created_at")
    return render(
        request,
        "accounts/organisation.html",
        {"org": org, "members": members, "pending": pending, "form": form, "is_admin": is_admin},
    )


@require_POST
@login_required
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk)
    _organisation_for(request, membership.organisation_id, admin=True)
    try:
        services.membership_remove(membership=membership, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:organisation", pk=membership.organisation_id)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, token=token)
    if not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    # Someone who already has an account only confirms; a newcomer chooses a password.
    form = None if existing else AcceptForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        user = services.invitation_accept(
            invitation=invitation, name=data.get("name", ""), password=data.get("password1")
        )
        if not existing:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
        messages.success(request, _("Invitation accepted. Log in to continue."))
        return redirect("login")
    return render(
        request,
        "accounts/accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and, for a logged-in user, remember it on the account."""
    response = i18n.set_language(request)
    # Saved on the account, the choice survives the next log-in (which sets the language
    # cookie from the account) and reaches e-mails and PDFs.
    if request.method == "POST" and request.user.is_authenticated:
        services.user_set_language(
            user=request.user,  # type: ignore[arg-type]
            language=request.POST.get("language", ""),
        )
    return response
