"""The verdict loop in a real headless Chromium: click, download, import, check the store.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON
messages ending in NUL on file descriptors 3 and 4), so no extra package is needed. Clicks
and typing are real input events. With ``CIB_DOC_SHOTS=DIR`` the screenshots are also saved
into DIR (docs/img holds the ones docs/review.md shows).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner
from sched_helpers import CFG, campaign_accounts, daily, frames, write_csv

try:
    from test_report_browser import CHROMIUM, FLAGS, read_png
except ImportError:  # tests/ imported as a package
    from tests.test_report_browser import CHROMIUM, FLAGS, read_png

from cib.cli import cli
from cib.pipeline import detect_run, ingest_paths, write_outputs
from cib.report.model import Report
from cib.store import open_store

pytestmark = pytest.mark.browser
NOTE = 'RSS syndicate of <b>the Herald</b> & "partners"'


class DevTools:
    """A headless Chromium and its DevTools protocol over a pipe."""

    def __init__(self, tmp: Path, url: str) -> None:
        if CHROMIUM is None:
            pytest.fail("chromium is missing; .ci/run installs it for the browser tests")
        to_r, self._to_w = os.pipe()
        self._from_r, from_w = os.pipe()

        def fds() -> None:
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)

        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={tmp / 'profile'}",
                "--window-size=1280,900",
                url,
            ],  # fmt: skip
            preexec_fn=fds,  # noqa: PLW1509 (only dup2 before exec)
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": str(tmp)},
        )
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_r], [], [], max(0.0, left))
            if not ready:
                raise TimeoutError("no message from chromium")
            chunk = os.read(self._from_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, timeout: float = 30, page: bool = True, **params: Any) -> Any:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if page and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_w, json.dumps(msg).encode() + b"\0")
        while True:
            got = self._read(timeout)
            if got.get("id") == self._id:
                if "error" in got:
                    raise RuntimeError(f"{method}: {got['error']}")
                return got.get("result", {})
            self.events.append(got)

    def attach(self) -> None:
        for _ in range(100):
            pages = [
                t for t in self.call("Target.getTargets", page=False)["targetInfos"]
                if t["type"] == "page"
            ]  # fmt: skip
            if pages:
                break
            time.sleep(0.1)
        res = self.call("Target.attachToTarget", page=False, targetId=pages[0]["targetId"],
                        flatten=True)  # fmt: skip
        self.session = res["sessionId"]

    def js(self, expr: str) -> Any:
        res = self.call("Runtime.evaluate", expression=expr, returnByValue=True)
        return res["result"].get("value")

    def wait_for(self, expr: str, timeout: float = 30) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expr)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(expr)

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        x, y = self.js(
            f"(function(){{var e=document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
            "return [r.left+r.width/2,r.top+r.height/2];})()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1)  # fmt: skip

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.call("Input.insertText", text=text)

    def shot(self, selector: str, path: Path, *, scale: float = 1.0, max_h: int = 900) -> Path:
        """A PNG of the element at ``selector`` (with a margin)."""
        box = self.js(
            f"(function(){{var e=document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block:'start'});var r=e.getBoundingClientRect();"
            "return [r.left+window.scrollX,r.top+window.scrollY,r.width,r.height];})()"
        )
        x, y, w, h = box
        clip = {"x": max(0, x - 8), "y": max(0, y - 8), "width": w + 16,
                "height": min(h + 16, max_h), "scale": scale}  # fmt: skip
        data = self.call("Page.captureScreenshot", format="png", clip=clip,
                         captureBeyondViewport=True)["data"]  # fmt: skip
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.call("Browser.close", page=False, timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_w)
        os.close(self._from_r)


def _keep_for_docs(png: Path) -> None:
    where = os.environ.get("CIB_DOC_SHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(where) / png.name)


def _not_blank(png: Path) -> None:
    width, height, pixels = read_png(png)
    assert width > 200 and height > 50
    assert len(set(pixels)) > 20, f"{png.name} looks blank"


def _scan(tmp: Path, days: list[pl.DataFrame], name: str, store_path: Path) -> Report:
    f = write_csv(pl.concat(days), tmp / f"{name}.csv")
    with open_store(store_path) as st:
        ingest_paths(st, [str(f)], config=CFG)
        res = detect_run(st, CFG)
    write_outputs(res.report, tmp / name, CFG)
    return res.report


def test_click_download_import_and_badges(tmp_path: Path) -> None:
    posts, labels = frames()
    days = daily(posts)
    db = tmp_path / "s.duckdb"
    report = _scan(tmp_path, days[:2], "day1", db)
    farm = set(campaign_accounts(labels, "repost_farm"))
    news = set(campaign_accounts(labels, "copypaste_evasion"))

    def holding(rep: Report, accounts: set[str]) -> dict:
        return max(
            rep.networks, key=lambda n: len(accounts & {m["account_id"] for m in n["members"]})
        )

    a, b = holding(report, farm), holding(report, news)
    page = (tmp_path / "day1" / "report.html").as_uri()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    shots = tmp_path / "shots"
    shots.mkdir()
    browser = DevTools(tmp_path, page)
    try:
        browser.attach()
        browser.call("Browser.setDownloadBehavior", page=False, behavior="allow",
                     downloadPath=str(downloads))  # fmt: skip
        assert browser.wait_for("document.documentElement.getAttribute('data-js') === 'ok'")
        ida, idb = int(a["network_id"]), int(b["network_id"])
        browser.click(f'fieldset[data-network-id="{ida}"] input[value="confirmed"]')
        browser.type(f'fieldset[data-network-id="{ida}"] textarea', "same farm as ticket 41")
        browser.click(f'fieldset[data-network-id="{idb}"] input[value="benign"]')
        browser.type(f'fieldset[data-network-id="{idb}"] textarea', NOTE)
        _keep_for_docs(
            browser.shot(f'fieldset[data-network-id="{idb}"]', shots / "review-verdict-control.png")
        )
        browser.type("#rv-reviewer", "dana")
        assert (
            browser.js("document.getElementById('rv-count').textContent") == "2 verdict(s) chosen"
        )
        browser.click("#rv-download")
        target = downloads / "verdicts.json"
        deadline = time.monotonic() + 30
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert target.exists(), f"no download: {sorted(p.name for p in downloads.iterdir())}"
        _keep_for_docs(browser.shot("#review-panel", shots / "review-download.png"))
    finally:
        browser.close()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "cib-verdicts" and data["run_id"] == report.run["run_id"]
    assert data["reviewer"] == "dana"
    got = {v["network_id"]: (v["verdict"], v["note"], v["track_id"]) for v in data["verdicts"]}
    assert got == {
        ida: ("confirmed", "same farm as ticket 41", a["history"]["track_id"]),
        idb: ("benign", NOTE, b["history"]["track_id"]),
    }
    runner = CliRunner()
    first = runner.invoke(cli, ["review", "import", str(target), "--db", str(db)])
    assert first.exit_code == 0 and "2 verdict(s) recorded" in first.output, first.output
    again = runner.invoke(cli, ["review", "import", str(target), "--db", str(db)])
    assert "0 verdict(s) recorded, 2 already recorded" in again.output
    with open_store(db, read_only=True) as st:
        rows = st.verdicts()
    assert [(r["network_id"], r["verdict"], r["reviewer"]) for r in rows] == [
        (ida, "confirmed", "dana"), (idb, "benign", "dana")]  # fmt: skip
    assert {m for r in rows for m in r["members"]} == {
        m["account_id"] for n in (a, b) for m in n["members"]
    }
    # The next scan: the judged networks carry their verdicts as badges and sections.
    day2 = _scan(tmp_path, days[2:3], "day2", db)
    judged = {(n.get("review") or {}).get("status") for n in day2.networks}
    assert {"continuation of confirmed operation", "judged benign"} <= judged
    html = (tmp_path / "day2" / "report.html").read_text(encoding="utf-8")
    assert "<b>the Herald</b>" not in html and "&lt;b&gt;the Herald&lt;/b&gt;" in html
    browser = DevTools(tmp_path, (tmp_path / "day2" / "report.html").as_uri())
    try:
        browser.attach()
        assert browser.wait_for("document.documentElement.getAttribute('data-js') === 'ok'")
        assert browser.js("document.querySelectorAll('.badge.rv-confirmed').length") >= 1
        assert (
            browser.js("document.querySelectorAll('#benign ~ table .badge.rv-benign').length") >= 1
        )
        _keep_for_docs(browser.shot("#summary", shots / "review-badges.png", scale=0.6, max_h=760))
    finally:
        browser.close()
    for png in shots.iterdir():
        _not_blank(png)
