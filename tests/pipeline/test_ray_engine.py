"""The Ray engine on a local Ray instance gives the same rows (and cache) as the local engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from pipeline.batch import CACHE_DIR, BatchConfig, run_batch  # noqa: E402
from pipeline.cli import main as cli_main  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray instance for this module (two CPUs, no dashboard)."""
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def read_rows(out: Path) -> list[dict]:
    lines = (out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    for row in rows:
        if "report" in row:
            row["report"].pop("timings")
    return rows


def test_ray_engine_matches_the_local_engine(
    local_ray, fast_engine_load, sample_pdfs, make_broken, tmp_path, capsys
):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sample_pdfs:
        shutil.copy(p, folder / p.name)
    broken = folder / "broken.pdf"
    broken.write_bytes(make_broken("corrupt"))
    missing = str(tmp_path / "missing.pdf")

    local_out = tmp_path / "local"
    local = run_batch(BatchConfig(out=local_out), [str(folder), missing], progress=False)
    assert (local.done, local.cached, local.errors) == (3, 0, 2)

    # The actors load their own engine (the default one, as the local run's shared engine).
    ray_out = tmp_path / "ray"
    cli_main(["summarize", str(folder), missing, "--out", str(ray_out), "--engine", "ray"])
    assert "3 summarized, 0 from cache, 2 errors" in capsys.readouterr().err

    local_rows, ray_rows = read_rows(local_out), read_rows(ray_out)
    assert len(ray_rows) == 5
    by_id = sorted(ray_rows, key=lambda r: r["id"])
    assert by_id == sorted(local_rows, key=lambda r: r["id"])
    errors = {r["id"]: r["kind"] for r in ray_rows if "error" in r}
    assert errors == {"broken.pdf": "corrupt", "missing.pdf": "missing"}
    assert all(r["summary"] for r in ray_rows if "error" not in r)

    # The actors wrote the same resume cache: a local run on Ray's output is all cached.
    names = sorted(p.name for p in (ray_out / CACHE_DIR).iterdir())
    assert names == sorted(p.name for p in (local_out / CACHE_DIR).iterdir())
    again = run_batch(BatchConfig(out=ray_out), [str(folder), missing], progress=False)
    assert (again.done, again.cached, again.errors) == (0, 3, 2)
