"""Domain pretraining: T5-style span-corruption denoising on a raw corpus.

    [CLS] a b c d e f g h i [SEP]                                    a block from the data module
    encoder reads  [CLS] a b <s0> e f g <s1> [SEP]                   ~15% of tokens masked in spans
    decoder writes <s0> c d <s1> h i [EOS]                           (teacher-forced after [BOS])

A share `density` of each block's content tokens is masked, in spans whose lengths average
`mean_span` (T5's `random_spans_noise_mask`: the masked and kept tokens are each split into the
same number of random non-empty runs, interleaved kept-first, so the share and the mean length are
exact up to rounding). Each masked span is replaced in the encoder input by one sentinel token; the
target lists every sentinel followed by the tokens it hides, then [EOS]. [CLS] and [SEP] are never
masked.

Sentinels are vocabulary entries no text ever produces: MiniLM's WordPiece vocabulary reserves 994
of them, `[unused0]`..`[unused993]` (ids 1-99 and 104-998); `training.bpe` puts `[unused0]`.. in
its BPE vocabularies too. Span i uses sentinel `i mod n_sentinels`: a long document has more spans
than there are sentinels, and the target names the spans in order, so a repeated sentinel still
marks exactly one place (`reassemble` undoes the corruption by order alone).

The encoder sees whole documents (or long pieces, see `training.data.FolderDataModule`), not only
512-token blocks, so its global linear attention and cross-block positions are trained on the
firm's own text; the decoder's cross-attention over the whole memory learns to find the spans.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import lightning.pytorch as pl
import torch
from torchmetrics.aggregation import MeanMetric

from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from training.bpe import config_overrides, sentinel_ids
from training.schedule import optimizer_config

# Label of a padding target position: ignored by the loss.
IGNORE = -100


@dataclass(frozen=True)
class NoiseSpec:
    """How much to corrupt: `density` of the content tokens, in spans of mean `mean_span`."""

    density: float = 0.15
    mean_span: float = 3.0

    def __post_init__(self) -> None:
        if not 0.0 < self.density < 1.0:
            raise ValueError("density must lie strictly between 0 and 1")
        if self.mean_span < 1.0:
            raise ValueError("mean_span must be at least 1")


@dataclass(frozen=True)
class Corruption:
    """One corrupted block: the encoder's `inputs` and the decoder's `targets` (ends in [EOS])."""

    inputs: tuple[int, ...]
    targets: tuple[int, ...]


@dataclass(frozen=True)
class DenoiseBatch:
    """A padded batch of corruptions.

    `ids`, `mask` `(B, N)`: encoder inputs and real-token mask; `decoder_in` `(B, T)`: [BOS] then
    the targets shifted right; `labels` `(B, T)`: the targets, `IGNORE` at padding.
    """

    ids: torch.Tensor
    mask: torch.Tensor
    decoder_in: torch.Tensor
    labels: torch.Tensor


def _random_partition(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` random positive integers (uniform over compositions)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


def noise_spans(length: int, spec: NoiseSpec, rng: random.Random) -> list[tuple[int, int]]:
    """Masked spans `[start, end)` over `length` content tokens, in order, never touching.

    round(length · density) tokens are masked (at least 1, and at least one token kept), in
    round(masked / mean_span) spans (at least 1, at most the kept tokens: kept runs separate them).
    A block of fewer than 2 tokens gets no span.
    """
    if length < 2:
        return []
    n_noise = min(max(round(length * spec.density), 1), length - 1)
    n_spans = min(max(round(n_noise / spec.mean_span), 1), length - n_noise)
    noise = _random_partition(n_noise, n_spans, rng)
    keep = _random_partition(length - n_noise, n_spans, rng)
    spans, pos = [], 0
    for kept, masked in zip(keep, noise, strict=True):
        pos += kept
        spans.append((pos, pos + masked))
        pos += masked
    return spans


def corrupt(
    tokens: Sequence[int],
    spans: Sequence[tuple[int, int]],
    sentinels: Sequence[int],
    eos_id: int,
) -> Corruption:
    """Replace each span of `tokens` by a sentinel; the targets list sentinel + span, then EOS.

    `tokens` are a block's content tokens (no [CLS] / [SEP]); span i uses `sentinels[i % n]`.
    """
    inputs: list[int] = []
    targets: list[int] = []
    pos = 0
    for i, (start, end) in enumerate(spans):
        sentinel = sentinels[i % len(sentinels)]
        inputs.extend(tokens[pos:start])
        inputs.append(sentinel)
        targets.append(sentinel)
        targets.extend(tokens[start:end])
        pos = end
    inputs.extend(tokens[pos:])
    targets.append(eos_id)
    return Corruption(tuple(inputs), tuple(targets))


def reassemble(
    inputs: Sequence[int], targets: Sequence[int], sentinels: Sequence[int], eos_id: int
) -> list[int]:
    """The original tokens from a corruption (by span order): the inverse of `corrupt`.

    Used by the tests, and a readable definition of what the decoder is asked to produce.
    """
    marks = set(sentinels)
    body = list(targets[:-1]) if targets and targets[-1] == eos_id else list(targets)
    spans: list[list[int]] = []
    for t in body:
        if t in marks:
            spans.append([])
        elif spans:
            spans[-1].append(t)
        else:
            raise ValueError("targets must start with a sentinel")
    out: list[int] = []
    n = 0
    for t in inputs:
        if t in marks:
            out.extend(spans[n])
            n += 1
        else:
            out.append(t)
    if n != len(spans):
        raise ValueError(f"{n} sentinels in the inputs, {len(spans)} spans in the targets")
    return out


def corrupt_batch(
    ids: torch.Tensor,
    mask: torch.Tensor,
    spec: NoiseSpec,
    sentinels: Sequence[int],
    bos_id: int,
    eos_id: int,
    pad_id: int,
    rng: random.Random,
) -> DenoiseBatch:
    """Corrupt blocks `[CLS] tokens [SEP]` (`ids`, `mask` `(B, N)`) into a `DenoiseBatch`.

    The first and last real token of each row ([CLS], [SEP]) are kept as they are.
    """
    rows = []
    for row, real in zip(ids.tolist(), mask.sum(dim=1).tolist(), strict=True):
        block = row[:real]
        content = block[1:-1]
        c = corrupt(content, noise_spans(len(content), spec, rng), sentinels, eos_id)
        rows.append((block[:1] + list(c.inputs) + block[-1:], c.targets))
    n = max(len(r[0]) for r in rows)
    t = max(len(r[1]) for r in rows)
    enc = torch.full((len(rows), n), pad_id, dtype=torch.long)
    enc_mask = torch.zeros(len(rows), n, dtype=torch.bool)
    dec_in = torch.full((len(rows), t), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), t), IGNORE, dtype=torch.long)
    for i, (inputs, targets) in enumerate(rows):
        enc[i, : len(inputs)] = torch.tensor(inputs)
        enc_mask[i, : len(inputs)] = True
        dec_in[i, : len(targets)] = torch.tensor([bos_id, *targets[:-1]])
        labels[i, : len(targets)] = torch.tensor(targets)
    device = ids.device
    return DenoiseBatch(enc.to(device), enc_mask.to(device), dec_in.to(device), labels.to(device))


def denoise_loss(
    logprobs: torch.Tensor, labels: torch.Tensor, label_smoothing: float = 0.0
) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean loss, token accuracy) over real target positions.

    `logprobs` `(B, T, V)`, `labels` `(B, T)` with `IGNORE` at padding. With label smoothing ε
    the loss is (1 - ε) · NLL + ε · mean over the vocabulary of -log p (uniform smoothing).
    """
    real = labels != IGNORE  # (B, T)
    lp = logprobs[real].float()  # (M, V)
    target = labels[real]  # (M,)
    nll = -lp.gather(1, target[:, None]).squeeze(1)  # (M,)
    loss = nll.mean()
    if label_smoothing > 0:
        loss = (1 - label_smoothing) * loss + label_smoothing * (-lp.mean(dim=1)).mean()
    accuracy = (lp.argmax(dim=1) == target).float().mean()
    return loss, accuracy


def _checkpoint_base(directory: str | Path) -> bool:
    """Whether an `lm` checkpoint is stored as a delta against MiniLM."""
    meta = json.loads((Path(directory) / "config.json").read_text(encoding="utf-8"))
    return bool(meta.get("base"))


class SpanCorruption(pl.LightningModule):
    """Span-corruption denoising of a LongBriefModel (see the module docstring).

    Batches are `(ids, mask)` `(B, N)` of blocks `[CLS] tokens [SEP]` of any length (e.g. from
    `training.data.FolderDataModule`); the corruption is drawn per step from torch's generator
    (so `seed_everything` fixes it), and for validation from `val_seed` and the batch index, so
    a validation loss before and after training is measured on the same corruptions.

    Args:
        preset: `lm.config` preset of the model (ignored with `init_checkpoint`).
        overrides: `ModelConfig` fields overriding the preset.
        warm_start: load MiniLM's weights into the preset (needs a MiniLM-shaped preset).
        init_checkpoint: an `lm` checkpoint directory to start from instead (e.g.
            `checkpoints/hybrid-transfer`, the linearized encoder); its config is used as it is.
        tokenizer: the tokenizer.json of the data (None = MiniLM's WordPiece). Its sentinels
            [unused0].. are looked up; for a model from scratch (no warm start or checkpoint)
            its vocab size and special ids become the config's, unless `overrides` says otherwise.
        noise_density: share of content tokens masked.
        mean_span: mean length of a masked span.
        n_sentinels: distinct sentinel tokens (span i uses sentinel i mod n_sentinels).
        label_smoothing: ε of uniform label smoothing on the training loss (0 = none).
        lr: AdamW learning rate.
        weight_decay: AdamW weight decay.
        schedule: "cosine" (to `min_lr_ratio`·lr over the run) or "constant", after warm-up.
        warmup_steps: linear warm-up steps.
        min_lr_ratio: final learning rate of the cosine schedule, as a fraction of `lr`.
        val_seed: seed of the validation corruptions.
    """

    OBJECTIVE = "denoising"

    def __init__(
        self,
        preset: str = "minilm",
        overrides: dict[str, Any] | None = None,
        warm_start: bool = True,
        init_checkpoint: str | None = None,
        tokenizer: str | None = None,
        noise_density: float = 0.15,
        mean_span: float = 3.0,
        n_sentinels: int = 100,
        label_smoothing: float = 0.0,
        lr: float = 1e-4,
        weight_decay: float = 0.01,
        schedule: Literal["cosine", "constant"] = "cosine",
        warmup_steps: int = 0,
        min_lr_ratio: float = 0.1,
        val_seed: int = 0,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.noise = NoiseSpec(noise_density, mean_span)
        tok = Tokenizer.minilm() if tokenizer is None else Tokenizer.from_file(tokenizer)
        self.sentinels = sentinel_ids(tok, n_sentinels)
        self.prior: tuple[str, ...] = ()
        self.warm_started = False
        if init_checkpoint is not None:
            from lm.checkpoint import checkpoint_info, load_checkpoint

            self.model = load_checkpoint(init_checkpoint)
            self.prior = tuple(checkpoint_info(init_checkpoint).trained)
            self.warm_started = _checkpoint_base(init_checkpoint)
        else:
            fields = {} if warm_start or tokenizer is None else config_overrides(tok)
            self.model = LongBriefModel(
                ModelConfig.from_name(preset, **{**fields, **(overrides or {})})
            )
            if warm_start:
                from lm.warmstart import warm_start as load_minilm

                load_minilm(self.model)
                self.warm_started = True
        # `load_checkpoint` returns eval mode, and Lightning keeps the mode a module is built in:
        # without this, dropout would stay off while training.
        self.model.train()
        self._check_vocabulary(tok)
        self.tokenizer_file = tokenizer
        self.val_loss = MeanMetric()
        self.val_acc = MeanMetric()

    @property
    def cfg(self) -> ModelConfig:
        return self.model.cfg

    def _check_vocabulary(self, tok: Tokenizer) -> None:
        """The model must have an embedding for every id and agree on the special ids."""
        cfg = self.cfg
        if tok.vocab_size > cfg.vocab_size:
            raise ValueError(
                f"the tokenizer has {tok.vocab_size} ids, the model only {cfg.vocab_size}"
            )
        wanted = {"pad_id": tok.pad_id, "bos_id": tok.cls_id, "eos_id": tok.sep_id}
        wrong = {k: v for k, v in wanted.items() if getattr(cfg, k) != v}
        if wrong:
            raise ValueError(f"model config disagrees with the tokenizer: set overrides {wrong}")

    def setup(self, stage: str) -> None:
        """Refuse a data module whose tokenizer is not this module's (ids would mean nothing)."""
        dm = getattr(self.trainer, "datamodule", None) if self._trainer is not None else None
        theirs = getattr(dm, "tokenizer", None) if dm is not None else None
        mine = self.tokenizer_file
        same = (theirs is None and mine is None) or (
            theirs is not None
            and mine is not None
            and Path(theirs).resolve() == Path(mine).resolve()
        )
        if dm is not None and hasattr(dm, "tokenizer") and not same:
            raise ValueError(
                f"the data is tokenized with {theirs or 'MiniLM'} but the model expects "
                f"{mine or 'MiniLM'}: give both --data.init_args.tokenizer and "
                "--model.init_args.tokenizer the same file"
            )

    def export_record(self) -> tuple[bool, tuple[str, ...]]:
        """(stored as a delta against MiniLM, objectives the weights went through) for export."""
        trained = self.prior if self.OBJECTIVE in self.prior else (*self.prior, self.OBJECTIVE)
        return self.warm_started, trained

    def corrupted(self, ids: torch.Tensor, mask: torch.Tensor, rng: random.Random) -> DenoiseBatch:
        """Corrupt a batch of blocks with this module's noise, sentinels and special ids."""
        cfg = self.cfg
        return corrupt_batch(
            ids, mask, self.noise, self.sentinels, cfg.bos_id, cfg.eos_id, cfg.pad_id, rng
        )

    def step_loss(
        self, batch: DenoiseBatch, label_smoothing: float = 0.0
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(loss, accuracy) of the decoder reconstructing the spans, teacher-forced."""
        logprobs = self.model(batch.ids, batch.mask, batch.decoder_in)  # (B, T, V)
        return denoise_loss(logprobs, batch.labels, label_smoothing)

    def training_step(
        self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int
    ) -> torch.Tensor:
        ids, mask = batch
        rng = random.Random(int(torch.randint(0, 2**62, ())))
        noisy = self.corrupted(ids, mask, rng)
        loss, acc = self.step_loss(noisy, self.hparams.label_smoothing)
        n = ids.shape[0]
        self.log_dict({"train/loss": loss.detach(), "train/acc": acc.detach()}, batch_size=n)
        self.log("loss", loss.detach(), prog_bar=True, logger=False, batch_size=n)
        return loss

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> None:
        ids, mask = batch
        noisy = self.corrupted(
            ids, mask, random.Random(self.hparams.val_seed * 1_000_003 + batch_idx)
        )
        loss, acc = self.step_loss(noisy)
        # Weighted by target tokens: a mean over the validation tokens, whatever the batching.
        tokens = int((noisy.labels != IGNORE).sum())
        self.val_loss.update(loss.detach(), tokens)
        self.val_acc.update(acc.detach(), tokens)
        self.log("val/loss", self.val_loss, prog_bar=True)
        self.log("val/acc", self.val_acc)

    def configure_optimizers(self) -> dict[str, Any]:
        hp = self.hparams
        decay, no_decay = [], []
        for p in self.parameters():
            if p.requires_grad:
                # Norms and biases are not decayed (the usual AdamW recipe for transformers).
                (no_decay if p.ndim < 2 else decay).append(p)
        optimizer = torch.optim.AdamW(
            [
                {"params": decay, "weight_decay": hp.weight_decay},
                {"params": no_decay, "weight_decay": 0.0},
            ],
            lr=hp.lr,
        )
        total = int(self.trainer.estimated_stepping_batches)
        return optimizer_config(optimizer, hp.warmup_steps, total, hp.schedule, hp.min_lr_ratio)


__all__ = [
    "IGNORE",
    "Corruption",
    "DenoiseBatch",
    "NoiseSpec",
    "SpanCorruption",
    "corrupt",
    "corrupt_batch",
    "denoise_loss",
    "noise_spans",
    "reassemble",
]
