"""The HTML report in a real browser: headless Chromium reads the cells people read.

The reports are written to the test's temporary folder and opened from ``file://``
in headless Chromium, driven through ChromeDriver's W3C WebDriver protocol over
HTTP on the loopback interface (the standard library's :mod:`urllib`; nothing is
downloaded).  The tests read the text the browser renders (``innerText``) in key
cells and compare it with values derived from the Python objects, check that a
hostile label shows as text and runs nothing, save a screenshot, and print the
contest report to PDF to check that its pages are A4.

The browser is Debian's ``chromium`` and ``chromium-driver`` at ``/usr/bin/chromium``
and ``/usr/bin/chromedriver`` (``.ci/run`` installs them when they are absent).  The
tests are skipped, with the reason, only when one of them is not there.  The
variables ``HTX_RULES_CHROMIUM`` and ``HTX_RULES_CHROMEDRIVER`` name other paths
(a machine where they are installed elsewhere).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import htx_rules
from htx_rules.decimals import format_money, format_number
from htx_rules.html import contest_html, result_html
from htx_rules.render import _Index, describe
from htx_rules.report import award_words, prize_words
from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("HTX_RULES_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("HTX_RULES_CHROMEDRIVER", "/usr/bin/chromedriver"))
# The machine's network is closed: without the background-networking flags
# Chromium waits for services it cannot reach.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
)
STARTUP_SECONDS = 30
REQUEST_SECONDS = 60
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
A4_POINTS = (595.28, 841.89)  # 210 mm x 297 mm

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason=f"no browser to test with: {CHROMIUM} or {CHROMEDRIVER} is absent "
    "(install Debian's chromium and chromium-driver; .ci/run does when apt-get works)",
)


class WebDriverError(AssertionError):
    """ChromeDriver answered with an error."""


class Browser:
    """One headless Chromium session, driven over the W3C WebDriver protocol."""

    def __init__(self, base: str, session: str) -> None:
        self.base = base
        self.session = session

    def call(self, method: str, path: str, body: object | None = None) -> Any:
        return _request(method, f"{self.base}/session/{self.session}{path}", body)

    def open(self, path: Path) -> None:
        self.call("POST", "/url", {"url": path.as_uri()})

    def script(self, source: str, *args: object) -> Any:
        return self.call("POST", "/execute/sync", {"script": source, "args": list(args)})

    def inner_text(self, selector: str) -> str:
        """The rendered text of the first element matching ``selector``."""
        found = self.script(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
            selector,
        )
        assert found is not None, f"nothing matches {selector}"
        return str(found)

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("GET", "/screenshot"))

    def print_pdf(self) -> bytes:
        """The page printed to PDF by Chromium, with the page size the style sheet asks for."""
        printed = self.call(
            "POST",
            "/goog/cdp/execute",
            {
                "cmd": "Page.printToPDF",
                "params": {"preferCSSPageSize": True, "printBackground": True},
            },
        )
        return base64.b64decode(printed["data"])


def _request(method: str, url: str, body: object | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json; charset=utf-8")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(request, timeout=REQUEST_SECONDS) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        raise WebDriverError(f"{method} {url}: HTTP {error.code}: {detail[:2000]}") from None
    return answer.get("value")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """ChromeDriver on a free loopback port, and one Chromium session with a fresh profile."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="htx-chromium-") as profile:
        log = Path(profile) / "chromedriver.log"
        driver = subprocess.Popen(
            [str(CHROMEDRIVER), f"--port={port}", f"--log-path={log}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                try:
                    if _request("GET", f"{base}/status").get("ready"):
                        break
                except (OSError, WebDriverError):
                    pass
                assert driver.poll() is None, f"chromedriver stopped: {log.read_text()[-2000:]}"
                assert time.monotonic() < deadline, "chromedriver did not start in time"
                time.sleep(0.05)
            options = {
                "binary": str(CHROMIUM),
                "args": [*CHROMIUM_FLAGS, f"--user-data-dir={Path(profile) / 'profile'}"],
            }
            answer = _request(
                "POST",
                f"{base}/session",
                {
                    "capabilities": {
                        "alwaysMatch": {
                            "browserName": "chrome",
                            "goog:chromeOptions": options,
                            "timeouts": {"script": 30_000, "pageLoad": 60_000},
                        }
                    }
                },
            )
            session = Browser(base, answer["sessionId"])
            try:
                yield session
            finally:
                with contextlib.suppress(OSError, WebDriverError):
                    _request("DELETE", f"{base}/session/{session.session}")
        finally:
            driver.terminate()
            try:
                driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                driver.kill()
                driver.wait()


@pytest.fixture(scope="module")
def contest() -> htx_rules.ContestResult:
    """The contest of the eight 2021 examples, loaded by relative paths."""
    with contextlib.chdir(ROOT):
        rubric = htx_rules.load("rubrics/2021.rules")
        return htx_rules.run_contest_from(Path("examples/2021"), rubric)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_contest_report_in_chromium(
    browser: Browser, contest: htx_rules.ContestResult, tmp_path: Path
) -> None:
    """The ranking's award and prize cells, a criterion's points and the audit block,
    as Chromium renders them; a screenshot; the PDF print on A4 pages."""
    page = tmp_path / "ket-qua-2021.html"
    page.write_text(contest_html(contest), encoding="utf-8")
    browser.open(page)

    assert browser.script("return document.documentElement.lang;") == "vi"
    assert browser.script("return document.scripts.length;") == 0
    first = next(s for s in contest.awarded if s.award is not None and s.award.place.rank == 1)
    assert first.award is not None
    assert first.award.prize is not None
    row = f'table.ranking tr[data-unit="{first.code}"]'
    assert browser.inner_text(f"{row} td.award") == award_words(first, contest, "vi")
    assert browser.inner_text(f"{row} td.award") == "Hạng Nhất"
    prize = browser.inner_text(f"{row} td.prize")
    assert prize == prize_words(first, "vi") == format_money(first.award.prize, "vi")
    assert format_number(first.award.prize, "vi") in prize
    assert prize.startswith("10.000.000")

    # Every unit's verified total in the ranking.
    for standing in contest.standings:
        shown = browser.inner_text(f'table.ranking tr[data-unit="{standing.code}"] td.verified')
        assert shown.rstrip("*") == format_number(standing.total, "vi")

    # A criterion that re-inspection changed: its points, and the rubric line behind it.
    unit = next(s for s in contest.standings if any(line.changed for line in s.lines))
    line = next(line for line in unit.lines if line.changed)
    cells = f'section[data-unit="{unit.code}"] table.criteria tr[data-item="{line.id}"]'
    assert browser.inner_text(f"{cells} td.points") == format_number(line.verified, "vi")
    assert browser.inner_text(f"{cells} td.reported") == format_number(line.reported, "vi")
    source = browser.inner_text(f"{cells} .source-line")
    assert source == f"Bảng điểm, dòng {line.verified_node.span.line}"
    assert squash(browser.inner_text(f"{cells} .source code")) == squash(line.verified_node.source)

    # The audit block: the rubric file, its SHA-256 and the engine's version; each
    # unit's submission and evidence hashes.
    audit = browser.inner_text("footer.audit")
    assert "Dấu vết kiểm tra" in audit
    assert contest.rubric.source.name in audit
    assert contest.rubric.sha256 in audit
    assert contest.standings[0].verified.rubric_sha256 == contest.rubric.sha256
    assert f"htx-rules {htx_rules.__version__}" in audit
    unit_audit = browser.inner_text(f'section[data-unit="{unit.code}"] table.audit')
    assert unit.submission.sha256 in unit_audit
    assert unit.reported.evidence_sha256 in unit_audit
    assert unit.verified.evidence_sha256 in unit_audit

    # In print, table headings repeat on every page and each unit starts a page.
    assert browser.script(
        "return getComputedStyle(document.querySelector('table.criteria thead')).display;"
    ) in ("table-header-group",)

    shot = tmp_path / "contest.png"
    shot.write_bytes(browser.screenshot())
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000

    pdf = browser.print_pdf()
    (tmp_path / "contest.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) > len(contest.standings), "each unit starts a new page"
    for width, height in boxes:
        assert abs(float(width) - A4_POINTS[0]) < 1.5
        assert abs(float(height) - A4_POINTS[1]) < 1.5


def test_result_report_in_chromium(
    browser: Browser, contest: htx_rules.ContestResult, tmp_path: Path
) -> None:
    """One district's result in English: the total, a criterion's points and its
    explanation as rendered."""
    result = contest.standing("934").verified
    assert result.trace is not None
    page = tmp_path / "934.html"
    page.write_text(result_html(result, "en"), encoding="utf-8")
    browser.open(page)

    assert browser.script("return document.documentElement.lang;") == "en"
    assert browser.inner_text("section.result h2") == "Unit: 934 H. Phụng Hiệp"
    assert browser.inner_text("ul.totals li.total") == f"TOTAL: {format_number(result.total, 'en')}"
    node = result.trace.find("III.1")
    assert node is not None
    row = 'table.criteria tr[data-item="III.1"]'
    assert browser.inner_text(f"{row} td.points") == format_number(node.points, "en")
    assert browser.inner_text(f"{row} td.max") == format_number(node.maximum, "en")
    why = squash(browser.inner_text(f"{row} .why .text"))
    assert why == squash(describe(node, _Index(result.model), "en"))
    audit = browser.inner_text("footer.audit")
    assert result.rubric_sha256 in audit
    assert "Audit trail" in audit
    assert result.evidence_sha256 in browser.inner_text("section.result table.audit")
    (tmp_path / "934.png").write_bytes(browser.screenshot())
    assert (tmp_path / "934.png").read_bytes().startswith(PNG_SIGNATURE)


def test_hostile_label_shows_as_text(browser: Browser, tmp_path: Path) -> None:
    """A label ``<script>…</script>`` is text on the page; no script element exists and
    nothing ran."""
    label = "<script>document.title = 'pwned'</script> \"&<>'"
    rubric = htx_rules.loads(
        'rubric doc_hai "Thử"\n  year 2021\n  total 2\n\nevidence\n  co yes/no "Có"\n\n'
        f'part I "Phần I" max 2\n  criterion I.1 "{label.replace(chr(34), chr(92) + chr(34))}"'
        " max 2\n    2 if co\n",
        name="hai.rules",
    )
    page = tmp_path / "hostile.html"
    page.write_text(result_html(rubric.score({"co": True})), encoding="utf-8")
    browser.open(page)
    assert browser.script("return document.querySelectorAll('script').length;") == 0
    assert browser.script("return document.title;") != "pwned"
    assert browser.inner_text('table.criteria tr[data-item="I.1"] td.label') == label
