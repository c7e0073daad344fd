"""Batch jobs on a Ray cluster: Ray Data `map_batches` with the model loaded once per actor.

Rows come back to the driver, which writes them with the same writer as local jobs
(`pipeline.batch.write_outputs`), so outputs and the resume cache are identical either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from pipeline.batch import BatchConfig, Worker


class SummarizeActor:
    """A Ray Data callable class: one `Worker` (one loaded model) per actor."""

    def __init__(self, cfg: BatchConfig):
        self.worker = Worker(cfg)

    def __call__(self, batch: dict) -> dict:
        rows = []
        for path in batch["path"]:
            rows += [json.dumps([status, row]) for status, row in self.worker(str(path))]
        return {"row": rows}


def run_ray(
    cfg: BatchConfig,
    paths: Sequence[str],
    address: str | None = None,
    progress: bool = True,
) -> Iterator[list[tuple[str, dict]]]:
    """Yield the rows of every file, summarized by `cfg.workers` Ray actors.

    `address` joins an existing cluster ("auto" or "ray://host:10001"); without it a local Ray
    instance is started. Every node needs longbrief installed and read access to the inputs and
    the output directory (the actors write the resume cache).
    """
    import ray

    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=progress)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = progress
    dataset = ray.data.from_items([{"path": p} for p in paths])
    results = dataset.map_batches(
        SummarizeActor,
        fn_constructor_args=(cfg,),
        batch_size=1,
        concurrency=max(1, cfg.workers),
        batch_format="numpy",
    )
    for item in results.iter_rows():
        status, row = json.loads(str(item["row"]))
        yield [(status, row)]
