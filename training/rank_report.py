"""A per-rank record of a training run, to check that distributed ranks agree.

Under DDP every rank must end a step with the same parameters although each trains on its own
shard of the data: the gradients are averaged across ranks before each optimizer step. Add the
callback to a short run and compare the files it writes (`rank0.json`, `rank1.json`, ...):

    python -m training.cli fit --config configs/train/transfer.yaml --trainer.max_steps 5 \\
        --trainer.callbacks+=training.rank_report.RankReport \\
        --trainer.callbacks.out_dir runs/rank_report

Equal `param_digest` and `grad_digests` with different `batches` on every rank mean the ranks
trained on different data and stayed in sync. `tests/training/test_ddp.py` does this with two CPU
processes; on a new cluster it is a five-step smoke test of the network and the launcher.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import lightning.pytorch as pl
import torch
from lightning.pytorch.callbacks import Callback
from lightning_utilities.core.apply_func import apply_to_collection


@dataclass(frozen=True)
class RankRecord:
    """What one rank saw and did during `fit`.

    `batches`: a digest of each training batch's tensors, in order; `losses`: each batch's local
    loss; `grad_digests`: a digest of the trainable parameters' gradients before each optimizer
    step (after DDP's all-reduce); `initial_digest` / `param_digest`: of the trainable parameters
    at the start and the end of training.
    """

    rank: int
    world_size: int
    global_step: int
    batches: tuple[str, ...]
    losses: tuple[float, ...]
    grad_digests: tuple[str, ...]
    initial_digest: str
    param_digest: str
    param_sum: float


def tensor_digest(tensors: Iterable[torch.Tensor]) -> str:
    """sha256 of the tensors' bytes, in order: equal only for bit-identical values."""
    h = hashlib.sha256()
    for t in tensors:
        t = t.detach().cpu().contiguous().reshape(-1)
        h.update(str(t.dtype).encode())
        h.update(t.view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def _batch_tensors(batch: Any) -> list[torch.Tensor]:
    found: list[torch.Tensor] = []
    apply_to_collection(batch, torch.Tensor, found.append)
    return found


def _trainable(module: torch.nn.Module) -> list[tuple[str, torch.nn.Parameter]]:
    return sorted((n, p) for n, p in module.named_parameters() if p.requires_grad)


class RankReport(Callback):
    """Write a `RankRecord` of the run to `out_dir/rank{global_rank}.json` when training ends.

    Args:
        out_dir: folder for the records (shared by the ranks, or one per node: the file name
            carries the global rank).
    """

    def __init__(self, out_dir: str) -> None:
        self.out_dir = Path(out_dir)
        self._batches: list[str] = []
        self._losses: list[float] = []
        self._grads: list[str] = []
        self._initial = ""

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._initial = tensor_digest(p for _, p in _trainable(pl_module))

    def on_train_batch_start(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        self._batches.append(tensor_digest(_batch_tensors(batch)))

    def on_train_batch_end(
        self,
        trainer: pl.Trainer,
        pl_module: pl.LightningModule,
        outputs: Any,
        batch: Any,
        batch_idx: int,
    ) -> None:
        loss = outputs["loss"] if isinstance(outputs, dict) else outputs
        if isinstance(loss, torch.Tensor):
            self._losses.append(float(loss.detach()))

    def on_before_optimizer_step(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, optimizer: torch.optim.Optimizer
    ) -> None:
        # Parameters that took no part in a step have no gradient; they are left out alike on
        # every rank, so the digests still compare.
        grads = [p.grad for _, p in _trainable(pl_module) if p.grad is not None]
        self._grads.append(tensor_digest(grads))

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        params = [p for _, p in _trainable(pl_module)]
        record = RankRecord(
            rank=trainer.global_rank,
            world_size=trainer.world_size,
            global_step=trainer.global_step,
            batches=tuple(self._batches),
            losses=tuple(self._losses),
            grad_digests=tuple(self._grads),
            initial_digest=self._initial,
            param_digest=tensor_digest(params),
            param_sum=float(sum(p.detach().double().sum() for p in params)),
        )
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"rank{trainer.global_rank}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(record), indent=1), encoding="utf-8")
        tmp.replace(path)


def read_record(path: str | Path) -> RankRecord:
    """A `RankRecord` written by `RankReport`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in ("batches", "losses", "grad_digests"):
        data[key] = tuple(data[key])
    return RankRecord(**data)


__all__ = ["RankRecord", "RankReport", "read_record", "tensor_digest"]
