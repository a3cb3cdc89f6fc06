"""Catalogue tests write uploaded files to a temporary MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
