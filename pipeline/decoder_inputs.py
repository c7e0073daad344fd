"""What the decoder reads of one input, built the same way for summarizing and for training.

    EncodedBundle, span, support (extracted sentences) ──source_inputs──▶ SourceInputs
    [SourceInputs, ...] ──decoder_inputs (pad, LongBriefModel.prepare)──▶ DecoderInputs

`abstractive` reads the memory of the span alone (linear cross-attention, nothing to copy);
`hybrid` adds, as passages for exact cross-attention and copying, the tokens of the supporting
sentences (extract-then-abstract). `pipeline.summarize` and `training.abstractive` both call
these two functions, so the decoder is trained on exactly the inputs it is run on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from lm.model import DecoderInputs, LongBriefModel, Passages
from pipeline.engine import EncodedBundle, EncodedDocument

DECODER_MODES = ("abstractive", "hybrid")


@dataclass(frozen=True)
class SourceInputs:
    """One input before `prepare`: memory `(N, d)`, its token ids `(N,)` and, in hybrid mode,
    passage positions `(P,)` into that memory (None in abstractive mode).

    `linear_rows`: how many leading rows of `memory` the linear cross-attention reads (None: all).
    The rows after them are passage states appended for this call (`pipeline.passages`: chunks
    retrieved from outside the span), read only by the exact cross-attention and copying.
    """

    memory: torch.Tensor
    ids: torch.Tensor
    passages: torch.Tensor | None
    linear_rows: int | None = None


def passage_positions(
    support: Sequence[tuple[EncodedDocument, Sequence[int]]], budget: int
) -> list[int]:
    """Bundle positions of the supporting sentences' tokens, in order, at most `budget`."""
    positions: list[int] = []
    for doc, indices in support:
        for i in indices:
            positions += doc.sentence_tokens(i)
    return positions[:budget]


def source_inputs(
    bundle: EncodedBundle,
    span: tuple[int, int],
    support: Sequence[tuple[EncodedDocument, Sequence[int]]],
    mode: str,
    passage_tokens: int,
) -> SourceInputs:
    """The decoder's view of bundle tokens `span` = (start, end) in `mode`.

    `support` lists (document, sentence indices) whose tokens become the passages in hybrid
    mode (at most `passage_tokens` of them); abstractive mode ignores it.
    """
    if mode not in DECODER_MODES:
        raise ValueError(f"unknown decoder mode {mode!r}; use one of {DECODER_MODES}")
    if bundle.memory is None:
        raise ValueError("the bundle was encoded without memory")
    start, end = span
    passages = None
    if mode == "hybrid":
        positions = passage_positions(support, passage_tokens)
        passages = torch.tensor(positions, dtype=torch.long) - start
    return SourceInputs(bundle.memory[start:end], bundle.ids[start:end], passages)


def decoder_inputs(model: LongBriefModel, sources: Sequence[SourceInputs]) -> DecoderInputs:
    """Pad a batch of inputs and precompute the decoder's cross-attention states.

    Memory is padded to the longest input with a key mask (left out when every input has the
    same length, as in the pipeline's batch of one); passages are padded with masked entries.
    Either every input has passages (hybrid) or none has (abstractive).
    """
    if not sources:
        raise ValueError("no inputs")
    with_passages = {s.passages is not None for s in sources}
    if len(with_passages) > 1:
        raise ValueError("a batch mixes hybrid and abstractive inputs")
    b, d = len(sources), sources[0].memory.shape[-1]
    n = max(s.memory.shape[0] for s in sources)
    ref = sources[0].memory
    memory = ref.new_zeros(b, n, d)  # (B, N, d)
    ids = torch.zeros(b, n, dtype=torch.long)
    mask = torch.zeros(b, n, dtype=torch.bool)
    for i, s in enumerate(sources):
        memory[i, : s.memory.shape[0]] = s.memory
        ids[i, : s.ids.shape[0]] = s.ids
        mask[i, : s.memory.shape[0] if s.linear_rows is None else s.linear_rows] = True
    memory_mask = None if bool(mask.all()) else mask
    passages = None
    if with_passages == {True}:
        p = max(s.passages.shape[0] for s in sources)  # type: ignore[union-attr]
        positions = torch.zeros(b, p, dtype=torch.long)  # (B, P)
        pmask = torch.zeros(b, p, dtype=torch.bool)
        for i, s in enumerate(sources):
            assert s.passages is not None
            positions[i, : s.passages.shape[0]] = s.passages
            pmask[i, : s.passages.shape[0]] = True
        passages = Passages(positions, pmask)
    return model.prepare(memory, memory_mask, ids, passages)


__all__ = [
    "DECODER_MODES",
    "SourceInputs",
    "decoder_inputs",
    "passage_positions",
    "source_inputs",
]
