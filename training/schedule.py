"""The learning-rate schedule every objective uses: linear warm-up, then cosine or constant."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch.optim.lr_scheduler import LambdaLR


def lr_factor(step: int, warmup: int, total: int, schedule: str, min_ratio: float) -> float:
    """Learning-rate multiplier: linear warm-up, then constant or cosine down to `min_ratio`."""
    if step < warmup:
        return (step + 1) / warmup
    if schedule == "constant":
        return 1.0
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def optimizer_config(
    optimizer: torch.optim.Optimizer,
    warmup: int,
    total: int,
    schedule: str = "cosine",
    min_ratio: float = 0.0,
) -> dict[str, Any]:
    """What `configure_optimizers` returns: `optimizer` with `lr_factor` applied every step."""
    warmup, total = max(0, warmup), max(1, total)

    def factor(step: int) -> float:
        return lr_factor(step, warmup, total, schedule, min_ratio)

    return {
        "optimizer": optimizer,
        "lr_scheduler": {"scheduler": LambdaLR(optimizer, factor), "interval": "step"},
    }
