"""Certificate pages: a session's certificates for its staff, the provider's logo, and the
public verification page that the QR code on every certificate opens."""

from dataclasses import dataclass
from pathlib import PurePath
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.certificates import render as printing
from fithub.certificates import services
from fithub.certificates.forms import (
    BatchForm,
    IssueForm,
    LogoForm,
    ReissueForm,
    RevokeForm,
    VerifyForm,
)
from fithub.certificates.models import Batch, Certificate
from fithub.certificates.scoping import (
    certificate_by_code,
    certificate_sessions_for,
    certificates_for,
)
from fithub.lib.i18n import localized, localized_with_language
from fithub.training.models import Registration, Session
from fithub.training.scoping import can_change_session, registrations_for, sessions_for

SESSIONS_PER_PAGE = 50
RECENT_BATCHES = 5


def _session_for(request: HttpRequest, pk: int, write: bool = True) -> Session:
    """Return the session if the user may change it (or read its certificates); else 404."""
    sessions = (
        sessions_for(request.user, write=True) if write else certificate_sessions_for(request.user)
    )
    return get_object_or_404(sessions.select_related("module", "provider"), pk=pk)


def _certificate_for(request: HttpRequest, pk: int, write: bool = True) -> Certificate:
    """Return the certificate if the user may change it (or see it); else 404."""
    qs = certificates_for(request.user, write=write).select_related(
        "registration__participant", "registration__session__module"
    )
    return get_object_or_404(qs, pk=pk)


def _batch_for(request: HttpRequest, pk: int) -> Batch:
    """Return the batch if the user may change its session; else 404."""
    sessions = sessions_for(request.user, write=True).values("pk")
    return get_object_or_404(Batch.objects.filter(session__in=sessions), pk=pk)


def _administered_providers(request: HttpRequest) -> list[Organisation]:
    """Return the service providers the user administers; 404 if none."""
    pks = roles_of(request.user).orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,))
    if not pks:
        raise Http404
    return list(Organisation.objects.filter(pk__in=pks).order_by("name"))


def _back(session: Session) -> HttpResponse:
    return redirect("certificates:session", pk=session.pk)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """List the sessions whose certificates the user manages or reads, with what is issued.

    The counts are of the people the user may see: a factory's users count their own.
    """
    visible = registrations_for(request.user).values("pk")
    qs = (
        certificate_sessions_for(request.user)
        .select_related("module", "provider", "organising_factory")
        .annotate(
            attended=Count(
                "registrations",
                filter=Q(registrations__present=True, registrations__in=visible),
            ),
            issued=Count("registrations__certificate", filter=Q(registrations__in=visible)),
        )
        .order_by("-date", "-pk")
    )
    page = Paginator(qs, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    can_upload_logo = roles_of(request.user).provider_admin
    return render(
        request, "certificates/list.html", {"page": page, "can_upload_logo": can_upload_logo}
    )


@dataclass(frozen=True)
class Row:
    registration: Registration
    certificate: Certificate | None
    issue_form: IssueForm


def _session_context(request: HttpRequest, session: Session) -> dict[str, object]:
    rows = []
    can_change = can_change_session(request.user, session)
    people = (
        registrations_for(request.user)
        .filter(session=session)
        .select_related("participant", "certificate")
        .order_by("participant__name", "pk")
    )
    if not can_change:  # a reader sees the certificates, not who has none yet
        people = people.filter(certificate__isnull=False)
    for registration in people:
        language = printing.certificate_language(registration.participant.language)
        form = IssueForm(initial={"language": language}, prefix=f"r{registration.pk}")
        rows.append(Row(registration, getattr(registration, "certificate", None), form))
    return {
        "session": session,
        "module_title": localized(session.module.title),
        "rows": rows,
        "waiting": sum(1 for row in rows if row.certificate is None and row.registration.present),
        "valid": sum(1 for row in rows if row.certificate is not None and row.certificate.is_valid),
        "batches": session.certificate_batches.all()[:RECENT_BATCHES] if can_change else [],
        "language_names": printing.LANGUAGE_NAMES,
        "can_change": can_change,
    }


@login_required
def session_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a session's participants and certificates, with what the user may do to them."""
    session = _session_for(request, pk, write=False)
    return render(request, "certificates/session.html", _session_context(request, session))


@login_required
@require_POST
def issue_all(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    try:
        issued = services.certificates_issue_for_session(
            session=session, by=cast(User, request.user)
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if issued:
            messages.success(
                request,
                ngettext(
                    "%(count)s certificate issued.", "%(count)s certificates issued.", len(issued)
                )
                % {"count": len(issued)},
            )
        else:
            messages.info(request, _("Everyone who attended has a certificate already."))
    return _back(session)


@login_required
@require_POST
def issue_one(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(
        registrations_for(request.user, write=True).select_related("participant", "session"),
        pk=pk,
    )
    form = IssueForm(request.POST, prefix=f"r{registration.pk}")
    language = form.cleaned_data["language"] if form.is_valid() else None
    try:
        services.certificate_issue(
            registration=registration, by=cast(User, request.user), language=language
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("Certificate issued to %(name)s.") % {"name": registration.participant.name},
        )
    return _back(registration.session)


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Render one certificate as PDF, there and then (a fraction of a second)."""
    # Whoever sees the certificate may print it: a coordinator prints their worker's too.
    certificate = _certificate_for(request, pk, write=False)
    if not certificate.is_valid:
        messages.error(request, _("This certificate is revoked: it is not printed any more."))
        return _back(certificate.registration.session)
    response = HttpResponse(printing.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{printing.filename(certificate)}"'
    return response


@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_for(request, pk)
    session = certificate.registration.session
    if not certificate.is_valid:
        return _back(session)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                by=cast(User, request.user),
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The certificate is revoked."))
            return _back(session)
    ctx = {"form": form, "certificate": certificate, "session": session}
    return render(request, "certificates/revoke.html", ctx)


@login_required
def certificate_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_for(request, pk)
    session = certificate.registration.session
    if not certificate.is_valid:
        return _back(session)
    # A name corrected on the participant's record is offered, so it need not be typed twice.
    participant_name = certificate.registration.participant.name.strip()
    form = ReissueForm(request.POST or None, initial={"name": participant_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_reissue(
                certificate=certificate, name=form.cleaned_data["name"], by=cast(User, request.user)
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("Reissued with the corrected name; the verification code stays %(code)s.")
                % {"code": printing.display_code(certificate.code)},
            )
            return _back(session)
    ctx = {"form": form, "certificate": certificate, "session": session}
    return render(request, "certificates/reissue.html", ctx)


@login_required
@require_POST
def batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    htmx = bool(request.headers.get("HX-Request"))
    form = BatchForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one PDF or a ZIP of separate PDFs."))
        batch = services.batch_create(
            session=session, kind=form.cleaned_data["kind"], by=cast(User, request.user)
        )
    except ValidationError as e:
        if htmx:  # shown where the batch would have appeared, not as a whole page in it
            ctx = {"error": " ".join(e.messages)}
            return render(request, "certificates/session.html#batch-error", ctx)
        messages.error(request, " ".join(e.messages))
        return _back(session)
    if htmx:
        return render(request, "certificates/session.html#batch", {"batch": batch})
    return redirect(f"{reverse('certificates:session', args=[session.pk])}#batch-{batch.pk}")


@login_required
def batch_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a batch's progress; htmx polls it every second until it is done."""
    batch = _batch_for(request, pk)
    if not request.headers.get("HX-Request"):
        return redirect(f"{reverse('certificates:session', args=[batch.session_id])}#batch-{pk}")
    return render(request, "certificates/session.html#batch", {"batch": batch})


@login_required
def batch_download(request: HttpRequest, pk: int) -> FileResponse | HttpResponse:
    # Served through here, not from MEDIA_URL: the files name people, so each download is
    # checked against the session's access rules.
    batch = _batch_for(request, pk)
    if batch.status == Batch.Status.EXPIRED:
        return _batch_gone(request, batch)
    if batch.status != Batch.Status.DONE or not batch.file:
        raise Http404
    try:
        handle = batch.file.open("rb")
    except FileNotFoundError:  # pruned between showing the link and following it
        return _batch_gone(request, batch)
    content_type = "application/pdf" if batch.kind == Batch.Kind.PDF else "application/zip"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=PurePath(batch.file.name or "").name,
        content_type=content_type,
    )


def _batch_gone(request: HttpRequest, batch: Batch) -> HttpResponse:
    # The same words as the expired batch's card, which the redirect shows too.
    messages.warning(
        request, _("This file is no longer kept: make a new one to download the certificates.")
    )
    return redirect(f"{reverse('certificates:session', args=[batch.session_id])}#batch-{batch.pk}")


@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    """Ask for a code typed from the paper; no login needed."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = services.normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("certificates:verify", code=code)
    return _public(render(request, "certificates/verify_form.html", {"form": form}))


def _public(response: HttpResponse) -> HttpResponse:
    # The page names a person: it is for whoever holds the paper, not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Show whether a certificate is genuine and stands; no login needed."""
    normalised = services.normalise_code(code)
    if normalised and normalised != code:
        return redirect("certificates:verify", code=normalised)
    certificate = certificate_by_code(normalised)
    if certificate is None:
        ctx = {"code": code[:40], "form": VerifyForm()}
        response = render(request, "certificates/verify_unknown.html", ctx, status=404)
        return _public(response)
    session = certificate.registration.session
    # What the page shows is what the paper shows, and no more: the name as printed (so the
    # verifier can compare it with the paper in their hands; without it a genuine code could
    # be copied onto a forged certificate), the module, the date and the issuer (the provider,
    # or for a session a factory ran itself, that factory, as the paper says). Never the
    # factory, phone, sex, role or department of the person, nor why a certificate was
    # revoked (a reason may say something about them). Only someone holding the paper knows
    # the code, and codes are far too many to guess.
    # The module and the date read as the paper prints them, in the certificate's language,
    # whatever the language of the page around them.
    lang = printing.certificate_language(certificate.language)
    title, title_lang = localized_with_language(session.module.title, lang)
    with translation.override(lang):
        printed_date = date_format(session.date, "DATE_FORMAT")
    ctx = {
        "certificate": certificate,
        "code": printing.display_code(certificate.code),
        "name": printing.script_run(certificate.name, translation.get_language() or "en"),
        "module": {"text": title or session.module.code, "lang": title_lang if title else "en"},
        "lang": lang,
        "date": printed_date,
        "issuer": printing.issuer_name(certificate),
    }
    return _public(render(request, "certificates/verify.html", ctx))


@login_required
def logo(request: HttpRequest) -> HttpResponse:
    """Show the logo printed on each of the user's providers' certificates, to change it."""
    providers = _administered_providers(request)
    rows = [(provider, LogoForm(prefix=f"o{provider.pk}")) for provider in providers]
    return render(request, "certificates/logo.html", {"rows": rows})


@login_required
@require_POST
def logo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    providers = {p.pk: p for p in _administered_providers(request)}
    if pk not in providers:
        raise Http404
    provider = providers[pk]
    if request.POST.get("remove"):
        services.organisation_logo_set(
            organisation=provider, image=None, by=cast(User, request.user)
        )
        messages.success(request, _("The logo is removed."))
        return redirect("certificates:logo")
    form = LogoForm(request.POST, request.FILES, prefix=f"o{pk}")
    if form.is_valid():
        try:
            services.organisation_logo_set(
                organisation=provider, image=form.cleaned_data["logo"], by=cast(User, request.user)
            )
        except ValidationError as e:
            form.add_error("logo", e.messages)
        else:
            messages.success(request, _("The logo is saved; new certificates show it."))
            return redirect("certificates:logo")
    rows = [(p, form if p.pk == pk else LogoForm(prefix=f"o{p.pk}")) for p in providers.values()]
    return render(request, "certificates/logo.html", {"rows": rows}, status=400)


@login_required
def logo_image(request: HttpRequest, pk: int) -> FileResponse:
    providers = {p.pk: p for p in _administered_providers(request)}
    provider = providers.get(pk)
    if provider is None or not provider.logo:
        raise Http404
    return FileResponse(provider.logo.open("rb"), content_type="image/png")
