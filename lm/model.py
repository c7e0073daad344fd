"""The hybrid linear-attention encoder-decoder.

    ids ─ Embeddings ─ EncoderLayer × L (local softmax / window + linear) ─▶ memory (B, N, d)
    memory ─▶ ExtractiveHead ─▶ sentence scores
    memory, passages ─ DecoderLayer × L' (causal linear self, linear+softmax cross) ─▶ LMHead
           └─▶ CopyHead mixes a pointer distribution over passage tokens into the output

`encode` reads a whole bundle in one pass; `prepare` turns memory (and optional retrieved
passages) into per-layer states whose size does not depend on N; `decode` scores a target in
parallel and `decode_step` generates one token from a constant-size `DecoderState`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from lm.config import ModelConfig
from lm.layers.attention import CrossState
from lm.layers.blocks import DecoderLayer, EncoderLayer
from lm.layers.embeddings import Embeddings
from lm.layers.heads import CopyHead, CopySource, ExtractiveHead, LMHead
from lm.ops import LinearState


@dataclass(frozen=True)
class Passages:
    """Retrieved passages for exact cross-attention and copying: token positions in the memory.

    `positions` `(B, P)` index into the encoder memory; `mask` `(B, P)` marks real entries.
    """

    positions: torch.Tensor
    mask: torch.Tensor


@dataclass(frozen=True)
class DecoderInputs:
    """Everything the decoder reads of the source, computed once per input by `prepare`."""

    cross: tuple[CrossState, ...]
    copy: CopySource | None

    def index_select(self, index: torch.Tensor) -> DecoderInputs:
        return DecoderInputs(
            tuple(c.index_select(index) for c in self.cross),
            None if self.copy is None else self.copy.index_select(index),
        )


@dataclass(frozen=True)
class DecoderState:
    """Incremental decoding state: fixed-size per-layer linear states and the next position."""

    inputs: DecoderInputs
    layers: tuple[LinearState | None, ...]
    position: int

    def index_select(self, index: torch.Tensor) -> DecoderState:
        layers = tuple(None if s is None else s.index_select(index) for s in self.layers)
        return DecoderState(self.inputs.index_select(index), layers, self.position)


class LongBriefModel(nn.Module):
    """Encoder, decoder and heads; see the module docstring for the data flow."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embeddings = Embeddings(cfg)
        self.encoder = nn.ModuleList(EncoderLayer(cfg, kind) for kind in cfg.encoder_layers)
        self.decoder = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.n_decoder_layers))
        self.lm_head = LMHead(cfg)
        self.copy_head = CopyHead(cfg) if cfg.copy else None
        self.extractive = ExtractiveHead(cfg)

    def encode(self, ids: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """`ids` `(B, N)`, `mask` `(B, N)` True = real token -> memory `(B, N, d)`.

        The memory has the encoder layers' dtype (see `cast_encoder`).
        """
        x = self.embeddings(ids).to(self.encoder_dtype)
        use_ckpt = self._checkpointing()
        for layer in self.encoder:
            x = checkpoint(layer, x, mask, use_reentrant=False) if use_ckpt else layer(x, mask)
        return x

    def _checkpointing(self) -> bool:
        # Recompute each block's activations in backward instead of storing them: only when
        # training with gradients (inference keeps nothing anyway, and eval has no backward).
        return self.cfg.gradient_checkpointing and self.training and torch.is_grad_enabled()

    def set_gradient_checkpointing(self, enabled: bool) -> None:
        """Turn activation checkpointing of every encoder and decoder block on or off.

        A training-memory switch, not architecture: outputs and gradients are unchanged (up to
        float rounding); it trades one extra forward pass per block for the stored activations.
        """
        self.cfg = self.cfg.replace(gradient_checkpointing=enabled)

    @property
    def encoder_dtype(self) -> torch.dtype:
        """The dtype of the encoder layers' weights (float32 unless `cast_encoder` changed it)."""
        first = next(self.encoder.parameters(), None)
        return torch.float32 if first is None else first.dtype

    def cast_encoder(self, dtype: torch.dtype) -> None:
        """Keep the encoder layers' weights in `dtype`, for inference.

        On CPU, bf16 weights encode ~1.3x faster than bf16 autocast over float32 weights, which
        re-casts every weight and activation at each call. Embeddings, heads and decoder keep
        their dtype; the memory comes out in `dtype`.
        """
        self.encoder.to(dtype)

    def score_sentences(
        self, memory: torch.Tensor, sentence_ids: torch.Tensor, n_sentences: int
    ) -> torch.Tensor:
        """Extractive logits `(B, S)`; `sentence_ids` `(B, N)` gives each token's sentence or -1."""
        return self.extractive(memory, sentence_ids, n_sentences)

    def prepare(
        self,
        memory: torch.Tensor,
        memory_mask: torch.Tensor | None = None,
        ids: torch.Tensor | None = None,
        passages: Passages | None = None,
    ) -> DecoderInputs:
        """Precompute each cross-attention layer's states (and the copy source) once per input.

        With `passages`, `ids` `(B, N)` must be the encoder input ids, so that copied tokens are
        the source's own.
        """
        hidden = pmask = None
        copy = None
        if passages is not None:
            if ids is None:
                raise ValueError("passages need the encoder input ids for copying")
            index = passages.positions.clamp_min(0)
            hidden = torch.gather(memory, 1, index[..., None].expand(-1, -1, memory.shape[-1]))
            pmask = passages.mask
            if self.copy_head is not None:
                copy = CopySource(hidden, torch.gather(ids, 1, index), pmask)
        cross = tuple(
            layer.cross_attn.precompute(memory, memory_mask, hidden, pmask)
            for layer in self.decoder
        )
        return DecoderInputs(cross, copy)

    def _output(self, h: torch.Tensor, inputs: DecoderInputs) -> torch.Tensor:
        logits = self.lm_head(h, self.embeddings.word.weight)
        if self.copy_head is None or inputs.copy is None:
            return logits.float().log_softmax(dim=-1)
        return self.copy_head(h, logits, inputs.copy)

    def decode(self, target: torch.Tensor, inputs: DecoderInputs) -> torch.Tensor:
        """Log-probabilities `(B, T, V)` of the next token after each of `target` `(B, T)`."""
        h = self.embeddings(target)
        use_ckpt = self._checkpointing()
        for layer, cross in zip(self.decoder, inputs.cross, strict=True):
            h = checkpoint(layer, h, cross, use_reentrant=False) if use_ckpt else layer(h, cross)
        return self._output(h, inputs)

    def start(self, inputs: DecoderInputs) -> DecoderState:
        """An empty decoding state (before the first token)."""
        return DecoderState(inputs, (None,) * len(self.decoder), 0)

    def decode_step(
        self, token: torch.Tensor, state: DecoderState
    ) -> tuple[torch.Tensor, DecoderState]:
        """Feed one token per row `(B,)`; returns next-token log-probabilities `(B, V)`."""
        h = self.embeddings(token[:, None], start=state.position)
        layers = []
        for layer, cross, s in zip(self.decoder, state.inputs.cross, state.layers, strict=True):
            h, s = layer.step(h, cross, s)
            layers.append(s)
        logprobs = self._output(h, state.inputs)[:, 0]
        return logprobs, DecoderState(state.inputs, tuple(layers), state.position + 1)

    def forward(
        self,
        ids: torch.Tensor,
        mask: torch.Tensor | None,
        target: torch.Tensor,
        passages: Passages | None = None,
    ) -> torch.Tensor:
        """Teacher-forced log-probabilities `(B, T, V)` for `target` given source `ids`."""
        memory = self.encode(ids, mask)
        return self.decode(target, self.prepare(memory, mask, ids, passages))

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
