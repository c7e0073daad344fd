"""Attention transfer: train the linear layers' feature maps to reproduce softmax attention.

The teacher is the student's own network with exact softmax attention over each block (the
projections, feed-forwards and norms are shared and frozen, so a warm-started teacher *is*
MiniLM). For every layer whose attention is linearized (encoder "hybrid"/"linear" layers and the
decoder's causal linear self-attention) the student's attention matrix W, implied by its feature
maps, is matched to the teacher's softmax matrix A on the teacher's hidden states:

    loss = KL(A ‖ W) + output_weight · MSE(W v, A v)

averaged over heads and real query rows (Hedgehog, Zhang et al. 2024; LoLCATs, Zhang et al.
2025), on a random sample of query rows per block (`query_rows`): the rows of an attention
matrix are independent, and the full `(T, T)` matrices of ten layers cost a CPU ~5x more. Only
feature maps and the hybrid layers' per-head scales are trained. Validation reports what the
linearization costs end to end: the cosine similarity of the student's encoder outputs (real
hybrid ops) to the teacher's, per token and mean-pooled per block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import lightning.pytorch as pl
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint
from torchmetrics.aggregation import MeanMetric

from lm.config import ModelConfig
from lm.layers.attention import Projections
from lm.model import LongBriefModel
from lm.ops import FeatureMaps
from lm.ops.linear_attention import EPS
from lm.ops.local_attention import key_masked_sdpa
from training.schedule import optimizer_config

# Floor inside log W: masked keys have W = 0 exactly, and A = 0 there too, so the term is 0·log ε.
LOG_FLOOR = 1e-12
# Checkpoint key listing the state-dict entries left out because they equal the MiniLM base.
OMITTED_KEY = "longbrief_omitted"


@dataclass(frozen=True)
class TeacherPass:
    """Hidden states of the exact-attention encoder.

    `inputs[i]` `(B, T, d)` is the input of encoder layer i (`inputs[0]` the embeddings);
    `output` `(B, T, d)` is the last layer's output.
    """

    inputs: tuple[torch.Tensor, ...]
    output: torch.Tensor


@dataclass(frozen=True)
class TransferTarget:
    """One linearized attention to train: where it sits and which teacher input it reads.

    `name` is a short label for logs (`enc2`, `dec0`); `input_layer` indexes `TeacherPass.inputs`.
    `kind` is "hybrid", "linear" (non-causal, encoder) or "causal" (decoder self-attention).
    """

    name: str
    kind: Literal["hybrid", "linear", "causal"]
    input_layer: int
    proj: Projections
    features: FeatureMaps
    log_scale: nn.Parameter | None
    window: int


@dataclass(frozen=True)
class LayerLoss:
    """Transfer loss terms of one layer, each a scalar averaged over heads and real rows."""

    kl: torch.Tensor
    mse: torch.Tensor


@torch.no_grad()
def teacher_encode(
    model: LongBriefModel, ids: torch.Tensor, mask: torch.Tensor | None = None
) -> TeacherPass:
    """Run the encoder with exact softmax attention over the whole input (one block).

    `ids`, `mask` `(B, T)`. Each layer uses its own projections, feed-forward and residual norms,
    so the result is the pretrained network whatever attention kind the layer is configured with.
    """
    x = model.embeddings(ids)  # (B, T, d)
    inputs = []
    for layer in model.encoder:
        inputs.append(x)
        q, k, v = layer.attn.proj.qkv(x)  # (B, H, T, D)
        out = (
            torch.nn.functional.scaled_dot_product_attention(q, k, v)
            if mask is None
            else key_masked_sdpa(q, k, v, mask)
        )
        x = layer.attn_res(x, layer.attn.proj.merge(out))
        x = layer.ffn_res(x, layer.ffn(x))
    return TeacherPass(tuple(inputs), x)


def sample_rows(mask: torch.Tensor, n_rows: int | None) -> torch.Tensor:
    """Query positions `(B, R)` to compute the loss on: R random real positions of each block.

    The loss is a mean over query rows and each row of an attention matrix depends only on its
    own query, so a random subset of rows is an unbiased estimate that costs R/T of the full
    `(T, T)` matrices (memory-bound elementwise work that dominates a step on a CPU). Blocks with
    fewer than R real tokens fill up with padding positions, which the row mask then drops.
    `n_rows` None (or >= T) takes every position in order.
    """
    b, t = mask.shape
    if n_rows is None or n_rows >= t:
        return torch.arange(t, device=mask.device).expand(b, t)
    # Real positions get keys in [0, 1), padding 2: the first R of a sort are random real ones.
    keys = torch.rand(b, t, device=mask.device).masked_fill(~mask, 2.0)
    return keys.argsort(dim=-1)[:, :n_rows]


def select_rows(x: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
    """`(B, H, T, X)` at query positions `rows` `(B, R)` -> `(B, H, R, X)`."""
    index = rows[:, None, :, None].expand(-1, x.shape[1], -1, x.shape[-1])
    return torch.gather(x, 2, index)


def _allowed(
    rows: torch.Tensor,
    key_mask: torch.Tensor | None,
    t: int,
    causal: bool = False,
    window: int | None = None,
) -> torch.Tensor:
    """Which keys each query row may see: `(B, 1, R, T)` bool."""
    j = torch.arange(t, device=rows.device)
    offset = rows[:, :, None] - j  # (B, R, T): query position - key position
    allowed = torch.ones_like(offset, dtype=torch.bool)
    if key_mask is not None:
        allowed = allowed & key_mask[:, None, :]
    if causal:
        allowed = allowed & (offset >= 0)
    if window is not None:
        allowed = allowed & (offset.abs() <= window)
    return allowed[:, None]


def softmax_weights(
    q: torch.Tensor,
    rows: torch.Tensor,
    k: torch.Tensor,
    key_mask: torch.Tensor | None,
    causal: bool = False,
) -> torch.Tensor:
    """Rows of the exact attention matrix softmax(q kᵀ/√D) over real (if causal: past) keys.

    `q` `(B, H, R, D)` are the queries at positions `rows` `(B, R)`, `k` `(B, H, T, D)`;
    returns `(B, H, R, T)`.
    """
    scores = torch.matmul(q, k.transpose(-1, -2)) * q.shape[-1] ** -0.5  # (B, H, R, T)
    scores = scores.masked_fill(~_allowed(rows, key_mask, k.shape[2], causal), float("-inf"))
    # A padding query under a causal mask can see no real key: zeros, not NaN (it is excluded).
    return torch.nan_to_num(scores.softmax(dim=-1))


def window_linear_rows(
    q: torch.Tensor,
    rows: torch.Tensor,
    k: torch.Tensor,
    fq: torch.Tensor,
    fk: torch.Tensor,
    log_scale: torch.Tensor,
    window: int,
    key_mask: torch.Tensor | None,
) -> torch.Tensor:
    """Rows `(B, H, R, T)` of `lm.ops.naive.window_linear_weights`, for queries at `rows`.

    `q` `(B, H, R, D)` and `fq` `(B, H, R, F)` are the selected queries, `k`, `fk` all keys.
    Stabilized exactly like the fast op: w ∝ band·e^{s-m} + c·e^{-m}·φ(q)·φ(k), m = max(0, s).
    """
    t = k.shape[2]
    real = _allowed(rows, key_mask, t)  # (B, 1, R, T)
    band = _allowed(rows, key_mask, t, window=window)
    scores = torch.matmul(q, k.transpose(-1, -2)) * q.shape[-1] ** -0.5
    scores = scores.masked_fill(~band, float("-inf"))
    m = scores.amax(dim=-1, keepdim=True).clamp_min(0.0)  # (B, H, R, 1)
    lin = torch.matmul(fq, fk.transpose(-1, -2)) * real  # (B, H, R, T)
    c = log_scale.exp()[None, :, None, None]
    a = torch.exp(scores - m) + c * torch.exp(-m) * lin
    return a / (a.sum(dim=-1, keepdim=True) + EPS)


def linear_rows(
    fq: torch.Tensor,
    rows: torch.Tensor,
    fk: torch.Tensor,
    key_mask: torch.Tensor | None,
    causal: bool = False,
) -> torch.Tensor:
    """Rows `(B, H, R, T)` of `lm.ops.naive.linear_attention_weights` for queries at `rows`."""
    a = torch.matmul(fq, fk.transpose(-1, -2)) * _allowed(rows, key_mask, fk.shape[2], causal)
    return a / (a.sum(dim=-1, keepdim=True) + EPS)


def student_weights(
    target: TransferTarget,
    q: torch.Tensor,
    rows: torch.Tensor,
    k: torch.Tensor,
    key_mask: torch.Tensor | None,
) -> torch.Tensor:
    """Rows `(B, H, R, T)` of the attention matrix that the target's linearized op implies."""
    fq, fk = target.features.query(q), target.features.key(k)  # (B, H, R|T, F)
    if target.kind == "hybrid":
        assert target.log_scale is not None
        return window_linear_rows(q, rows, k, fq, fk, target.log_scale, target.window, key_mask)
    return linear_rows(fq, rows, fk, key_mask, causal=target.kind == "causal")


def transfer_loss(
    teacher: torch.Tensor, student: torch.Tensor, v: torch.Tensor, row_mask: torch.Tensor
) -> LayerLoss:
    """KL(A ‖ W) per row and MSE(W v, A v), averaged over heads and real query rows.

    `teacher`, `student` `(B, H, R, T)`, `v` `(B, H, T, D)`, `row_mask` `(B, R)` True = a real
    query. KL = cross-entropy −Σ A log W minus the teacher's entropy; the entropy does not depend
    on the student, so the gradient is the cross-entropy's, and a perfect match reads 0.
    """
    weight = row_mask[:, None, :].to(teacher.dtype)  # (B, 1, R)
    denom = weight.sum() * teacher.shape[1]
    cross = -(teacher * torch.log(student + LOG_FLOOR)).sum(dim=-1)  # (B, H, R)
    with torch.no_grad():
        entropy = -torch.xlogy(teacher, teacher).sum(dim=-1)
        target_out = torch.matmul(teacher, v)  # (B, H, R, D)
    kl = ((cross - entropy) * weight).sum() / denom
    err = (torch.matmul(student, v) - target_out).pow(2).mean(dim=-1)  # (B, H, R)
    mse = (err * weight).sum() / denom
    return LayerLoss(kl, mse)


def student_loss(
    target: TransferTarget,
    q: torch.Tensor,
    rows: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    teacher: torch.Tensor,
    key_mask: torch.Tensor,
    row_mask: torch.Tensor,
) -> LayerLoss:
    """`student_weights` then `transfer_loss` against the teacher's rows `(B, H, R, T)`.

    One function so that gradient checkpointing can recompute a layer's student matrices in
    backward instead of keeping them (they are what a transfer step stores).
    """
    w = student_weights(target, q, rows, k, key_mask)
    return transfer_loss(teacher, w, v, row_mask)


def transfer_targets(model: LongBriefModel, decoder: bool = True) -> list[TransferTarget]:
    """Every linearized attention of `model` that has a softmax teacher.

    Decoder layer i starts from MiniLM layer i, so it learns from encoder layer i's input states;
    decoder layers beyond the encoder's depth have no teacher and are skipped.
    """
    targets = []
    for i, layer in enumerate(model.encoder):
        attn = layer.attn
        if attn.kind in ("hybrid", "linear"):
            log_scale = attn.log_scale if attn.kind == "hybrid" else None
            targets.append(
                TransferTarget(
                    f"enc{i}", attn.kind, i, attn.proj, attn.features, log_scale, attn.window
                )
            )
    if decoder:
        for i, layer in enumerate(model.decoder[: len(model.encoder)]):
            sa = layer.self_attn
            targets.append(TransferTarget(f"dec{i}", "causal", i, sa.proj, sa.features, None, 0))
    return targets


def trainable_parameters(targets: list[TransferTarget]) -> Iterator[nn.Parameter]:
    """Feature-map parameters and per-head scales of `targets` (nothing else is trained)."""
    for target in targets:
        yield from target.features.parameters()
        if target.log_scale is not None:
            yield target.log_scale


def token_cosines(
    student: torch.Tensor, teacher: torch.Tensor, mask: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Cosine similarity of each real token `(N,)` and of each block's mean-pooled vector `(B,)`.

    `student`, `teacher` `(B, T, d)`, `mask` `(B, T)`. Mean pooling over real tokens is how
    sentence-transformers embeds with all-MiniLM-L6-v2.
    """
    student, teacher = student.float(), teacher.float()
    per_token = torch.cosine_similarity(student, teacher, dim=-1)[mask]  # (N,)
    w = mask[..., None].to(student.dtype)
    pooled_s = (student * w).sum(dim=1) / w.sum(dim=1)  # (B, d)
    pooled_t = (teacher * w).sum(dim=1) / w.sum(dim=1)
    return per_token, torch.cosine_similarity(pooled_s, pooled_t, dim=-1)


class AttentionTransfer(pl.LightningModule):
    """Linearize a (MiniLM warm-started) LongBriefModel by attention transfer.

    Batches are `(ids, mask)` `(B, T)` blocks with T <= the preset's `block_size`. Per step the
    exact-attention teacher pass gives each layer's input states; every target layer's loss is
    `KL + output_weight · MSE` (see the module docstring), summed over layers.

    Args:
        preset: `lm.config` preset name of the student.
        overrides: `ModelConfig` fields overriding the preset (e.g. `window`, `feature_dim`).
        warm_start: load MiniLM's weights (needs a MiniLM-shaped preset); off for `tiny` tests,
            where the teacher is exact attention with the same random weights.
        decoder: also train the decoder's causal linear self-attention.
        output_weight: weight of the output-matching MSE term.
        query_rows: query rows per block that carry the loss (random real positions; None =
            all). The loss is a mean over rows, so a subset estimates it at a fraction of the
            cost of full `(T, T)` matrices.
        lr: AdamW learning rate for the feature maps and scales.
        weight_decay: AdamW weight decay (0: decay pulls the maps toward zero, away from
            their near-identity start).
        schedule: "cosine" (to `min_lr_ratio`·lr over the run) or "constant", after warm-up.
        warmup_steps: linear warm-up steps.
        min_lr_ratio: final learning rate of the cosine schedule, as a fraction of `lr`.
    """

    OBJECTIVE = "transfer"

    def __init__(
        self,
        preset: str = "minilm",
        overrides: dict[str, Any] | None = None,
        warm_start: bool = True,
        decoder: bool = True,
        output_weight: float = 1.0,
        query_rows: int | None = 64,
        lr: float = 5e-2,
        weight_decay: float = 0.0,
        schedule: Literal["cosine", "constant"] = "cosine",
        warmup_steps: int = 0,
        min_lr_ratio: float = 0.1,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        cfg = ModelConfig.from_name(preset, **(overrides or {}))
        self.model = LongBriefModel(cfg)
        # Names of the tensors copied from MiniLM: frozen, so checkpoints can leave them out.
        self._base_names: frozenset[str] = frozenset()
        if warm_start:
            from lm.warmstart import warm_start as load_minilm

            self._base_names = frozenset(load_minilm(self.model))
        # Frozen and deterministic from the start: Lightning keeps the mode a module is built in.
        self.model.requires_grad_(False).eval()
        self.targets = transfer_targets(self.model, decoder)
        params = list(trainable_parameters(self.targets))
        if not params:
            raise ValueError(
                f"preset {preset!r} has no trainable linearized attention "
                f"(feature map {cfg.feature_map!r}, encoder {cfg.encoder_layers})"
            )
        for p in params:
            p.requires_grad_(True)
        self.val_cos_token = MeanMetric()
        self.val_cos_pooled = MeanMetric()

    @property
    def cfg(self) -> ModelConfig:
        return self.model.cfg

    def train(self, mode: bool = True) -> AttentionTransfer:
        """Switch modes, but keep the network in eval mode.

        The teacher and the student's frozen parts must be a fixed function (no dropout); the
        trained feature maps have no mode-dependent behaviour.
        """
        super().train(mode)
        self.model.eval()
        return self

    def layer_losses(
        self, ids: torch.Tensor, mask: torch.Tensor, n_rows: int | None = None
    ) -> dict[str, LayerLoss]:
        """Teacher pass, then each target's transfer loss on the teacher's input states.

        `n_rows` query rows per block (random real positions) carry the loss; None = all.
        """
        if ids.shape[1] > self.cfg.block_size:
            raise ValueError(
                f"blocks of {ids.shape[1]} tokens exceed the block_size {self.cfg.block_size}"
            )
        teacher = teacher_encode(self.model, ids, mask)
        # The model's own switch (see LongBriefModel.set_gradient_checkpointing): here the stored
        # activations are each layer's (B, H, R, T) student matrices, recomputed in backward.
        checkpointing = self.cfg.gradient_checkpointing and torch.is_grad_enabled()
        rows = sample_rows(mask, n_rows)  # (B, R)
        row_mask = mask.gather(1, rows)
        losses = {}
        # Attention matrices in float32 even under bf16 autocast: the loss takes logs of weights.
        with torch.autocast(device_type=ids.device.type, enabled=False):
            for target in self.targets:
                x = teacher.inputs[target.input_layer].float()
                with torch.no_grad():
                    q, k, v = target.proj.qkv(x)  # (B, H, T, D), frozen
                    q = select_rows(q, rows)  # (B, H, R, D)
                    a = softmax_weights(q, rows, k, mask, causal=target.kind == "causal")
                args = (target, q, rows, k, v, a, mask, row_mask)
                losses[target.name] = (
                    checkpoint(student_loss, *args, use_reentrant=False)
                    if checkpointing
                    else student_loss(*args)
                )
        return losses

    def total_loss(self, losses: dict[str, LayerLoss]) -> torch.Tensor:
        """Σ over layers of KL + output_weight · MSE."""
        w = self.hparams.output_weight
        return torch.stack([loss.kl + w * loss.mse for loss in losses.values()]).sum()

    def training_step(
        self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int
    ) -> torch.Tensor:
        ids, mask = batch
        losses = self.layer_losses(ids, mask, self.hparams.query_rows)
        total = self.total_loss(losses)
        logs = {"train/loss": total.detach()}
        for name, loss in losses.items():
            logs[f"train/kl_{name}"] = loss.kl.detach()
            logs[f"train/mse_{name}"] = loss.mse.detach()
        self.log_dict(logs, prog_bar=False, batch_size=ids.shape[0])
        self.log("loss", total.detach(), prog_bar=True, logger=False, batch_size=ids.shape[0])
        return total

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> None:
        ids, mask = batch
        # Measured in float32 whatever the training precision: the figures compare with
        # MEASURED.md's, and bf16 rounding would lower both sides' agreement on its own.
        with torch.autocast(device_type=ids.device.type, enabled=False):
            teacher = teacher_encode(self.model, ids, mask)
            student = self.model.encode(ids, mask)  # the real hybrid ops, (B, T, d)
        per_token, pooled = token_cosines(student, teacher.output, mask)
        self.val_cos_token.update(per_token)
        self.val_cos_pooled.update(pooled)
        self.log("val/cos_token", self.val_cos_token, prog_bar=True)
        self.log("val/cos_pooled", self.val_cos_pooled, prog_bar=True)

    def configure_optimizers(self) -> dict[str, Any]:
        hp = self.hparams
        params = [p for p in self.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=hp.lr, weight_decay=hp.weight_decay)
        total = int(self.trainer.estimated_stepping_batches)
        return optimizer_config(optimizer, hp.warmup_steps, total, hp.schedule, hp.min_lr_ratio)

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """Leave out the frozen tensors taken from MiniLM: the warm start rebuilds them exactly.

        This keeps a Lightning checkpoint at a few MB instead of ~150 MB.
        """
        state = checkpoint["state_dict"]
        frozen = {name for name, p in self.named_parameters() if not p.requires_grad}
        base = {f"model.{name}" for name in self._base_names}
        omitted = sorted(k for k in state if k in base and k in frozen)
        for k in omitted:
            del state[k]
        checkpoint[OMITTED_KEY] = omitted

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """Put back the tensors `on_save_checkpoint` left out, from this module's warm start."""
        omitted = checkpoint.get(OMITTED_KEY, [])
        if omitted and not self.hparams.warm_start:
            raise ValueError("checkpoint omits MiniLM tensors but this module is not warm-started")
        own = self.state_dict()
        for k in omitted:
            checkpoint["state_dict"][k] = own[k]


__all__ = [
    "AttentionTransfer",
    "LayerLoss",
    "TeacherPass",
    "TransferTarget",
    "softmax_weights",
    "student_loss",
    "student_weights",
    "teacher_encode",
    "token_cosines",
    "transfer_loss",
    "transfer_targets",
]
