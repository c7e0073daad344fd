"""Post-LayerNorm transformer blocks (MiniLM/BERT layout, so pretrained weights drop in)."""

from __future__ import annotations

import torch
from torch import nn

from lm.config import ModelConfig
from lm.layers.attention import CausalSelfAttention, CrossAttention, CrossState, EncoderAttention
from lm.ops import LinearState, fused_norm
from lm.ops.dense import linear


class FeedForward(nn.Module):
    """d -> d_ff -> d with exact (erf) GELU, as in BERT."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.fc1 = nn.Linear(cfg.d_model, cfg.d_ff)
        self.fc2 = nn.Linear(cfg.d_ff, cfg.d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return linear(linear(x, self.fc1, gelu=True), self.fc2)


class Residual(nn.Module):
    """x -> LayerNorm(x + dropout(sublayer output)): BERT's post-norm residual."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor, update: torch.Tensor) -> torch.Tensor:
        # Dropout is the identity in eval mode; then long inputs take the one-pass kernel.
        if not self.training and fused_norm.fusable(x, update, self.norm):
            return fused_norm.add_layer_norm(x, update, self.norm)
        return self.norm(x + self.dropout(update))


class EncoderLayer(nn.Module):
    """Attention (of the configured kind) and feed-forward, each with a post-norm residual."""

    def __init__(self, cfg: ModelConfig, kind: str):
        super().__init__()
        self.attn = EncoderAttention(cfg, kind)
        self.attn_res = Residual(cfg)
        self.ffn = FeedForward(cfg)
        self.ffn_res = Residual(cfg)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor | None = None) -> torch.Tensor:
        x = self.attn_res(x, self.attn(x, key_mask))
        return self.ffn_res(x, self.ffn(x))


class DecoderLayer(nn.Module):
    """Causal linear self-attention, cross-attention, feed-forward; parallel and step forms."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.self_attn = CausalSelfAttention(cfg)
        self.self_res = Residual(cfg)
        self.cross_attn = CrossAttention(cfg)
        self.cross_res = Residual(cfg)
        self.ffn = FeedForward(cfg)
        self.ffn_res = Residual(cfg)

    def _rest(self, x: torch.Tensor, cross: CrossState) -> torch.Tensor:
        x = self.cross_res(x, self.cross_attn(x, cross))
        return self.ffn_res(x, self.ffn(x))

    def forward(self, x: torch.Tensor, cross: CrossState) -> torch.Tensor:
        """`x` `(B, T, d)`, all positions at once (training, scoring)."""
        return self._rest(self.self_res(x, self.self_attn(x)), cross)

    def step(
        self, x: torch.Tensor, cross: CrossState, state: LinearState | None
    ) -> tuple[torch.Tensor, LinearState]:
        """One position `(B, 1, d)` with the recurrent self-attention state."""
        attn, state = self.self_attn.step(x, state)
        return self._rest(self.self_res(x, attn), cross), state
