"""An uploaded file kept between an import's preview and its confirmation.

An import is checked, shown, and written only when the user confirms what it will do. The
browser should not have to send the file twice (a slow connection, a phone that lost the file
picker's choice), so the file waits on the server, named by a random token that only the
session that uploaded it holds. A file older than a day is deleted at the next upload.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

MAX_AGE = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "pending-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def keep(session: SessionBase, kind: str, upload: UploadedFile) -> str:
    """Keep the upload for this session; return the token that fetches it back."""
    folder = _folder()
    _prune(folder)
    drop(session, kind)
    token = secrets.token_urlsafe(24)
    with (folder / token).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    session[f"pending-{kind}"] = {"token": token, "name": upload.name or "", "choices": {}}
    return token


def fetch(session: SessionBase, kind: str, token: str) -> UploadedFile | None:
    """The kept file, if this session kept it under this token and it is still there."""
    held = session.get(f"pending-{kind}")
    if not held or not secrets.compare_digest(held["token"], token or ""):
        return None
    path = _folder() / held["token"]
    if not path.exists():
        return None
    return SimpleUploadedFile(held["name"], path.read_bytes())


def choices(session: SessionBase, kind: str) -> dict[str, str]:
    """Choices the user made about the kept file (such as how to read a country name)."""
    held = session.get(f"pending-{kind}")
    return dict(held["choices"]) if held else {}


def set_choices(session: SessionBase, kind: str, values: dict[str, str]) -> None:
    held = session.get(f"pending-{kind}")
    if held:
        held["choices"] = values
        session.modified = True


def drop(session: SessionBase, kind: str) -> None:
    """Forget the kept file and delete it."""
    held = session.pop(f"pending-{kind}", None)
    if held:
        (_folder() / held["token"]).unlink(missing_ok=True)
