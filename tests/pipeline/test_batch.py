"""Tests for batch jobs: output formats, error rows, resume, atomic writes, safe names, workers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
from pathlib import Path

import pytest

from pipeline.batch import (
    CACHE_DIR,
    BatchConfig,
    atomic_write,
    run_batch,
    run_local,
)
from pipeline.cli import main as cli_main
from pipeline.engine import EngineConfig
from pipeline.ingest import IngestOptions, ingest_path
from pipeline.summarize import SummaryOptions

REPO = Path(__file__).resolve().parents[2]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def stable(rows: list[dict]) -> list[dict]:
    """Rows without what legitimately differs between two runs (wall-clock timings)."""
    out = json.loads(json.dumps(rows))
    for row in out:
        if "report" in row:
            row["report"].pop("timings")
    return out


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def temp_files(root: Path) -> list[Path]:
    return list(root.rglob("*.tmp"))


@pytest.fixture
def inputs(tmp_path, sample_pdfs, make_broken) -> Path:
    """A directory with the three sample PDFs and one corrupt PDF."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sample_pdfs:
        shutil.copy(p, folder / p.name)
    (folder / "broken.pdf").write_bytes(make_broken("corrupt"))
    return folder


def job(out: Path, fmt: str = "jsonl", **kw) -> BatchConfig:
    return BatchConfig(out=out, fmt=fmt, **kw)


# --- formats -----------------------------------------------------------------------------------


def test_jsonl_one_row_per_document_and_an_error_row(fast_engine_load, inputs, tmp_path):
    out = tmp_path / "out"
    result = run_batch(job(out), [str(inputs)], progress=False)
    assert (result.done, result.cached, result.errors) == (3, 0, 1)
    assert result.outputs == (out / "summaries.jsonl",)
    rows = read_jsonl(out / "summaries.jsonl")
    assert [r["id"] for r in rows] == [
        "01_master_services_agreement.pdf",
        "02_statement_of_work.pdf",
        "03_amendment_no_1.pdf",
        "broken.pdf",
    ]
    for row in rows[:3]:
        assert "error" not in row
        doc = ingest_path(row["source"]).documents[0]
        assert row["sha256"] == doc.sha256
        assert row["summary"]
        sentences = row["report"]["documents"][0]["sentences"]
        assert row["summary"] == " ".join(s["text"] for s in sentences)
        assert len(row["citations"]) == len(sentences)
        for cites in row["citations"]:
            (c,) = cites
            assert c["doc_id"] == row["id"]
            assert c["quote"] == doc.text[c["start"] : c["end"]]
            assert c["pages"] and all(isinstance(p, str) for p in c["pages"])
        assert "brief" not in row["report"] and "brief_text" not in row["report"]
        assert row["report"]["mode"] == "extractive"
    error = rows[3]
    assert error["source"] == str(inputs / "broken.pdf")
    assert error["kind"] == "corrupt"
    assert "corrupt" in error["error"]
    assert "summary" not in error
    assert temp_files(out) == []


def test_json_format_writes_a_report_per_document_and_errors_jsonl(
    fast_engine_load, inputs, tmp_path
):
    out = tmp_path / "out"
    result = run_batch(job(out, "json"), [str(inputs)], progress=False)
    names = sorted(p.name for p in result.outputs)
    assert len(names) == 4 and "errors.jsonl" in names
    reports = [json.loads(p.read_text()) for p in result.outputs if p.suffix == ".json"]
    assert sorted(r["documents"][0]["doc_id"] for r in reports) == [
        "01_master_services_agreement.pdf",
        "02_statement_of_work.pdf",
        "03_amendment_no_1.pdf",
    ]
    for path, report in zip(
        [p for p in result.outputs if p.suffix == ".json"], reports, strict=True
    ):
        assert path.parent == out
        assert path.name.startswith(report["documents"][0]["doc_id"])
        assert {"schema", "bundle_id", "mode", "model", "documents", "errors", "timings"} <= set(
            report
        )
        assert len(report["documents"]) == 1
        assert report["documents"][0]["summary"]
    (error,) = read_jsonl(out / "errors.jsonl")
    assert error["id"] == "broken.pdf" and error["kind"] == "corrupt"


def test_md_format(fast_engine_load, inputs, tmp_path):
    out = tmp_path / "out"
    result = run_batch(job(out, "md"), [str(inputs)], progress=False)
    md = sorted(p for p in result.outputs if p.suffix == ".md")
    assert len(md) == 3
    for path in md:
        text = path.read_text()
        doc_id = path.name.rsplit("-", 1)[0]
        assert f"`{doc_id}`" in text
        assert f"[{doc_id}, p. 1]" in text
    assert (out / "errors.jsonl").is_file()


def test_md_per_document_has_no_empty_brief(fast_engine_load, sample_pdfs, tmp_path):
    out = tmp_path / "out"
    (path,) = run_batch(job(out, "md"), [str(sample_pdfs[2])], progress=False).outputs
    assert "(nothing to summarize)" not in path.read_text()


# --- resume ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "json", "md"])
def test_second_run_is_all_cached_and_identical(fast_engine_load, inputs, tmp_path, fmt):
    out = tmp_path / "out"
    first = run_batch(job(out, fmt), [str(inputs)], progress=False)
    before = tree(out)
    second = run_batch(job(out, fmt), [str(inputs)], progress=False)
    assert (second.done, second.cached, second.errors) == (0, 3, 1)
    assert second.outputs == first.outputs
    assert tree(out) == before
    assert len(list((out / CACHE_DIR).glob("*.json"))) == 3


def test_interrupted_run_resumes_with_only_the_missing_documents(
    fast_engine_load, inputs, tmp_path
):
    out = tmp_path / "out"

    def interrupted(cfg, paths, progress):
        files = run_local(cfg, paths, progress=progress)
        yield next(files)
        raise KeyboardInterrupt  # the job is killed after its first file

    with pytest.raises(KeyboardInterrupt):
        run_batch(job(out), [str(inputs)], progress=False, runner=interrupted)
    assert not (out / "summaries.jsonl").exists()  # no partial output
    assert len(list((out / CACHE_DIR).glob("*.json"))) == 1
    assert temp_files(out) == []

    resumed = run_batch(job(out), [str(inputs)], progress=False)
    assert (resumed.done, resumed.cached, resumed.errors) == (2, 1, 1)

    fresh = tmp_path / "fresh"
    run_batch(job(fresh), [str(inputs)], progress=False)
    assert stable(read_jsonl(out / "summaries.jsonl")) == stable(
        read_jsonl(fresh / "summaries.jsonl")
    )


def test_a_lost_cache_entry_is_recomputed(fast_engine_load, inputs, tmp_path):
    out = tmp_path / "out"
    run_batch(job(out), [str(inputs)], progress=False)
    rows = read_jsonl(out / "summaries.jsonl")
    cached = sorted((out / CACHE_DIR).glob("*.json"))
    sha = rows[1]["sha256"]
    (victim,) = [p for p in cached if p.name.startswith(sha)]
    victim.unlink()
    again = run_batch(job(out), [str(inputs)], progress=False)
    assert (again.done, again.cached, again.errors) == (1, 2, 1)
    assert victim.is_file()
    assert stable(read_jsonl(out / "summaries.jsonl")) == stable(rows)


def test_changed_options_are_not_served_from_the_cache(fast_engine_load, sample_pdfs, tmp_path):
    out = tmp_path / "out"
    run_batch(job(out), [str(sample_pdfs[2])], progress=False)
    short = job(out, summary=SummaryOptions(summary_words=30))
    assert short.options_key("m") != job(out).options_key("m")
    result = run_batch(short, [str(sample_pdfs[2])], progress=False)
    assert (result.done, result.cached) == (1, 0)


def test_identical_files_keep_their_own_ids(fast_engine_load, sample_pdfs, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_pdfs[2], folder / "a.pdf")
    shutil.copy(sample_pdfs[2], folder / "b.pdf")
    out = tmp_path / "out"
    run_batch(job(out), [str(folder)], progress=False)
    assert [r["id"] for r in read_jsonl(out / "summaries.jsonl")] == ["a.pdf", "b.pdf"]


def test_changed_jsonl_fields_are_not_served_from_the_cache(fast_engine_load, tmp_path):
    source = tmp_path / "r.jsonl"
    record = {
        "id": "a",
        "doc_no": "X-1",
        "text": "The Supplier shall deliver the platform on time in every case.",
        "body": "Customer shall pay each invoice within thirty days of its receipt.",
    }
    source.write_text(json.dumps(record) + "\n")
    out = tmp_path / "out"
    run_batch(job(out), [str(source)], progress=False)
    other = job(out, ingest=IngestOptions(text_field="body", id_field="doc_no"))
    run_batch(other, [str(source)], progress=False)
    (row,) = read_jsonl(out / "summaries.jsonl")
    assert (row["id"], row["summary"]) == ("X-1", record["body"])


def test_outputs_inside_the_input_directory_are_not_summarized(
    fast_engine_load, sample_pdfs, tmp_path
):
    shutil.copy(sample_pdfs[2], tmp_path / sample_pdfs[2].name)
    cfg = job(tmp_path / "out", "md")
    run_batch(cfg, [str(tmp_path)], progress=False)
    again = run_batch(cfg, [str(tmp_path)], progress=False)
    assert (again.done, again.cached) == (0, 1)


# --- atomic writes -----------------------------------------------------------------------------


def test_atomic_write_writes_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "deep" / "er" / "out.json"
    atomic_write(path, "first\n")
    atomic_write(path, "second ünïcode\n")
    assert path.read_text(encoding="utf-8") == "second ünïcode\n"
    assert [p.name for p in path.parent.iterdir()] == ["out.json"]


@pytest.mark.parametrize("fail_at", ["replace", "fsync"])
def test_atomic_write_never_leaves_a_partial_file(tmp_path, monkeypatch, fail_at):
    path = tmp_path / "summaries.jsonl"
    atomic_write(path, '{"id": "old"}\n')

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, fail_at, boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, '{"id": "new"}\n' * 1000)
    monkeypatch.undo()
    assert path.read_text() == '{"id": "old"}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["summaries.jsonl"]
    new = tmp_path / "new.jsonl"
    monkeypatch.setattr(os, fail_at, boom)
    with pytest.raises(OSError):
        atomic_write(new, "x")
    monkeypatch.undo()
    assert not new.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["summaries.jsonl"]


def test_atomic_write_gives_normal_file_permissions(tmp_path):
    path = tmp_path / "report.json"
    atomic_write(path, "{}")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


# --- names and JSON Lines ----------------------------------------------------------------------

HOSTILE_IDS = ["../../etc/passwd", "/tmp/abs.json", "..", "sub/dir/../../x", ".hidden", "a\\b:c"]


def outside_files(root: Path, out: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and out not in p.parents}


def _hostile_jsonl(path: Path) -> None:
    lines = [
        {"id": doc_id, "text": f"Document {i}. The Supplier shall deliver item {i} on time."}
        for i, doc_id in enumerate(HOSTILE_IDS)
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_hostile_ids_stay_inside_the_output_dir(fast_engine_load, tmp_path, fmt):
    source = tmp_path / "input" / "hostile.jsonl"
    source.parent.mkdir()
    _hostile_jsonl(source)
    out = tmp_path / "work" / "out"
    outside_before = outside_files(tmp_path, out)
    result = run_batch(job(out, fmt), [str(source)], progress=False)
    assert result.done == len(HOSTILE_IDS) and result.errors == 0
    assert len(result.outputs) == len(HOSTILE_IDS)
    assert len(set(result.outputs)) == len(HOSTILE_IDS)
    for p in result.outputs:
        assert p.resolve().parent == out.resolve()
        assert not p.name.startswith(".")
        assert "/" not in p.name and "\\" not in p.name
    assert outside_files(tmp_path, out) == outside_before


def test_hostile_ids_are_kept_verbatim_in_jsonl_rows(fast_engine_load, tmp_path):
    source = tmp_path / "hostile.jsonl"
    _hostile_jsonl(source)
    out = tmp_path / "out"
    run_batch(job(out), [str(source)], progress=False)
    assert [r["id"] for r in read_jsonl(out / "summaries.jsonl")] == HOSTILE_IDS
    assert sorted(p.name for p in out.iterdir()) == [CACHE_DIR, "summaries.jsonl"]


def test_jsonl_input_with_custom_fields(fast_engine_load, tmp_path, capsys):
    source = tmp_path / "docs.jsonl"
    records = [
        {"doc_no": "A-1", "body": "The Supplier shall deliver the platform by June 30, 2024."},
        {"doc_no": 7, "body": "Customer shall pay each invoice within thirty (30) days."},
        {"doc_no": "C-3", "text": "This record has no body field at all, only text."},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out"
    cli_main(
        [
            "summarize",
            str(source),
            "--out",
            str(out),
            "--text-field",
            "body",
            "--id-field",
            "doc_no",
            "--no-progress",
        ]
    )
    assert "2 summarized, 0 from cache, 1 errors" in capsys.readouterr().err
    rows = read_jsonl(out / "summaries.jsonl")
    # A file's error rows come before its documents.
    assert [r["id"] for r in rows] == ["docs.jsonl:3", "A-1", "7"]
    docs = {r["id"]: r for r in rows if "error" not in r}
    assert set(docs) == {"A-1", "7"}
    assert docs["A-1"]["summary"] == "The Supplier shall deliver the platform by June 30, 2024."
    assert docs["7"]["citations"][0][0]["doc_id"] == "7"
    (error,) = [r for r in rows if "error" in r]
    assert error["kind"] == "missing_field" and "'body'" in error["error"]

    same = ingest_path(source, IngestOptions(text_field="body", id_field="doc_no"))
    assert [d.doc_id for d in same.documents] == ["A-1", "7"]


# --- a pool of worker processes ----------------------------------------------------------------


class _TimeLimit:
    """Raise TimeoutError in the main thread after `seconds` (the pool is then terminated)."""

    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        def expire(signum, frame):
            raise TimeoutError(f"batch job with worker processes ran over {self.seconds} s")

        self.previous = signal.signal(signal.SIGALRM, expire)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


def test_two_worker_processes_give_the_same_rows(inputs, tmp_path, tiny_checkpoint):
    # Each spawned process loads its own model: a tiny checkpoint keeps that quick. Without a
    # trained head it ranks like the default engine (Lead), so rows are real summaries.
    engine = EngineConfig(checkpoint=tiny_checkpoint(()), bf16=False)
    one, two = tmp_path / "one", tmp_path / "two"
    single = run_batch(job(one, engine=engine), [str(inputs)], progress=False)
    with _TimeLimit(240):
        pooled = run_batch(job(two, engine=engine, workers=2), [str(inputs)], progress=False)
    assert (pooled.done, pooled.cached, pooled.errors) == (single.done, 0, single.errors)
    assert (single.done, single.errors) == (3, 1)
    rows = read_jsonl(two / "summaries.jsonl")
    assert stable(rows) == stable(read_jsonl(one / "summaries.jsonl"))
    assert rows[0]["report"]["model"] == "tiny-untrained"
    assert temp_files(two) == []
