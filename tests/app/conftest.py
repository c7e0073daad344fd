"""Fixtures for the web app tests: the sample bundle, a locked and a scanned PDF, the truth.

PDFs are built in memory with fpdf2; results go to a temporary `$LONGBRIEF_DATA`, so no test
reads results another test (or a user) cached.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest_support import LOCKED_TEXT, PASSWORD, PLANTED_FIELD, SAMPLE_DIR, SAMPLE_PDFS
from fpdf import FPDF

from pipeline.ingest import ingest_bytes


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh local data directory (results cache, library) for each test."""
    directory = tmp_path / "longbrief-data"
    monkeypatch.setenv("LONGBRIEF_DATA", str(directory))
    return directory


@pytest.fixture(scope="session")
def sample_files() -> list[tuple[str, bytes, str]]:
    """The sample bundle as uploads: (name, content, MIME type)."""
    return [(p.name, p.read_bytes(), "application/pdf") for p in SAMPLE_PDFS]


def _pdf(lines: list[str], password: str | None = None) -> bytes:
    pdf = FPDF()
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.fixture(scope="session")
def locked_pdf() -> bytes:
    """A short PDF that opens only with `PASSWORD`."""
    return _pdf(LOCKED_TEXT, PASSWORD)


@pytest.fixture(scope="session")
def scanned_pdf() -> bytes:
    """A PDF whose page carries only shapes, no text layer (a scan stand-in)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 150, 200, style="F")
    return bytes(pdf.output())


def _page_of_quote(pdf: Path, quote: str) -> str:
    """The printed page label where `quote` starts in the PDF's text (whitespace folded)."""
    doc = ingest_bytes(pdf.name, pdf.read_bytes()).documents[0]
    folded, offsets = [], []
    for i, ch in enumerate(doc.text):
        if ch.isspace() and folded and folded[-1] == " ":
            continue
        folded.append(" " if ch.isspace() else ch)
        offsets.append(i)
    at = "".join(folded).find(" ".join(quote.split()))
    assert at >= 0, f"planted quote not found in {pdf.name}: {quote!r}"
    return doc.page_at(offsets[at]).label


@pytest.fixture(scope="session")
def planted_pages() -> dict[str, dict[str, str]]:
    """For each planted conflict field (pipeline name): {document id: page of its quote}."""
    truth = json.loads((SAMPLE_DIR / "planted.json").read_text())
    return {
        PLANTED_FIELD.get(c["field"], c["field"]): {
            v["document"]: _page_of_quote(SAMPLE_DIR / v["document"], v["quote"])
            for v in c["values"]
        }
        for c in truth["conflicts"]
    }
