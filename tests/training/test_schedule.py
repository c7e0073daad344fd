"""The shared learning-rate schedule: linear warm-up, then cosine to a floor, or constant."""

from __future__ import annotations

import itertools

import pytest
import torch

from training.schedule import lr_factor, optimizer_config


def test_warmup_then_cosine_to_the_floor() -> None:
    factors = [
        lr_factor(s, warmup=4, total=14, schedule="cosine", min_ratio=0.1) for s in range(16)
    ]
    assert factors[:4] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert factors[4] == pytest.approx(1.0)
    assert factors[9] == pytest.approx(0.1 + 0.9 * 0.5)  # halfway down the cosine
    assert factors[14] == pytest.approx(0.1) and factors[15] == pytest.approx(0.1)
    assert all(a >= b for a, b in itertools.pairwise(factors[4:]))


def test_constant_after_warmup() -> None:
    assert [lr_factor(s, 2, 10, "constant", 0.0) for s in range(5)] == [0.5, 1.0, 1.0, 1.0, 1.0]


def test_optimizer_config_steps_the_learning_rate() -> None:
    param = torch.nn.Parameter(torch.zeros(3))
    optimizer = torch.optim.SGD([param], lr=1.0)
    config = optimizer_config(optimizer, warmup=2, total=6, schedule="cosine", min_ratio=0.0)
    assert config["lr_scheduler"]["interval"] == "step"
    scheduler = config["lr_scheduler"]["scheduler"]
    rates = []
    for _ in range(6):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert rates[:2] == pytest.approx([0.5, 1.0])
    assert rates[-1] < rates[2]
