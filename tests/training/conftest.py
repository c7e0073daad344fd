"""Shared fixtures for the training tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch


@pytest.fixture(autouse=True)
def _seed_and_one_thread() -> Iterator[None]:
    """A fixed seed, and one intra-op thread: the models here are tiny, and on 2 shared cores a
    second thread only adds waiting (see tests/lm/conftest.py)."""
    torch.manual_seed(0)
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
