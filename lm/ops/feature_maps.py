"""Feature maps φ for linear attention: softmax(q·k) is approximated by φ(q)·φ(k).

All maps act on per-head tensors `(B, H, T, D)` and return `(B, H, T, F)` with non-negative
entries, so that the normalizer φ(q)·Σφ(k) is positive.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class EluFeatureMap(nn.Module):
    """φ(x) = elu(x) + 1 (Katharopoulos et al. 2020). F = D. No parameters."""

    def __init__(self, head_dim: int):
        super().__init__()
        self.out_dim = head_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.elu(x) + 1.0


class ReluFeatureMap(nn.Module):
    """φ(x) = relu(x). F = D. Rows may be all zero: the normalizer's eps covers that."""

    def __init__(self, head_dim: int):
        super().__init__()
        self.out_dim = head_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x)


def orthogonal_gaussian(n_features: int, dim: int, generator: torch.Generator) -> torch.Tensor:
    """Rows of stacked random orthogonal blocks, each row rescaled to a chi-distributed norm.

    This is FAVOR+'s ω: orthogonality lowers the variance of the softmax-kernel estimate.
    """
    blocks = []
    for _ in range(math.ceil(n_features / dim)):
        gauss = torch.randn(dim, dim, generator=generator)
        q, _ = torch.linalg.qr(gauss)
        blocks.append(q.T)
    omega = torch.cat(blocks, dim=0)[:n_features]
    norms = torch.randn(n_features, dim, generator=generator).norm(dim=1, keepdim=True)
    return omega * norms  # (F, D)


class FavorFeatureMap(nn.Module):
    """FAVOR+ positive orthogonal random features (Choromanski et al. 2021).

    φ(x) = exp(ωx' - |x'|²/2) / √m with x' = x / D^¼, so that E[φ(q)·φ(k)] = exp(q·k/√D).
    ω is a seeded buffer; it changes only when `redraw()` is called.
    """

    def __init__(self, head_dim: int, n_features: int, seed: int = 0):
        super().__init__()
        self.head_dim = head_dim
        self.out_dim = n_features
        self.register_buffer("omega", torch.empty(n_features, head_dim), persistent=True)
        self.redraw(seed)

    @torch.no_grad()
    def redraw(self, seed: int) -> None:
        """Draw a new ω from `seed` (deterministic: the same seed gives the same features)."""
        gen = torch.Generator().manual_seed(seed)
        omega = orthogonal_gaussian(self.out_dim, self.head_dim, gen)
        self.omega.copy_(omega.to(self.omega.device, self.omega.dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x * self.head_dim**-0.25
        proj = x @ self.omega.T.to(x.dtype)  # (B, H, T, F)
        sq = 0.5 * (x * x).sum(dim=-1, keepdim=True)
        return torch.exp(proj - sq) * self.out_dim**-0.5


class HedgehogFeatureMap(nn.Module):
    """Learnable Hedgehog map (Zhang et al. 2024): φ(x) = [softmax(xW_h), softmax(-xW_h)].

    A per-head projection D -> `feature_dim`, so F = 2·feature_dim. Initialized near identity so
    that training by attention transfer starts from a sensible kernel.
    """

    def __init__(self, n_heads: int, head_dim: int, feature_dim: int):
        super().__init__()
        self.out_dim = 2 * feature_dim
        weight = torch.zeros(n_heads, head_dim, feature_dim)
        eye = torch.eye(head_dim, feature_dim)
        weight += eye
        self.weight = nn.Parameter(weight)  # (H, D, F/2)
        self.bias = nn.Parameter(torch.zeros(n_heads, 1, feature_dim))  # (H, 1, F/2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # One matmul gives both halves and the bias: x is padded with a constant-1 column and
        # projected onto [[W, -W], [b, -b]]; one softmax over a (2, F/2) view normalizes each half.
        # No separate bias, negation or concatenation pass over the (T, F) activations.
        weight = torch.cat([self.weight, self.bias], dim=1).to(x.dtype)  # (H, D+1, F/2)
        weight = torch.cat([weight, -weight], dim=-1)  # (H, D+1, F)
        proj = torch.matmul(F.pad(x, (0, 1), value=1.0), weight)  # (B, H, T, F)
        return proj.unflatten(-1, (2, -1)).softmax(dim=-1).flatten(-2)


class FeatureMaps(nn.Module):
    """The query and key maps of one attention layer.

    Fixed maps (elu, relu, favor) are shared by queries and keys; FAVOR+ *must* use one ω for
    both. Hedgehog learns a separate map for each.
    """

    def __init__(self, kind: str, n_heads: int, head_dim: int, feature_dim: int, seed: int = 0):
        super().__init__()
        self.kind = kind
        if kind == "hedgehog":
            self.q_map: nn.Module = HedgehogFeatureMap(n_heads, head_dim, feature_dim)
            self.k_map: nn.Module | None = HedgehogFeatureMap(n_heads, head_dim, feature_dim)
        elif kind == "favor":
            self.q_map = FavorFeatureMap(head_dim, feature_dim, seed)
            self.k_map = None
        elif kind == "elu":
            self.q_map = EluFeatureMap(head_dim)
            self.k_map = None
        elif kind == "relu":
            self.q_map = ReluFeatureMap(head_dim)
            self.k_map = None
        else:
            raise ValueError(f"unknown feature map {kind!r}")
        self.out_dim = self.q_map.out_dim

    def query(self, q: torch.Tensor) -> torch.Tensor:
        """φ_q(q): (B, H, T, D) -> (B, H, T, F)."""
        return self.q_map(q)

    def key(self, k: torch.Tensor) -> torch.Tensor:
        """φ_k(k): (B, H, T, D) -> (B, H, T, F)."""
        return (self.k_map or self.q_map)(k)
