"""Objective 3: the decoder, its cross-attention and the copy head on (document, summary) pairs.

    record ──as_document, segment──▶ Segmented ──Engine.encode (frozen; cached)──▶ EncodedBundle
        ──support: oracle sentences (or the extractive head's picks)──┐
        ──pipeline.decoder_inputs.source_inputs / decoder_inputs◀─────┘──▶ DecoderInputs
        ──LongBriefModel.decode(BOS + summary)──▶ label-smoothed NLL of summary + EOS

Inputs are built by the pipeline's own functions (`pipeline.decoder_inputs`), as its `hybrid`
mode builds them (extract-then-abstract: the memory of the whole document plus the supporting
sentences as passages for exact cross-attention and copying) or, for a share of batches, as its
`abstractive` mode does (memory only).

Passages in training are the greedy ROUGE oracle's sentences (`training.oracle`) by default, not
the extractive head's picks: with the oracle, the reference's facts are in the passages, so the
cheapest way to lower the loss is to copy them, which is the behaviour wanted (MEASURED.md: a
decoder whose inputs lacked the facts learned one template). At inference the head's picks
hold fewer of the reference's facts, but the decoder still writes from what it is given.
`passage_source: head` trains on the pipeline's exact picks instead.

With `freeze_encoder` (the default) the encoder and embeddings stay fixed and in eval mode, so a
document's memory is a pure function of the encoder weights and the text: it is computed once
and cached as safetensors under `cache_dir/<encoder fingerprint>/<document sha256>`; every later
epoch reads it. That is what makes CPU training practical.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import lightning.pytorch as pl
import torch
from safetensors.torch import load_file, save_file
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader, Sampler

from lm.checkpoint import checkpoint_info, load_checkpoint
from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from lm.weights import sha256_file
from pipeline.decoder_inputs import SourceInputs, decoder_inputs, source_inputs
from pipeline.engine import EncodedBundle, EncodedDocument, Engine, EngineConfig
from pipeline.extractive import select, sentence_scores, words
from pipeline.segment import Segmented, segment
from training.extractive import SummaryRecord, as_document, read_records
from training.oracle import greedy_oracle
from training.splits import DEFAULT_VAL_PERMILLE, is_validation

CACHE_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
# Checkpoint key listing the frozen state-dict entries left out (rebuilt from `checkpoint`).
OMITTED_KEY = "longbrief_omitted"
# Checkpoint key holding the sha256 of the start checkpoint's weights those entries come from.
START_KEY = "longbrief_start_sha256"


@dataclass(frozen=True)
class Example:
    """One training pair as the decoder sees it: its source and the target ids (no BOS/EOS)."""

    source: SourceInputs
    target: tuple[int, ...]


def label_smoothed_nll(
    logprobs: torch.Tensor, target: torch.Tensor, mask: torch.Tensor, smoothing: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """(label-smoothed loss, plain NLL), both means over real target positions.

    `logprobs` `(B, T, V)`, `target` `(B, T)`, `mask` `(B, T)` True = real. The smoothed loss is
    (1 - ε)·NLL + ε·mean over the vocabulary of -log p (uniform smoothing, Szegedy et al.).
    """
    logprobs = logprobs.float()
    nll = -logprobs.gather(-1, target[..., None]).squeeze(-1)  # (B, T)
    uniform = -logprobs.mean(dim=-1)  # (B, T)
    weight = mask.to(logprobs.dtype)
    n = weight.sum().clamp_min(1.0)
    loss = (((1.0 - smoothing) * nll + smoothing * uniform) * weight).sum() / n
    return loss, (nll * weight).sum() / n


def teacher_forcing(
    targets: Sequence[Sequence[int]], bos: int, eos: int, pad: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Decoder inputs `[BOS] y`, outputs `y [EOS]` and the mask of real positions, `(B, T)`."""
    t = max(len(y) for y in targets) + 1
    inputs = torch.full((len(targets), t), pad, dtype=torch.long)
    outputs = torch.full((len(targets), t), pad, dtype=torch.long)
    mask = torch.zeros(len(targets), t, dtype=torch.bool)
    for i, y in enumerate(targets):
        inputs[i, : len(y) + 1] = torch.tensor([bos, *y], dtype=torch.long)
        outputs[i, : len(y) + 1] = torch.tensor([*y, eos], dtype=torch.long)
        mask[i, : len(y) + 1] = True
    return inputs, outputs, mask


def encoder_fingerprint(model: LongBriefModel, bf16: bool) -> str:
    """sha256 of what decides a document's memory: embedding and encoder weights, config, bf16."""
    digest = hashlib.sha256()
    digest.update(json.dumps(model.cfg.to_dict(), sort_keys=True).encode())
    digest.update(b"bf16" if bf16 else b"fp32")
    state = model.state_dict()
    for name in sorted(k for k in state if k.startswith(("embeddings.", "encoder."))):
        digest.update(name.encode())
        digest.update(state[name].detach().float().cpu().numpy().tobytes())
    return digest.hexdigest()


class EncoderCache:
    """Encoder outputs of single-document bundles on disk (safetensors, never pickle).

    A file `root/<fingerprint[:16]>/<document sha256[:32]>.safetensors` holds the bundle's `ids`
    `(N,)` and `memory` `(N, d)` in `dtype`. Writes go to a temporary name first.
    """

    def __init__(self, root: str | Path, fingerprint: str, dtype: torch.dtype):
        self.directory = Path(root) / fingerprint[:16]
        self.dtype = dtype

    def path(self, doc_sha256: str) -> Path:
        return self.directory / f"{doc_sha256[:32]}.safetensors"

    def load(self, doc_sha256: str) -> tuple[torch.Tensor, torch.Tensor] | None:
        """(ids, memory as float32) or None when the document is not cached."""
        path = self.path(doc_sha256)
        if not path.is_file():
            return None
        tensors = load_file(str(path))
        return tensors["ids"], tensors["memory"].float()

    def save(self, doc_sha256: str, ids: torch.Tensor, memory: torch.Tensor) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path(doc_sha256)
        tmp = path.with_suffix(".tmp")
        tensors = {"ids": ids.contiguous(), "memory": memory.to(self.dtype).contiguous()}
        save_file(tensors, str(tmp))
        tmp.replace(path)


def _identity(batch: list[SummaryRecord]) -> list[SummaryRecord]:
    return batch


class LengthBuckets(Sampler[list[int]]):
    """Batches of documents of similar length, in a new random order every epoch.

    Each epoch shuffles the documents, sorts each window of `window` batches by length, cuts
    batches and shuffles them: a batch is padded to its longest memory, so mixing a 15k-token
    judgment with 3k-token calls would cost as much as four judgments.
    """

    def __init__(self, lengths: Sequence[int], batch_size: int, window: int = 50, seed: int = 0):
        self.lengths = list(lengths)
        self.batch_size = batch_size
        self.window = window * batch_size
        self.seed = seed
        self.epoch = 0

    def __len__(self) -> int:
        return math.ceil(len(self.lengths) / self.batch_size)

    def __iter__(self) -> Iterator[list[int]]:
        rng = random.Random(self.seed + self.epoch)
        self.epoch += 1
        order = list(range(len(self.lengths)))
        rng.shuffle(order)
        batches = []
        for start in range(0, len(order), self.window):
            chunk = sorted(order[start : start + self.window], key=lambda i: self.lengths[i])
            batches += [
                chunk[i : i + self.batch_size] for i in range(0, len(chunk), self.batch_size)
            ]
        rng.shuffle(batches)
        return iter(batches)


def select_records(
    paths: Sequence[str],
    validation: bool,
    per_file: int | list[int] | None,
    val_permille: int,
    all_records: bool = False,
) -> list[SummaryRecord]:
    """Records of each file on one side of the id split (all of them with `all_records`), the
    first `per_file` of each (one limit, or one per file) by sha1 of the id: a deterministic
    sample whatever the order of the file."""
    limits = per_file if isinstance(per_file, list) else [per_file] * len(paths)
    if len(limits) != len(paths):
        raise ValueError(f"{len(limits)} per-file limits for {len(paths)} files")
    out: list[SummaryRecord] = []
    for path, limit in zip(paths, limits, strict=True):
        chosen = [
            r
            for r in read_records(path)
            if all_records or is_validation(r.doc_id, val_permille) == validation
        ]
        chosen.sort(key=lambda r: hashlib.sha1(r.doc_id.encode("utf-8")).hexdigest())
        out += chosen if limit is None else chosen[:limit]
    return out


class SummaryDataModule(pl.LightningDataModule):
    """(document, summary) records of JSON Lines corpora, split by id.

    Args:
        paths: training corpora (.jsonl / .jsonl.gz with id, text, summary).
        val_paths: files that are validation splits already (ECTSum's); every record is used.
            When empty, validation records are the held-out ids of `paths`.
        max_train_docs: training records taken from each file (by id hash), one limit for all
            or one per file; None = all.
        max_val_docs: validation records taken from each file; None = all.
        val_permille: share of ids (sha1(id) mod 1000 below it) held out of `paths`: never
            trained on, whichever validation source is used. The evaluator's default split.
        batch_size: documents per batch (of similar lengths: `LengthBuckets`).
        max_chars: length cap for bucketing (the model's `max_source_chars`).
    """

    def __init__(
        self,
        paths: list[str],
        val_paths: list[str] | None = None,
        max_train_docs: int | list[int] | None = None,
        max_val_docs: int | None = 32,
        val_permille: int = DEFAULT_VAL_PERMILLE,
        batch_size: int = 1,
        max_chars: int = 400_000,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.train_set: list[SummaryRecord] = []
        self.val_set: list[SummaryRecord] = []

    def setup(self, stage: str | None = None) -> None:
        hp = self.hparams
        if not self.train_set and stage in (None, "fit"):
            self.train_set = select_records(hp.paths, False, hp.max_train_docs, hp.val_permille)
        if not self.val_set:
            if hp.val_paths:
                self.val_set = select_records(hp.val_paths, True, hp.max_val_docs, 0, True)
            else:
                self.val_set = select_records(hp.paths, True, hp.max_val_docs, hp.val_permille)

    def train_dataloader(self) -> DataLoader:
        lengths = [min(len(r.text), self.hparams.max_chars) for r in self.train_set]
        sampler = LengthBuckets(lengths, self.hparams.batch_size)
        return DataLoader(self.train_set, batch_sampler=sampler, collate_fn=_identity)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(self.val_set, batch_size=self.hparams.batch_size, collate_fn=_identity)


class AbstractiveSummarizer(pl.LightningModule):
    """Train the decoder (self- and cross-attention, feed-forwards), LM head and copy head.

    Args:
        checkpoint: `lm` checkpoint to start from (e.g. `checkpoints/default`: MiniLM's encoder
            and the trained extractive head); None builds `preset`.
        preset: `lm.config` preset when `checkpoint` is None (`tiny` for tests).
        warm_start: with no checkpoint, load MiniLM's weights into the preset.
        mode: how inputs are built: "hybrid" (memory + supporting sentences as passages) or
            "abstractive" (memory only), as the pipeline's modes build them.
        abstractive_share: in hybrid mode, the share of batches built as abstractive inputs,
            so the same decoder serves both modes.
        passage_source: "oracle" (greedy ROUGE oracle sentences) or "head" (the extractive
            head's selection, as the pipeline makes it; needs a trained head).
        passage_tokens: at most this many passage tokens (the pipeline's `passage_tokens`).
        max_target_tokens: summaries are cut to this many tokens (EOS still follows).
        max_source_chars: documents are cut to their first this many characters.
        label_smoothing: ε of the uniform label smoothing.
        freeze_encoder: keep embeddings and encoder fixed (required for the cache).
        train_cross_keys: also train the cross-attention's key/value projections and key
            feature maps. Off, they keep their warm start (MiniLM's layer-i attention), so with
            a frozen encoder everything `prepare` computes over the whole memory is constant and
            runs without autograd: on a CPU that was two thirds of a step's time.
        freeze_decoder: decoder parameters that keep their start, by name prefix within a
            layer (e.g. "ffn." and "self_attn.proj.": MiniLM's feed-forwards and self-attention
            projections). Every trained tensor is stored in the exported delta, so this is what
            keeps a checkpoint under its size budget (the whole decoder is ~57 MB in fp32).
        cache_dir: where encoder outputs are cached; None = encode every time.
        cache_dtype: "bfloat16", "float16" or "float32" (exact) for cached memory.
        bf16_encode: encode under bf16 autocast, as the pipeline's engine does by default.
        lr, weight_decay, warmup_steps, min_lr_ratio: AdamW with linear warm-up, then cosine
            decay to `min_lr_ratio`·lr over the run.
        seed: seeds the choice of abstractive batches.
    """

    OBJECTIVE = "abstractive"

    def __init__(
        self,
        checkpoint: str | None = None,
        preset: str = "minilm",
        warm_start: bool = True,
        mode: Literal["hybrid", "abstractive"] = "hybrid",
        abstractive_share: float = 0.0,
        passage_source: Literal["oracle", "head"] = "oracle",
        passage_tokens: int = 512,
        max_target_tokens: int = 128,
        max_source_chars: int = 400_000,
        label_smoothing: float = 0.1,
        freeze_encoder: bool = True,
        train_cross_keys: bool = False,
        freeze_decoder: list[str] | None = None,
        cache_dir: str | None = "runs/abstractive-cache",
        cache_dtype: Literal["bfloat16", "float16", "float32"] = "bfloat16",
        bf16_encode: bool = True,
        lr: float = 5e-4,
        weight_decay: float = 0.01,
        warmup_steps: int = 20,
        min_lr_ratio: float = 0.1,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        if cache_dir is not None and not freeze_encoder:
            raise ValueError("caching encoder outputs needs a frozen encoder")
        if cache_dtype not in CACHE_DTYPES:
            raise ValueError(f"cache_dtype must be one of {sorted(CACHE_DTYPES)}")
        self.model, base_trained, self._warm_started = _load_start(checkpoint, preset, warm_start)
        self._base_trained = base_trained
        self.engine = Engine(
            self.model, Tokenizer.minilm(), "training", base_trained, EngineConfig(bf16=bf16_encode)
        )
        if passage_source == "head" and not self.engine.has_extractive_head:
            raise ValueError("passage_source 'head' needs a checkpoint with a trained head")
        self.model.requires_grad_(False)
        trainable = [self.model.decoder, self.model.lm_head]
        if self.model.copy_head is not None:
            trainable.append(self.model.copy_head)
        if not freeze_encoder:
            trainable += [self.model.embeddings, self.model.encoder]
        for module in trainable:
            module.requires_grad_(True)
        for layer in self.model.decoder:
            for name, p in layer.named_parameters():
                if name.startswith(tuple(freeze_decoder or ())):
                    p.requires_grad_(False)
        if not train_cross_keys:
            for layer in self.model.decoder:
                attn = layer.cross_attn
                if attn.features.k_map is None:
                    raise ValueError("keys share the query feature map: set train_cross_keys")
                for module in (attn.proj.key, attn.proj.value, attn.features.k_map):
                    module.requires_grad_(False)
        # Lightning keeps the mode a module is built in, and a loaded checkpoint is in eval
        # mode: the trained parts start in train mode (dropout), the frozen ones stay in eval.
        self.train()
        self.cache = (
            None
            if cache_dir is None
            else EncoderCache(
                cache_dir,
                encoder_fingerprint(self.model, bf16_encode),
                CACHE_DTYPES[cache_dtype],
            )
        )
        # Per document (by sha256): the supporting sentence indices, computed once.
        self._support: dict[str, tuple[int, ...]] = {}
        self._rng = random.Random(seed)

    @property
    def cfg(self) -> ModelConfig:
        return self.model.cfg

    def train(self, mode: bool = True) -> AbstractiveSummarizer:
        """Switch modes, keeping a frozen encoder in eval mode: no dropout, so its memory is a
        fixed function of the text (what the cache holds and the pipeline computes)."""
        super().train(mode)
        if self.hparams.freeze_encoder:
            self.model.embeddings.eval()
            self.model.encoder.eval()
            self.model.extractive.eval()
        return self

    def export_record(self) -> tuple[bool, tuple[str, ...]]:
        """(warm-started from MiniLM, objectives the weights went through), for the export."""
        return self._warm_started, tuple(dict.fromkeys((*self._base_trained, self.OBJECTIVE)))

    def _encode(self, seg: Segmented, doc_sha256: str) -> EncodedBundle:
        """The document as a one-document bundle with memory: cached, or encoded (and cached)."""
        layout = self.engine.tokenize([seg])
        if not self.hparams.freeze_encoder:
            ids = torch.tensor(
                [self.engine.tokenizer.cls_id, *layout[0].ids, self.engine.tokenizer.sep_id]
            )
            memory = self.model.encode(ids[None].to(self.device))[0].float()  # (N, d)
            return EncodedBundle(ids, memory, layout)
        cached = None if self.cache is None else self.cache.load(doc_sha256)
        if cached is not None:
            return EncodedBundle(cached[0], cached[1].to(self.device), layout)
        bundle = self.engine.encode([seg])
        assert bundle.memory is not None
        # Outside inference mode from here on: autograd may save this memory for backward.
        ids, memory = bundle.ids.clone(), bundle.memory.clone()
        if self.cache is not None:
            self.cache.save(doc_sha256, ids, memory)
            memory = memory.to(self.cache.dtype).float()  # exactly what a cache hit returns
        return EncodedBundle(ids, memory.to(self.device), bundle.documents)

    def _support_of(
        self, record: SummaryRecord, doc: EncodedDocument, bundle: EncodedBundle, key: str
    ) -> tuple[int, ...]:
        """The sentences whose tokens become passages (word budget: the reference's length)."""
        if key not in self._support:
            budget = max(1, len(words(record.summary)))
            if self.hparams.passage_source == "head":
                with torch.inference_mode():
                    scores = sentence_scores(self.engine, bundle, doc)
                chosen = select(doc.seg, scores, budget)
            else:
                chosen = greedy_oracle([s.text for s in doc.seg.sentences], record.summary, budget)
            self._support[key] = tuple(chosen)
        return self._support[key]

    def example(self, record: SummaryRecord, mode: str) -> Example:
        """Build one training example exactly as the pipeline builds the decoder's input."""
        hp = self.hparams
        document = as_document(
            SummaryRecord(record.doc_id, record.text[: hp.max_source_chars], record.summary)
        )
        seg = segment(document)
        bundle = self._encode(seg, document.sha256)
        doc = bundle.documents[0]
        support = [(doc, self._support_of(record, doc, bundle, document.sha256))]
        span = (doc.token_start, doc.token_start + doc.n_tokens)
        source = source_inputs(bundle, span, support, mode, hp.passage_tokens)
        target = self.engine.tokenizer.encode(record.summary).ids[: hp.max_target_tokens]
        return Example(source, tuple(target))

    def losses(
        self, records: Sequence[SummaryRecord], mode: str
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(label-smoothed loss, NLL) of a batch whose inputs are built in `mode`."""
        examples = [self.example(r, mode) for r in records]
        cfg = self.cfg
        # With a frozen encoder and frozen cross-attention keys, `prepare` has nothing to train.
        constant = self.hparams.freeze_encoder and not self.hparams.train_cross_keys
        with torch.set_grad_enabled(torch.is_grad_enabled() and not constant):
            inputs = decoder_inputs(self.model, [e.source for e in examples])
        x, y, mask = teacher_forcing([e.target for e in examples], cfg.bos_id, cfg.eos_id, 0)
        logprobs = self.model.decode(x.to(self.device), inputs)  # (B, T, V)
        return label_smoothed_nll(
            logprobs, y.to(self.device), mask.to(self.device), self.hparams.label_smoothing
        )

    def transfer_batch_to_device(
        self, batch: list[SummaryRecord], device: torch.device, dataloader_idx: int
    ) -> list[SummaryRecord]:
        """Batches are text records (tensors are made per step on the module's device)."""
        return batch

    def _train_mode(self) -> str:
        hp = self.hparams
        if hp.mode == "hybrid" and self._rng.random() < hp.abstractive_share:
            return "abstractive"
        return hp.mode

    def training_step(self, batch: list[SummaryRecord], batch_idx: int) -> torch.Tensor:
        mode = self._train_mode()
        loss, nll = self.losses(batch, mode)
        self.log_dict(
            {"train/loss": loss.detach(), f"train/nll_{mode}": nll.detach()},
            batch_size=len(batch),
        )
        self.log("loss", loss.detach(), prog_bar=True, logger=False, batch_size=len(batch))
        return loss

    def validation_step(self, batch: list[SummaryRecord], batch_idx: int) -> None:
        modes = ["hybrid", "abstractive"] if self.hparams.mode == "hybrid" else ["abstractive"]
        for mode in modes:
            loss, nll = self.losses(batch, mode)
            self.log(f"val/loss_{mode}", loss, batch_size=len(batch), prog_bar=mode == modes[0])
            self.log(f"val/nll_{mode}", nll, batch_size=len(batch))

    def configure_optimizers(self) -> dict[str, Any]:
        hp = self.hparams
        params = [p for p in self.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=hp.lr, weight_decay=hp.weight_decay)
        total = max(1, int(self.trainer.estimated_stepping_batches))
        warmup = max(0, hp.warmup_steps)

        def factor(step: int) -> float:
            if step < warmup:
                return (step + 1) / warmup
            progress = min(1.0, (step - warmup) / max(1, total - warmup))
            cosine = 0.5 * (1 + math.cos(math.pi * progress))
            return hp.min_lr_ratio + (1 - hp.min_lr_ratio) * cosine

        scheduler = LambdaLR(optimizer, factor)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
        }

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """Leave out frozen tensors: the module's start (checkpoint or warm start) rebuilds them.

        A Lightning checkpoint then holds the trained decoder and heads, not the encoder again.
        """
        state = checkpoint["state_dict"]
        frozen = {f"model.{n}" for n, p in self.model.named_parameters() if not p.requires_grad}
        omitted = sorted(k for k in state if k in frozen)
        for k in omitted:
            del state[k]
        checkpoint[OMITTED_KEY] = omitted
        checkpoint[START_KEY] = self._start_sha256()

    def _start_sha256(self) -> str | None:
        start = self.hparams.checkpoint
        return None if start is None else sha256_file(Path(start) / "model.safetensors")

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """Put back the tensors `on_save_checkpoint` left out, from this module's own start.

        Refuses when the start checkpoint's weights changed since (say, a retrained default):
        the frozen tensors would then silently come from another model.
        """
        saved = checkpoint.get(START_KEY)
        if checkpoint.get(OMITTED_KEY) and saved != self._start_sha256():
            raise ValueError(
                f"{self.hparams.checkpoint}: not the start checkpoint this run was trained from "
                "(its weights changed); point --checkpoint at the original"
            )
        own = self.state_dict()
        for k in checkpoint.get(OMITTED_KEY, []):
            checkpoint["state_dict"][k] = own[k]


def _load_start(
    checkpoint: str | None, preset: str, warm_start: bool
) -> tuple[LongBriefModel, tuple[str, ...], bool]:
    """(model, objectives it was trained for, whether its weights come from MiniLM)."""
    if checkpoint is not None:
        meta = json.loads((Path(checkpoint) / "config.json").read_text(encoding="utf-8"))
        info = checkpoint_info(checkpoint)
        return load_checkpoint(checkpoint), info.trained, meta.get("base") is not None
    model = LongBriefModel(ModelConfig.from_name(preset))
    if warm_start:
        from lm.warmstart import warm_start as load_minilm

        load_minilm(model)
    return model, (), warm_start


__all__ = [
    "AbstractiveSummarizer",
    "EncoderCache",
    "Example",
    "SummaryDataModule",
    "encoder_fingerprint",
    "label_smoothed_nll",
    "select_records",
    "teacher_forcing",
]
