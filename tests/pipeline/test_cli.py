"""The `longbrief` command: demo, bundle, summarize, exit statuses and the module entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from longbrief.cli import main
from pipeline.cli import build_parser

REPO = Path(__file__).resolve().parents[2]


def exit_code(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as info:
        main(argv)
    return info.value.code


def test_demo_writes_reports_and_prints_the_brief(fast_engine_load, tmp_path, capsys):
    out = tmp_path / "demo"
    main(["demo", "--out", str(out)])
    captured = capsys.readouterr()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    md = (out / "report.md").read_text(encoding="utf-8")
    assert [d["doc_id"] for d in report["documents"]] == [
        "01_master_services_agreement.pdf",
        "02_statement_of_work.pdf",
        "03_amendment_no_1.pdf",
    ]
    assert report["errors"] == [] and report["brief"]
    assert captured.out.startswith("# Brief (extractive)")
    assert report["brief"][0]["text"] in captured.out
    assert captured.out.strip() == md.strip()
    assert "[01_master_services_agreement.pdf, p. 1]" in captured.out
    assert f"wrote {out / 'report.json'}" in captured.err


def test_bundle_reports_a_missing_file_and_exits_zero(
    fast_engine_load, sample_pdfs, tmp_path, capsys
):
    missing = tmp_path / "not-there.pdf"
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    inputs = [str(sample_pdfs[0]), str(missing), str(sample_pdfs[2])]
    main(["bundle", *inputs, "--out", str(out), "--md", str(md)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in report["documents"]] == [sample_pdfs[0].name, sample_pdfs[2].name]
    assert report["errors"] == [
        {"source": str(missing), "kind": "missing", "reason": "no such file or directory"}
    ]
    assert f"error: {missing}: no such file or directory" in capsys.readouterr().err
    text = md.read_text(encoding="utf-8")
    assert f"`{missing}`" in text
    assert "[03_amendment_no_1.pdf, p. 1]" in text


def test_bundle_of_unreadable_files_exits_one(fast_engine_load, make_broken, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(make_broken("encrypted"))
    out = tmp_path / "r.json"
    assert exit_code(["bundle", str(broken), "--out", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [e["kind"] for e in report["errors"]] == ["encrypted"]


def test_bundle_password_opens_an_encrypted_pdf(fast_engine_load, make_broken, tmp_path):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(make_broken("encrypted"))
    out = tmp_path / "r.json"
    main(["bundle", str(locked), "--out", str(out), "--password", "s3cret"])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == [] and report["documents"][0]["doc_id"] == "locked.pdf"


@pytest.mark.parametrize("command", ["summarize", "bundle"])
@pytest.mark.parametrize("mode", ["abstractive", "hybrid"])
def test_generating_mode_without_a_trained_decoder_exits_two(
    fast_engine_load, sample_pdfs, tmp_path, capsys, command, mode
):
    out = tmp_path / ("out" if command == "summarize" else "r.json")
    argv = [command, str(sample_pdfs[2]), "--out", str(out), "--mode", mode]
    assert exit_code([*argv, "--no-progress"] if command == "summarize" else argv) == 2
    err = capsys.readouterr().err
    assert "error: checkpoint 'default' has no trained decoder" in err
    assert "use the extractive mode" in err
    assert "Traceback" not in err


def test_summarize_with_nothing_readable_exits_one(fast_engine_load, tmp_path, capsys):
    assert exit_code(["summarize", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "o")]) == 1
    assert "0 summarized, 0 from cache, 1 errors" in capsys.readouterr().err
    rows = (tmp_path / "o" / "summaries.jsonl").read_text().splitlines()
    assert json.loads(rows[0])["kind"] == "missing"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["summarize"],
        ["summarize", "x.pdf"],
        ["summarize", "x.pdf", "--out", "o", "--format", "xml"],
        ["bundle", "x.pdf", "--out", "r.json", "--mode", "creative"],
        ["frobnicate"],
    ],
)
def test_bad_usage_exits_two(argv, capsys):
    assert exit_code(argv) == 2
    assert "usage: longbrief" in capsys.readouterr().err


def test_parser_options():
    args = build_parser().parse_args(["summarize", "a", "b", "--out", "o"])
    assert (args.fmt, args.workers, args.engine, args.mode) == ("jsonl", 1, "local", "extractive")
    assert (args.text_field, args.id_field, args.password) == ("text", "id", None)
    help_text = build_parser().format_help()
    for command in ("demo", "bundle", "summarize"):
        assert command in help_text


def test_python_dash_m_longbrief_help():
    done = subprocess.run(
        [sys.executable, "-m", "longbrief", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: longbrief")
    for command in ("demo", "bundle", "summarize"):
        assert command in done.stdout
