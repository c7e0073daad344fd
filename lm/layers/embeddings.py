"""Token embeddings with block-relative positions plus a coarse cross-block signal."""

from __future__ import annotations

import math

import torch
from torch import nn

from lm.config import ModelConfig


def sinusoid(positions: torch.Tensor, dim: int) -> torch.Tensor:
    """Fixed sinusoidal code of integer positions `(...)` -> `(..., dim)`."""
    half = dim // 2
    freq = torch.exp(-math.log(10000.0) * torch.arange(half, device=positions.device) / half)
    angles = positions.float()[..., None] * freq
    code = torch.cat([angles.sin(), angles.cos()], dim=-1)
    return nn.functional.pad(code, (0, dim - 2 * half))


class Embeddings(nn.Module):
    """word + position(t mod block) + gain ⊙ sinusoid(t div block), then LayerNorm.

    Within a block the positions are exactly MiniLM's 0..511, so its pretrained weights stay in
    distribution. The coarse signal tells blocks apart; its gain starts at zero so a warm-started
    model first reproduces MiniLM exactly.
    """

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.block_size = cfg.block_size
        self.word = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.pad_id)
        self.position = nn.Embedding(cfg.block_size, cfg.d_model)
        self.block_gain = nn.Parameter(torch.zeros(cfg.d_model))
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, ids: torch.Tensor, start: int = 0) -> torch.Tensor:
        """`ids` `(B, T)` at absolute positions start..start+T-1 -> `(B, T, d)`."""
        pos = torch.arange(start, start + ids.shape[1], device=ids.device)
        coarse = sinusoid(pos // self.block_size, self.block_gain.shape[0]).to(
            self.block_gain.dtype
        )
        x = self.word(ids) + self.position(pos % self.block_size) + self.block_gain * coarse
        return self.dropout(self.norm(x))
