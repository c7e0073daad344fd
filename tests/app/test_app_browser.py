"""End to end in a real browser: `longbrief app` on a free port, driven through Debian's chromium.

The sample bundle is uploaded through the page's file input; the test checks the conflicts and
their pages against examples/bundle/planted.json, downloads the exports, and leaves a screenshot
of each tab in test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_support import PASSWORD, REPO, SAMPLE_PDFS, needs_minilm

from app.conflicts import field_label

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
# Model and embedder load in the server on first use; the machine may be busy.
RESULTS_TIMEOUT_MS = 240_000
WIDTH = 1440

pytestmark = [
    needs_minilm,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is missing: apt-get install chromium (.ci/run does)",
    ),
]
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the app exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the app did not start within {timeout} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """`longbrief app --port N` running with its own data directory; stopped afterwards."""
    port = _free_port()
    tmp = tmp_path_factory.mktemp("browser")
    log = tmp / "app.log"
    env = {**os.environ, "LONGBRIEF_DATA": str(tmp / "data")}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "longbrief", "app", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def page(app_url):
    """A chromium page with the sample bundle uploaded and its results shown."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        tab = browser.new_page(viewport={"width": WIDTH, "height": 1000}, accept_downloads=True)
        tab.set_default_timeout(60_000)
        tab.goto(app_url)
        tab.wait_for_selector('input[type="file"]', state="attached", timeout=RESULTS_TIMEOUT_MS)
        tab.set_input_files('input[type="file"]', [str(p) for p in SAMPLE_PDFS])
        tab.get_by_role("tab", name=re.compile("Conflicts")).wait_for(timeout=RESULTS_TIMEOUT_MS)
        yield tab
        browser.close()


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=re.compile(name)).click()
    page.get_by_role("tab", name=re.compile(name), selected=True).wait_for()


SETTLED = """() => !document.querySelector(
    '[data-stale="true"], [data-testid="stSkeleton"], [data-testid="stStatusWidget"]')"""


def settle(page) -> None:
    """Wait until the script run is over: no running indicator, stale or placeholder elements."""
    page.wait_for_function(SETTLED, timeout=RESULTS_TIMEOUT_MS)


def screenshot(page, name: str) -> Path:
    """The whole page (Streamlit scrolls inside its main block, so grow the window to fit)."""
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    height = main.evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": min(max(height + 60, 900), 8000)})
    page.wait_for_timeout(400)
    path = ARTIFACTS / f"app-{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    return path


def download(page, label: str, into: Path) -> Path:
    with page.expect_download() as event:
        page.get_by_role("button", name=label).click()
    target = into / event.value.suggested_filename
    event.value.save_as(target)
    return target


@pytest.fixture(scope="module")
def exported(page, tmp_path_factory) -> dict:
    """The report JSON as the Export tab downloads it."""
    open_tab(page, "Export")
    path = download(page, "Report as JSON", tmp_path_factory.mktemp("downloads"))
    return json.loads(path.read_text())


def test_export_downloads_json_and_markdown(page, exported, tmp_path):
    assert exported["schema"] == "longbrief.report/1"
    assert [d["doc_id"] for d in exported["documents"]] == [p.name for p in SAMPLE_PDFS]
    markdown = download(page, "Report as Markdown", tmp_path)
    assert markdown.suffix == ".md"
    assert markdown.read_text().startswith("# Brief")
    screenshot(page, "5-export")


def test_conflicts_tab_lists_the_planted_conflicts_with_their_pages(page, exported, planted_pages):
    flags = exported["conflicts"]
    fields = {f["field"] for f in flags}
    assert {"governing_law", "liability_cap", "non_renewal_notice"} <= fields
    assert fields <= set(planted_pages)
    open_tab(page, "Conflicts")
    for number, flag in enumerate(flags):
        card = page.locator(f".st-key-flag-{number}")
        card.wait_for()
        text = " ".join(card.inner_text().split())
        assert field_label(flag["field"]) in text
        for side in (flag["a"], flag["b"]):
            assert side["page"] == planted_pages[flag["field"]][side["doc_id"]]
            assert f"{side['title']} · p. {side['page']}" in text
            assert f"{side['doc_id']}, page {side['page']}" in text
        assert ("Amended by" in text) == (flag["kind"] == "amended_by")
        assert "governs" in text
    screenshot(page, "3-conflicts")


def test_brief_citation_opens_the_source_passage(page):
    open_tab(page, "Brief")
    page.get_by_text("Each sentence cites its source").wait_for()
    screenshot(page, "1-brief")
    page.get_by_role("button", name=re.compile(r"Master Services Agreement, p\. 1")).first.click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    popover.get_by_text("01_master_services_agreement.pdf").wait_for()
    assert "Halvorsen Logistics Ltd." in popover.inner_text()
    page.screenshot(path=str(ARTIFACTS / "app-1-brief-citation.png"))
    page.keyboard.press("Escape")


def test_documents_tab_shows_summaries_and_key_terms(page):
    open_tab(page, "Documents")
    tables = page.locator('[data-testid="stTable"]')
    tables.first.wait_for()
    text = tables.first.inner_text()
    assert "Governing law" in text
    assert "Delaware" in text
    screenshot(page, "2-documents")


def test_search_finds_passages_with_document_and_page(page):
    open_tab(page, "Search")
    page.get_by_label("Search the bundle by meaning").fill("cap on liability")
    page.get_by_role("button", name=re.compile("Search")).click()
    page.get_by_text("relevance").first.wait_for(timeout=RESULTS_TIMEOUT_MS)
    assert "Master Services Agreement · p. 6" in page.locator(".stMain").inner_text()
    screenshot(page, "4-search")


def test_locked_and_scanned_files_are_reported_beside_the_file(
    app_url, page, locked_pdf, scanned_pdf, tmp_path
):
    (tmp_path / "side_letter.pdf").write_bytes(locked_pdf)
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf)
    # A second browser context: another session, which starts without the first one's bundle.
    other = page.context.browser.new_page(viewport={"width": WIDTH, "height": 1000})
    other.set_default_timeout(60_000)
    other.goto(app_url)
    other.get_by_text("Upload every document of one deal").wait_for()
    assert other.get_by_role("tab").count() == 0
    files = [str(SAMPLE_PDFS[0]), str(tmp_path / "side_letter.pdf"), str(tmp_path / "scan.pdf")]
    other.set_input_files('input[type="file"]', files)
    other.get_by_text("Password protected").wait_for(timeout=RESULTS_TIMEOUT_MS)
    other.get_by_text("no text layer, needs OCR").wait_for()
    # The readable file is summarized meanwhile.
    other.get_by_role("tab", name=re.compile("Conflicts")).wait_for(timeout=RESULTS_TIMEOUT_MS)
    screenshot(other, "6-file-problems")
    box = other.get_by_label("Password for side_letter.pdf")
    box.fill(PASSWORD)
    box.press("Enter")
    other.get_by_text("2 of 3 files read").wait_for(timeout=RESULTS_TIMEOUT_MS)
    assert other.get_by_text("Password protected").count() == 0
    other.close()
