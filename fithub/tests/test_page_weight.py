"""Page weight: the factory list must stay light enough for cheap phones on slow networks."""

import gzip
import posixpath
import random
import re
import string
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from fithub.factories.models import Factory

BUDGET = 60 * 1024
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class AssetLinks(HTMLParser):
    """Collect the URLs of the scripts, stylesheets and icons a page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = set((a.get("rel") or "").lower().split())
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])  # type: ignore[arg-type]
        elif tag == "link" and a.get("href") and rel & {"stylesheet", "icon"}:
            self.urls.append(a["href"])  # type: ignore[arg-type]


def static_bytes(url: str) -> bytes:
    """Read a static file the way the server would find it, from its URL."""
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not served from STATIC_URL (no CDNs)"
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is referenced but no static file answers it"
    with open(found, "rb") as f:  # type: ignore[arg-type]
        return f.read()


def css_references(url: str, css: bytes) -> list[str]:
    """Return the non-font, non-inline files a stylesheet pulls in."""
    refs = []
    for m in CSS_URL.finditer(css.decode("utf-8")):
        ref = (m.group(1) or m.group(2)).strip()
        if ref.startswith(("data:", "#")) or urlsplit(ref).path.lower().endswith(FONT_EXTENSIONS):
            continue
        refs.append(posixpath.normpath(urljoin(url, ref)))
    return refs


def varied_factories(provider: object, n: int) -> list[Factory]:
    """Return n factories with varied, realistic fields (repetitive text would gzip too well)."""
    rng = random.Random(7)
    words = ["Crescent", "Sapphire", "Nishat", "Gul", "Kohinoor", "Orient", "Style", "Indus"]
    kinds = ["Apparel", "Garments", "Knitwear", "Fashions", "Textile Mills", "Denim"]
    cities = [("PK", "Karachi"), ("PK", "Lahore"), ("PK", "Faisalabad"), ("BD", "Gazipur")]
    sectors = ["garments", "knitwear", "denim", "textile", "home_textiles"]
    factories = []
    for i in range(n):
        country, city = rng.choice(cities)
        letters = "".join(rng.choices(string.ascii_uppercase + string.digits, k=6))
        factories.append(
            Factory(
                name=f"{rng.choice(words)} {rng.choice(words)} {rng.choice(kinds)} (Pvt) Ltd {i}",
                os_id=f"{country}{rng.randrange(2019, 2026)}{i:03d}{letters}",
                country=country,
                city=city,
                address=f"Plot {rng.randrange(1, 400)}, Sector {rng.randrange(1, 30)}",
                sector=rng.choice(sectors),
                workers_female=rng.randrange(50, 5000),
                workers_male=rng.randrange(50, 3000),
                registered_by=provider,
            )
        )
    return factories


def test_factory_list_weighs_at_most_60_kb_gzipped(cast) -> None:
    Factory.objects.bulk_create(varied_factories(cast.provider_a, 49))
    response = cast.client(cast.admin_a).get(
        "/factories/", HTTP_ACCEPT_ENCODING="gzip", secure=True
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    listed = set(re.findall(r'href="/factories/(\d+)/"', html))
    assert len(listed) == 50, f"the page should list all 50 factories, not {len(listed)}"

    sizes = {"/factories/ (HTML)": len(response.content)}
    parser = AssetLinks()
    parser.feed(html)
    pending = [urljoin("/factories/", u) for u in parser.urls]
    while pending:
        url = pending.pop(0)
        if url in sizes or urlsplit(url).path.lower().endswith(FONT_EXTENSIONS):
            continue
        body = static_bytes(url)
        # Whitenoise serves a precompressed .gz (it uses level 9); level 6, the usual default of
        # servers compressing on the fly, is a few bytes larger, so the estimate errs heavy.
        sizes[url] = len(gzip.compress(body, compresslevel=6))
        if urlsplit(url).path.endswith(".css"):
            pending += css_references(url, body)

    total = sum(sizes.values())
    breakdown = "\n".join(f"  {size / 1024:7.1f} KB  {url}" for url, size in sizes.items())
    report = f"factory list, 50 factories, gzipped:\n{breakdown}\n  {total / 1024:7.1f} KB  total"
    print(report)
    assert len(sizes) >= 3, f"expected the page's stylesheet and scripts:\n{report}"
    assert total <= BUDGET, f"over the {BUDGET // 1024} KB budget:\n{report}"
