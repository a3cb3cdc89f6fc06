"""Project-wide pages: the home page, the health check and the API token exchange."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException, ValidationError

from fithub.factories.scoping import factories_for
from fithub.programmes.scoping import engagements_for, programmes_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    ctx = {
        "factory_count": factories_for(request.user).count(),
        "engagement_count": engagements_for(request.user).count(),
        "programmes": programmes_for(request.user).select_related("owner")[:10],
    }
    return render(request, "home.html", ctx)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer whether the app can reach its database, for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = "ok"
    except Exception as exc:  # any database failure must become a 503, not a crash
        db = f"error: {exc.__class__.__name__}"
    status = 200 if db == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": db, "version": settings.VERSION},
        status=status,
    )


class _TokenSerializer(AuthTokenSerializer):
    def validate_username(self, value: str) -> str:
        # As on the login page: accounts are stored in lower case, and axes counts failures
        # against that one address, so changing case neither fails nor resets the throttle.
        return value.strip().lower()


class LockedOut(APIException):
    """Answered while axes has paused logging in with an address, as the login page does."""

    status_code = 429
    default_detail = _(
        "For your security, logging in with this e-mail address is paused for a few minutes. "
        "Try again later, or reset your password."
    )
    default_code = "locked_out"

    def __init__(self, wait: float | None) -> None:
        super().__init__()
        # DRF's exception handler turns `wait` into the Retry-After header.
        self.wait = wait


class _TokenView(ObtainAuthToken):
    throttle_classes = ()
    serializer_class = _TokenSerializer

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.EmailField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description=_("Unable to log in with these credentials.")),
            429: OpenApiResponse(
                description=_("Too many failed attempts: logging in is paused for a while.")
            ),
        },
        summary="Exchange an e-mail and password for an API token",
    )
    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # Axes flags the request it refused (or the failure that reached the limit); the
            # page gets the lockout template from axes' middleware, the API this JSON error.
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request)
                raise LockedOut(cool_off.total_seconds() if cool_off else None) from None
            raise


api_token = _TokenView.as_view()
