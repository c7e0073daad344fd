"""Attention layers: the hybrid encoder's, the decoder's causal linear self-attention, and the
decoder's cross-attention (linear over the whole memory + exact softmax over passages)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from lm.config import ModelConfig
from lm.ops import (
    FeatureMaps,
    LinearState,
    block_softmax_attention,
    causal_linear_attention,
    fused_hedgehog,
    linear_readout,
    linear_state,
    normalize,
    recurrent_step,
    softmax_plus_linear,
)
from lm.ops.dense import linear
from lm.ops.local_attention import key_masked_sdpa, window_plus_linear


class Projections(nn.Module):
    """query/key/value/out projections, BERT layout (names match the warm-start map)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        d = cfg.d_model
        self.n_heads = cfg.n_heads
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.out = nn.Linear(d, d)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        """`(B, T, d)` -> `(B, H, T, D)`."""
        b, t, d = x.shape
        return x.view(b, t, self.n_heads, d // self.n_heads).transpose(1, 2)

    def merge(self, x: torch.Tensor) -> torch.Tensor:
        """`(B, H, T, D)` -> `(B, T, d)` through the output projection."""
        b, h, t, dh = x.shape
        return linear(x.transpose(1, 2).reshape(b, t, h * dh), self.out)

    def qkv(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """`(B, T, d)` -> queries, keys and values `(B, H, T, D)`."""
        return tuple(self.split(linear(x, layer)) for layer in (self.query, self.key, self.value))


def _feature_maps(cfg: ModelConfig) -> FeatureMaps:
    return FeatureMaps(cfg.feature_map, cfg.n_heads, cfg.head_dim, cfg.feature_dim, cfg.favor_seed)


class EncoderAttention(nn.Module):
    """Self-attention of one encoder layer; `kind` picks the op (see `ModelConfig`)."""

    def __init__(self, cfg: ModelConfig, kind: str):
        super().__init__()
        self.kind = kind
        self.block_size = cfg.block_size
        self.window = cfg.window
        self.proj = Projections(cfg)
        if kind in ("hybrid", "linear"):
            self.features = _feature_maps(cfg)
        if kind == "hybrid":
            # Per-head scale of the linear term against the exact window (log-space).
            self.log_scale = nn.Parameter(torch.zeros(cfg.n_heads))

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor | None = None) -> torch.Tensor:
        """`x` `(B, T, d)`, `key_mask` `(B, T)` True = real token -> `(B, T, d)`."""
        q, k, v = self.proj.qkv(x)  # (B, H, T, D)
        if self.kind == "softmax":
            out = (
                F.scaled_dot_product_attention(q, k, v)
                if key_mask is None
                else key_masked_sdpa(q, k, v, key_mask)
            )
        elif self.kind == "local":
            out = block_softmax_attention(q, k, v, self.block_size, key_mask)
        else:
            num, den = self._global_linear(q, k, v, key_mask)
            out = (
                window_plus_linear(q, k, v, num, den, self.log_scale, self.window, key_mask)
                if self.kind == "hybrid"
                else normalize(num, den)
            )
        return self.proj.merge(out)

    def _global_linear(
        self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Numerator `(B, H, T, D)`, denominator `(B, H, T)` of linear attention over all keys."""
        q_map, k_map = self.features.q_map, self.features.k_map
        if fused_hedgehog.fusable(q, q_map, k_map):
            return fused_hedgehog.hedgehog_linear_parts(q, k, v, q_map, k_map, key_mask)
        state = linear_state(self.features.key(k), v, key_mask)
        return linear_readout(self.features.query(q), state)


class CausalSelfAttention(nn.Module):
    """Causal linear self-attention: chunkwise-parallel for training, recurrent for decoding."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.chunk_size = cfg.chunk_size
        self.proj = Projections(cfg)
        self.features = _feature_maps(cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Parallel form over `(B, T, d)`."""
        q, k, v = self.proj.qkv(x)
        fq, fk = self.features.query(q), self.features.key(k)
        return self.proj.merge(causal_linear_attention(fq, fk, v, self.chunk_size))

    def step(self, x: torch.Tensor, state: LinearState | None) -> tuple[torch.Tensor, LinearState]:
        """One token `(B, 1, d)` against a fixed-size state."""
        q, k, v = self.proj.qkv(x)
        num, den, state = recurrent_step(self.features.query(q), self.features.key(k), v, state)
        return self.proj.merge(normalize(num, den)), state


@dataclass(frozen=True)
class CrossState:
    """What one cross-attention layer keeps of the encoder side, computed once per input.

    `memory` sums the whole encoder memory into a fixed-size linear state; `keys`, `values`
    `(B, H, P, D)` and `mask` `(B, P)` are the retrieved passages that get exact softmax. No
    tensor here grows with the memory length N.
    """

    memory: LinearState
    keys: torch.Tensor | None
    values: torch.Tensor | None
    mask: torch.Tensor | None

    def index_select(self, index: torch.Tensor) -> CrossState:
        """Reorder or repeat along the batch dimension."""
        if self.keys is None:
            return CrossState(self.memory.index_select(index), None, None, None)
        return CrossState(
            self.memory.index_select(index),
            self.keys.index_select(0, index),
            self.values.index_select(0, index),
            self.mask.index_select(0, index),
        )


class CrossAttention(nn.Module):
    """Linear attention over the whole memory + exact softmax over passages, one normalization."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.proj = Projections(cfg)
        self.features = _feature_maps(cfg)
        self.log_scale = nn.Parameter(torch.zeros(cfg.n_heads))

    def precompute(
        self,
        memory: torch.Tensor,
        memory_mask: torch.Tensor | None,
        passages: torch.Tensor | None,
        passage_mask: torch.Tensor | None,
    ) -> CrossState:
        """`memory` `(B, N, d)`; `passages` `(B, P, d)` or None."""
        k = self.proj.split(self.proj.key(memory))
        v = self.proj.split(self.proj.value(memory))
        state = linear_state(self.features.key(k), v, memory_mask)  # (B, H, F, D)
        if passages is None:
            return CrossState(state, None, None, None)
        pk = self.proj.split(self.proj.key(passages))
        pv = self.proj.split(self.proj.value(passages))
        return CrossState(state, pk, pv, passage_mask)

    def forward(self, x: torch.Tensor, cross: CrossState) -> torch.Tensor:
        """Queries `(B, T, d)` -> `(B, T, d)`; the cost per query is independent of N."""
        q = self.proj.split(self.proj.query(x))  # (B, H, T, D)
        lin_num, lin_den = linear_readout(self.features.query(q), cross.memory)
        if cross.keys is None:
            return self.proj.merge(normalize(lin_num, lin_den))
        scores = torch.matmul(q, cross.keys.transpose(-1, -2)) * q.shape[-1] ** -0.5  # (B, H, T, P)
        valid = cross.mask[:, None, None, :]
        out = softmax_plus_linear(scores, valid, cross.values, lin_num, lin_den, self.log_scale)
        return self.proj.merge(out)
