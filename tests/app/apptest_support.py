"""Constants and helpers shared by the app tests (conftest.py holds the fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lm.weights import minilm_available

REPO = Path(__file__).resolve().parents[2]
MAIN = REPO / "app" / "main.py"
SAMPLE_DIR = REPO / "examples" / "bundle"
SAMPLE_PDFS = tuple(sorted(SAMPLE_DIR.glob("*.pdf")))
PASSWORD = "s3cret"
# planted.json names one field differently from the pipeline's key terms.
PLANTED_FIELD = {"renewal_notice_period": "non_renewal_notice"}

needs_minilm = pytest.mark.skipif(
    not minilm_available(), reason="verified MiniLM base files are not installed"
)

LOCKED_TEXT = [
    "SIDE LETTER",
    "This Side Letter is entered into as of May 2, 2024 between Halvorsen Logistics Ltd. "
    "and Brightwater Analytics, Inc.",
    "The Parties confirm that the steering committee meets monthly at the Customer's offices.",
]
