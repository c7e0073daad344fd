"""Shared fixtures for the lm/ tests: tiny models, random sources, and the MiniLM skip marker.

Tests that need the real all-MiniLM-L6-v2 files carry `@pytest.mark.minilm_required`; they are
skipped (not failed) where the verified files are not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pytest
import torch

from lm.config import ModelConfig
from lm.model import DecoderInputs, LongBriefModel, Passages
from lm.weights import minilm_available

# Token ids drawn for random inputs avoid the special tokens ([PAD] 0, [UNK] 100, [CLS] 101,
# [SEP] 102, [MASK] 103) so that no test depends on what a special token happens to do.
LOW_ID, HIGH_ID = 1000, 30000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "minilm_required: needs the verified all-MiniLM-L6-v2 files (skipped if absent)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    marked = [item for item in items if item.get_closest_marker("minilm_required")]
    if marked and not minilm_available():
        skip = pytest.mark.skip(reason="verified MiniLM base files are not installed")
        for item in marked:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _seed() -> None:
    torch.manual_seed(0)


@pytest.fixture
def single_thread() -> Iterator[None]:
    """Run on one intra-op thread (use with `pytest.mark.usefixtures("single_thread")`).

    The tiny model's ops are microseconds of work; on 2 cores shared with other jobs each
    OpenMP parallel region waited ~5 ms for a descheduled worker thread (a 37-step decode took
    3-5 s on two threads and 0.1 s on one).
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture
def tiny_cfg() -> ModelConfig:
    return ModelConfig.from_name("tiny")


def _perturb(model: LongBriefModel, generator: torch.Generator) -> None:
    """Move the parameters that start at zero / identity away from it.

    A fresh model has block_gain = 0, log_scale = 0, near-identity Hedgehog maps and a zero
    vocabulary bias: tests of positions, scales and feature maps would then pass vacuously.
    """

    def noise(p: torch.Tensor, std: float) -> torch.Tensor:
        return torch.randn(p.shape, generator=generator) * std

    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("block_gain") or name.endswith("log_scale"):
                p.copy_(noise(p, 0.5))
            elif ".q_map." in name or ".k_map." in name:
                p.add_(noise(p, 0.3))
            elif name == "lm_head.bias":
                p.copy_(noise(p, 0.5))


@pytest.fixture
def make_model() -> Callable[..., LongBriefModel]:
    """`make_model(cfg=None, perturb=True, **overrides)`: a seeded tiny model in eval mode."""

    def build(
        cfg: ModelConfig | None = None, perturb: bool = True, seed: int = 0, **overrides
    ) -> LongBriefModel:
        cfg = (cfg or ModelConfig.from_name("tiny")).replace(**overrides)
        torch.manual_seed(seed)
        model = LongBriefModel(cfg)
        if perturb:
            _perturb(model, torch.Generator().manual_seed(seed + 1))
        return model.eval()

    return build


@pytest.fixture
def tiny_model(make_model: Callable[..., LongBriefModel]) -> LongBriefModel:
    return make_model()


@dataclass(frozen=True)
class Source:
    """A padded batch of encoder inputs and (optionally) retrieved passages."""

    ids: torch.Tensor  # (B, N), padded with 0
    mask: torch.Tensor  # (B, N), True = real token
    lengths: tuple[int, ...]
    passages: Passages | None


def _source(
    lengths: Sequence[int],
    passage_counts: Sequence[int] | None = None,
    seed: int = 0,
) -> Source:
    gen = torch.Generator().manual_seed(seed)
    n = max(lengths)
    ids = torch.zeros(len(lengths), n, dtype=torch.long)
    mask = torch.zeros(len(lengths), n, dtype=torch.bool)
    for row, length in enumerate(lengths):
        ids[row, :length] = torch.randint(LOW_ID, HIGH_ID, (length,), generator=gen)
        mask[row, :length] = True
    passages = None
    if passage_counts is not None:
        p = max(max(passage_counts), 1)
        positions = torch.full((len(lengths), p), -1, dtype=torch.long)
        pmask = torch.zeros(len(lengths), p, dtype=torch.bool)
        for row, (length, count) in enumerate(zip(lengths, passage_counts, strict=True)):
            # A contiguous span of the source, as a retrieved passage is.
            start = int(torch.randint(0, length - count + 1, (1,), generator=gen))
            positions[row, :count] = torch.arange(start, start + count)
            pmask[row, :count] = True
        passages = Passages(positions, pmask)
    return Source(ids, mask, tuple(lengths), passages)


@pytest.fixture
def make_source() -> Callable[..., Source]:
    """`make_source(lengths, passage_counts=None, seed=0)`: random ids padded to the longest."""
    return _source


def _prepare(model: LongBriefModel, src: Source) -> DecoderInputs:
    with torch.no_grad():
        memory = model.encode(src.ids, src.mask)
        return model.prepare(memory, src.mask, src.ids, src.passages)


@pytest.fixture
def prepare_source() -> Callable[[LongBriefModel, Source], DecoderInputs]:
    """`prepare_source(model, source)`: encode and precompute the decoder's inputs (no grad)."""
    return _prepare


@pytest.fixture(scope="session")
def minilm_tokenizer():
    """The verified MiniLM WordPiece tokenizer (only for tests marked `minilm_required`)."""
    from lm.tokenizer import Tokenizer

    return Tokenizer.minilm()
