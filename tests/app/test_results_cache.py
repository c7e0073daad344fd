"""`pipeline.results_cache`: reports by bundle content in SQLite, and back to typed reports."""

from __future__ import annotations

import dataclasses
import json

import pytest
from apptest_support import SAMPLE_PDFS, needs_minilm

from pipeline.conflicts import ConflictFlag, Evidence
from pipeline.document import IngestError
from pipeline.ingest import ingest_bytes
from pipeline.report import (
    Citation,
    DocumentSummary,
    GuardStats,
    Report,
    StageTiming,
    SummarySentence,
    to_markdown,
)
from pipeline.results_cache import (
    DB_NAME,
    ResultsCache,
    cache_key,
    report_from_dict,
    summarize_cached,
)
from pipeline.summarize import SummaryOptions
from pipeline.terms import DocumentTerms, Duration, Money, Party, Term


def _evidence(doc: str, value: str, page: str) -> Evidence:
    return Evidence(doc, doc.upper(), "Agreement", value, value, f"it is {value}", page, 10, 20)


def small_report() -> Report:
    """A report with one of every record and every typed term value."""
    cite = Citation("a.pdf", ("1", "2"), 0, 12, "Some $5 text")
    sentence = SummarySentence("Some $5 text", (cite,), "extracted", 0.5)
    terms = DocumentTerms(
        "a.pdf",
        "A",
        (
            Term("parties", Party("Acme Corp.", "Supplier"), "Acme", "q", "a.pdf", "1", 0, 4),
            Term("initial_term", Duration(months=36), "3 years", "q", "a.pdf", "2", 5, 9),
            Term("liability_cap", Money("USD", 1_000_000.0), "$1M", "q", "a.pdf", "2", 9, 12),
            Term("governing_law", "Delaware", "Delaware", "q", "a.pdf", "3", 12, 20),
        ),
    )
    flag = ConflictFlag(
        "governing_law",
        "conflict",
        "high",
        _evidence("a.pdf", "Delaware", "3"),
        _evidence("b.pdf", "New York", "1"),
        "A says Delaware; B says New York.",
        "a.pdf",
        "order of precedence",
    )
    return Report(
        bundle_id="abc",
        mode="extractive",
        model="m",
        documents=(DocumentSummary("a.pdf", "A", "a.pdf", "0" * 64, 3, 99, (sentence,)),),
        brief=(sentence,),
        errors=(IngestError("c.pdf", "encrypted", "locked"),),
        timings=(StageTiming("encode", 0.25),),
        guard=GuardStats(1, 0, 1),
        terms=(terms,),
        conflicts=(flag,),
    )


def test_report_round_trips_through_json():
    report = small_report()
    back = report_from_dict(json.loads(report.to_json()))
    assert back == report
    assert to_markdown(back) == to_markdown(report)


def test_report_of_another_schema_is_refused():
    data = json.loads(small_report().to_json())
    data["schema"] = "longbrief.report/0"
    with pytest.raises(ValueError, match="schema"):
        report_from_dict(data)


def test_put_get_and_survive_a_restart(data_dir):
    cache = ResultsCache()
    assert cache.path == data_dir / DB_NAME
    assert cache.get("k") is None
    cache.put("k", '{"a": 1}')
    cache.put("k", '{"a": 2}')
    assert ResultsCache(data_dir / DB_NAME).get("k") == '{"a": 2}'


def test_key_changes_with_bundle_options_and_model():
    base = cache_key("bundle", SummaryOptions(), "weights")
    assert base == cache_key("bundle", SummaryOptions(), "weights")
    assert (
        len(
            {
                base,
                cache_key("other", SummaryOptions(), "weights"),
                cache_key("bundle", SummaryOptions(summary_words=60), "weights"),
                cache_key("bundle", SummaryOptions(), "new weights"),
            }
        )
        == 4
    )


@needs_minilm
def test_summarize_cached_answers_the_second_time_from_the_cache(data_dir):
    from app.resources import engine

    docs = [ingest_bytes(p.name, p.read_bytes()).documents[0] for p in SAMPLE_PDFS[1:]]
    locked = (IngestError("x.pdf", "encrypted", "locked"),)
    cache = ResultsCache()
    first = summarize_cached(cache, engine(), docs, SummaryOptions(), locked)
    assert not first.from_cache
    assert first.report.errors == locked
    # Reversed order, no error now: same bundle content, and the current errors are reported.
    second = summarize_cached(cache, engine(), docs[::-1], SummaryOptions())
    assert second.from_cache
    assert second.report.errors == ()
    assert second.report == dataclasses.replace(first.report, errors=())
