"""Project-wide pages: the home page, the health check and the API token exchange."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

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


class _TokenView(ObtainAuthToken):
    throttle_classes = ()

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.EmailField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        summary="Exchange an e-mail and password for an API token",
    )
    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().post(request, *args, **kwargs)


api_token = _TokenView.as_view()
