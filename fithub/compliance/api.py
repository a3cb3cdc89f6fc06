"""API endpoints of compliance assessment, mounted under /api/v1/ (filled in below)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
