"""report.html in a real browser: it renders, nothing injected runs, and it loads nothing.

Needs headless Debian chromium (``/usr/bin/chromium``); skipped when it is absent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cib.config import ReportParams
from cib.report import write_report

try:
    from fixtures_report import build_report
except ImportError:  # tests/ imported as a package
    from tests.fixtures_report import build_report

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]
#: Hosts chromium itself contacts (sign-in, time sync) whatever page it shows.
BROWSER_OWN_HOSTS = re.compile(
    r"^https?://([\w-]+\.)*(google\.com|gstatic\.com|googleapis\.com|"
    r"gvt1\.com|~notfound)(/|$|:)"
)


def _chromium(tmp: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        pytest.fail("chromium is missing; .ci/run installs it for the browser tests")
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    env = {**os.environ, "HOME": str(tmp)}
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    report = build_report()
    out = write_report(
        report, tmp_path_factory.mktemp("browser"), params=ReportParams(), formats=("html",)
    )
    return out["html"], report


def read_png(path: Path) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG: (width, height, pixels)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, bytearray(), None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(bytes(idat))
    stride = width * bpp
    prev = bytearray(stride)
    pixels: list[tuple[int, ...]] = []
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        if y % 4 == 0:  # sample every 4th row, every 2nd pixel: plenty for "is it blank"
            pixels += [tuple(line[x : x + 3]) for x in range(0, stride, 2 * bpp)]
        prev = line
    return width, height, pixels


def _assert_not_blank(png: Path) -> None:
    width, height, pixels = read_png(png)
    assert (width, height) == (1280, 2000)
    counts = Counter(pixels)
    background, n_bg = counts.most_common(1)[0]
    share = 1 - n_bg / len(pixels)
    assert share > 0.01, f"only {share:.2%} of pixels differ from the background {background}"
    coarse = {(r >> 5, g >> 5, b >> 5) for r, g, b in counts}
    assert len(coarse) >= 8, f"only {len(coarse)} distinct colours"
    # the red of flagged badges / coordinated posts is on the first screen
    assert any(r > 180 and g < 110 and b < 120 for r, g, b in counts)


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title" and len(self.tags) < 20

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def test_screenshot_is_not_blank(page: tuple[Path, dict], tmp_path: Path) -> None:
    html_path, _ = page
    png = tmp_path / "shot.png"
    res = _chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", html_path.as_uri())
    assert png.exists(), res.stderr[-2000:]
    _assert_not_blank(png)


def test_rendered_dom_has_content_and_nothing_injected(
    page: tuple[Path, dict], tmp_path: Path
) -> None:
    html_path, report = page
    res = _chromium(tmp_path, "--dump-dom", html_path.as_uri())
    dom = res.stdout
    assert report["networks"][0]["name"] in dom
    parser = _Dom()
    parser.feed(dom)
    tags = parser.tags
    assert tags[0][0] == "html" and tags[0][1].get("data-js") == "ok", "our script did not run"
    assert not [(t, a) for t, a in tags if any(k.lower().startswith("on") for k in a)]
    names = [t for t, _ in tags]
    assert "img" not in names and "iframe" not in names and names.count("script") == 1
    assert not [a for t, a in tags if t == "svg" and "onload" in a]
    assert "PWNED" not in parser.title and parser.title.startswith("cib report")
    # sortable headers were wired up by the script
    assert any(t == "th" and a.get("tabindex") == "0" for t, a in tags)


def _requested_urls(netlog: Path) -> set[str]:
    log = json.loads(netlog.read_text(encoding="utf-8"))
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = set()
    for event in log["events"]:
        if types.get(event.get("type"), "") in (
            "URL_REQUEST_START_JOB",
            "CORS_REQUEST",
            "HOST_RESOLVER_MANAGER_REQUEST",
        ):
            params = event.get("params") or {}
            url = params.get("url") or params.get("host")
            if isinstance(url, str) and not url.startswith(("file:", "data:")):
                urls.add(url)
    return urls


def _page_requests(tmp_path: Path, html_path: Path, tag: str) -> tuple[set[str], Path]:
    netlog = tmp_path / f"net-{tag}.json"
    png = tmp_path / f"offline-{tag}.png"
    _chromium(
        tmp_path,
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--log-net-log={netlog}",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        html_path.as_uri(),
    )
    urls = _requested_urls(netlog)
    return {u for u in urls if not BROWSER_OWN_HOSTS.match(u)}, png


def test_page_makes_no_network_request(page: tuple[Path, dict], tmp_path: Path) -> None:
    html_path, _ = page
    # control: the net log does catch a page that loads a remote image
    canary = tmp_path / "canary.html"
    canary.write_text(
        '<p>x</p><img src="http://canary.cib-test.example/pixel.png">', encoding="utf-8"
    )
    caught, _ = _page_requests(tmp_path, canary, "canary")
    assert any("canary.cib-test.example" in u for u in caught), caught
    requested, png = _page_requests(tmp_path, html_path, "report")
    assert requested == set()
    _assert_not_blank(png)  # rendered fully with every host unresolvable


def test_no_external_resource_urls_in_html(page: tuple[Path, dict]) -> None:
    html_path, _ = page
    text = html_path.read_text(encoding="utf-8")
    resource_attrs = re.findall(
        r"<(\w+)\b[^>]*?\s(src|srcset|poster|data|action|background|"
        r"xlink:href)\s*=",
        text,
        re.I,
    )
    assert resource_attrs == []
    for tag in ("link", "script"):
        for m in re.finditer(rf"<{tag}\b[^>]*>", text, re.I):
            assert "href" not in m.group(0) and "src" not in m.group(0), m.group(0)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.I)
    assert "@import" not in text
