"""Reports kept by bundle content in SQLite, so a bundle opened again is answered instantly.

The key is the bundle's content hash (`pipeline.summarize.bundle_id`) and its documents' ids,
the summary options, the model's weights (`Engine.fingerprint`), the report schema and a hash of
the code that computes the report: a result is reused only when every one of them is the same.
The store lives in `$LONGBRIEF_DATA/results.sqlite3` (default `~/.longbrief/`) and survives
restarts.

What is stored is the report JSON (`Report.to_json()`), without the ingest errors of the run
that computed it: those belong to an upload (a locked file next to the same readable files), not
to the bundle's content, so `summarize_cached` puts the current errors back. `report_from_dict`
turns the JSON back into a typed `Report`, so a cached report renders and exports like a fresh
one.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.conflicts import ConflictFlag, Evidence
from pipeline.document import Document, IngestError
from pipeline.engine import Engine
from pipeline.report import (
    SCHEMA,
    Citation,
    DocumentSummary,
    GuardStats,
    Report,
    RetrievedPassage,
    StageTiming,
    SummarySentence,
)
from pipeline.summarize import (
    SummaryOptions,
    Timer,
    bundle_id,
    library_state,
    summarize_documents,
)
from pipeline.terms import DocumentTerms, Duration, Money, Party, Term, Value
from retrieval.paths import data_dir

DB_NAME = "results.sqlite3"
_ROOT = Path(__file__).resolve().parent.parent
# The code a report depends on besides the weights: orchestration, terms and conflicts
# (pipeline/) and the model's forward pass (lm/).
_CODE_DIRS = ("pipeline", "lm")


@functools.cache
def code_fingerprint() -> str:
    """Hash of the source files that compute a report; a code change invalidates old results."""
    digest = hashlib.sha256()
    for folder in _CODE_DIRS:
        for path in sorted((_ROOT / folder).rglob("*.py")):
            digest.update(path.relative_to(_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(
    bundle: str, options: SummaryOptions, fingerprint: str, names: Sequence[str] = ()
) -> str:
    """The key of one bundle's report under `options` with the model `fingerprint`.

    `names` are the documents' ids: the report cites documents by id (the file name), so the
    same content under other names is another report.
    """
    parts = {
        "bundle": bundle,
        "names": sorted(names),
        "options": dataclasses.asdict(options),
        "library": library_state(options),
        "model": fingerprint,
        "schema": SCHEMA,
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def report_key(docs: Sequence[Document], options: SummaryOptions, fingerprint: str) -> str:
    """The cache key of the report of `docs` (in any order) under `options`."""
    return cache_key(bundle_id(docs), options, fingerprint, [d.doc_id for d in docs])


class ResultsCache:
    """Report JSON by key in one SQLite file; safe to share between threads and processes.

    Every call opens its own connection: Streamlit serves each browser session from its own
    thread, and an sqlite3 connection must not cross threads.
    """

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else data_dir() / DB_NAME

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30)
        # WAL lets readers in other processes go on while one writes.
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS results "
            "(key TEXT PRIMARY KEY, report TEXT NOT NULL, created REAL NOT NULL)"
        )
        return conn

    def get(self, key: str) -> str | None:
        """The stored report JSON for `key`, or None."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT report FROM results WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, report_json: str) -> None:
        """Store (or replace) the report JSON for `key`."""
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT OR REPLACE INTO results (key, report, created) VALUES (?, ?, ?)",
                (key, report_json, time.time()),
            )


@dataclass(frozen=True)
class CachedReport:
    """A report and whether it came from the cache (no model call) or was just computed."""

    report: Report
    from_cache: bool


def summarize_cached(
    cache: ResultsCache,
    engine: Engine,
    docs: Sequence[Document],
    options: SummaryOptions | None = None,
    errors: Sequence[IngestError] = (),
    timer: Timer | None = None,
) -> CachedReport:
    """`summarize_documents`, answered from `cache` when this bundle was summarized before."""
    options = options or SummaryOptions()
    key = report_key(docs, options, engine.fingerprint)
    stored = cache.get(key)
    if stored is not None:
        report = report_from_dict(json.loads(stored))
        return CachedReport(dataclasses.replace(report, errors=tuple(errors)), True)
    report = summarize_documents(engine, docs, options, (), timer)
    cache.put(key, report.to_json())
    return CachedReport(dataclasses.replace(report, errors=tuple(errors)), False)


def _citation(d: dict[str, Any]) -> Citation:
    return Citation(d["doc_id"], tuple(d["pages"]), d["start"], d["end"], d["quote"])


def _sentence(d: dict[str, Any]) -> SummarySentence:
    return SummarySentence(
        d["text"], tuple(_citation(c) for c in d["citations"]), d["origin"], d["score"]
    )


def _passages(items: list[dict[str, Any]]) -> tuple[RetrievedPassage, ...]:
    return tuple(
        RetrievedPassage(p["origin"], p["chunk"], p["score"], _citation(p["citation"]))
        for p in items
    )


def _document(d: dict[str, Any]) -> DocumentSummary:
    return DocumentSummary(
        d["doc_id"],
        d["title"],
        d["source"],
        d["sha256"],
        d["n_pages"],
        d["n_tokens"],
        tuple(_sentence(s) for s in d["sentences"]),
        # Reports written before retrieval fed the decoder have no passages.
        _passages(d.get("passages", [])),
    )


def _value(data: object) -> Value:
    """A term value from JSON; the typed values are told apart by their keys."""
    if not isinstance(data, dict):
        return data  # type: ignore[return-value]
    keys = set(data)
    if keys == {"days", "months"}:
        return Duration(**data)
    if keys == {"currency", "amount"}:
        return Money(**data)
    if keys == {"name", "alias"}:
        return Party(**data)
    raise ValueError(f"unknown term value {data!r}")


def _terms(d: dict[str, Any]) -> DocumentTerms:
    terms = tuple(
        Term(
            field,
            _value(t["value"]),
            t["text"],
            t["quote"],
            d["id"],
            t["page"],
            t["start"],
            t["end"],
        )
        for field, items in d["terms"].items()
        for t in items
    )
    return DocumentTerms(d["id"], d["title"], terms)


def _conflict(d: dict[str, Any]) -> ConflictFlag:
    return ConflictFlag(
        d["field"],
        d["kind"],
        d["severity"],
        Evidence(**d["a"]),
        Evidence(**d["b"]),
        d["explanation"],
        d["governs"],
        d["rule"],
    )


def report_from_dict(data: dict[str, Any]) -> Report:
    """The typed `Report` of `Report.to_dict()` output (`to_dict` of the result gives `data`)."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"report schema {data.get('schema')!r}, expected {SCHEMA!r}")
    return Report(
        bundle_id=data["bundle_id"],
        mode=data["mode"],
        model=data["model"],
        documents=tuple(_document(d) for d in data["documents"]),
        brief=tuple(_sentence(s) for s in data["brief"]),
        errors=tuple(IngestError(**e) for e in data["errors"]),
        timings=tuple(StageTiming(**t) for t in data["timings"]),
        guard=GuardStats(**data["guard"]),
        terms=tuple(_terms(t) for t in data["terms"]),
        conflicts=tuple(_conflict(c) for c in data["conflicts"]),
        brief_passages=_passages(data.get("brief_passages", [])),
        schema=data["schema"],
    )
