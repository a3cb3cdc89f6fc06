"""Browser fixtures: Playwright's sync API driving Debian's Chromium against the live server.

Browser downloads are blocked, so Playwright never installs its own browser: it launches the
system Chromium (/usr/bin/chromium, or $CHROMIUM_PATH). Every test gets a fresh browser
context, so cookies and storage never leak between tests, and fails on any console error:
a missing static file, a script error or a Content Security Policy violation.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# Reports CSP violations as console errors even where Chromium would only fire the event.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const what = `${e.violatedDirective} blocked ${e.blockedURI}`;
  console.error(`Content Security Policy violation: ${what}`);
});
"""


def chromium_path() -> str | None:
    """Return the Chromium executable to drive, or None when there is none."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return shutil.which(path) if os.sep not in path else None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        wanted = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
        reason = (
            f"Chromium not found at {wanted}; install with apt-get install chromium "
            "(or set CHROMIUM_PATH)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}. Under CI the browser tests may not be skipped.")
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine can take a few seconds for a page; 5 s (the default) is too tight.
    expect.set_options(timeout=10_000)
    # Playwright's sync API keeps an asyncio event loop running in the test thread from here
    # to the end of the session, and Django refuses database access from a thread with a
    # running loop ("You cannot call this from an async context"), in these tests and in any
    # later test on this worker. Set only once a browser starts, so that runs without
    # browser tests keep Django's guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def _plain_http_live_server(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    # The live server speaks plain HTTP. SecurityMiddleware reads SECURE_SSL_REDIRECT once,
    # when the server thread builds its handler, so switching it off just while the server
    # starts lets these tests pass with DEBUG off without changing settings for other tests.
    # (Chromium accepts Secure cookies from http://localhost, so those need no change.)
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        return request.getfixturevalue("live_server")


@pytest.fixture
def server(_plain_http_live_server, live_server, transactional_db: None) -> str:  # type: ignore[no-untyped-def]
    """Return the live server's base URL; the server runs in another thread of this process."""
    return live_server.url


@dataclass
class Console:
    """What the page wrote to the console; any error fails the test unless allowed."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Tolerate console errors matching pattern (for a test that provokes one on purpose)."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    # Keep each phase's report on the test item, so fixtures can tell whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(request: pytest.FixtureRequest, browser, server: str, console: Console):  # type: ignore[no-untyped-def]
    """A page in a fresh browser context; parametrize indirectly with "phone" for 390x844."""
    phone = getattr(request, "param", "desktop") == "phone"
    options: dict = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {}
    context = browser.new_context(
        base_url=server,
        viewport=options.pop("viewport", DESKTOP),
        accept_downloads=True,
        locale="en-GB",
        **options,
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    pg = context.new_page()

    def on_console(msg) -> None:  # type: ignore[no-untyped-def]
        if msg.type == "error":
            console.errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # a screenshot must never hide the real failure
            print(f"screenshot failed: {exc}")
    context.close()
    if errors := console.unexpected():
        csp = [e for e in errors if "Content Security Policy" in e]
        what = "Content Security Policy violations" if csp else "console errors"
        pytest.fail(f"The page reported {what}:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def login(page, server: str) -> Callable[[object], None]:  # type: ignore[no-untyped-def]
    """Return a function that signs the page's browser context in as a user, skipping the form."""

    def sign_in(user: object) -> None:
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": server}])

    return sign_in
