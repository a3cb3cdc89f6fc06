"""The app's URLs plus /bench/bare, a view that does nothing, as the latency floor."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare", bare),
    path("", include("fithub.urls")),
]
