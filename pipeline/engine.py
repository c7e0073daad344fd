"""The model side of the pipeline: load a checkpoint once, encode a bundle in one pass.

Resolution of the model: an explicit checkpoint directory, else `$LONGBRIEF_CHECKPOINT`, else the
committed default `checkpoints/default/` (in the source tree, or where a wheel install puts it:
`<prefix>/share/longbrief/checkpoints/default`), else MiniLM itself with exact block-local
attention (every layer "local", no trained heads: faithful, but only the interim ranking can use
it).
"""

from __future__ import annotations

import bisect
import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import torch

from lm.checkpoint import checkpoint_info, load_checkpoint
from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.runtime import keep_freed_memory
from lm.tokenizer import Tokenizer
from lm.warmstart import from_minilm
from lm.weights import MINILM_SHA256, sha256_file
from pipeline.segment import Segmented

DEFAULT_CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "default"
# Where pyproject's data-files put the default checkpoint when longbrief is installed from a
# wheel (the source tree's checkpoints/ is not a package, so it is not next to the modules).
INSTALLED_CHECKPOINT = Path(sys.prefix) / "share" / "longbrief" / "checkpoints" / "default"
CHECKPOINT_ENV = "LONGBRIEF_CHECKPOINT"
FALLBACK_NAME = "minilm-local (untrained heads)"


@dataclass(frozen=True)
class EngineConfig:
    """How to load and run the model."""

    checkpoint: Path | None = None
    bf16: bool = True
    threads: int | None = None
    # A bundle longer than this is encoded in several passes of whole documents.
    max_tokens: int = 131_072
    # Reuse freed activation memory instead of re-faulting it (`lm.runtime.keep_freed_memory`):
    # ~2x faster at 64k tokens, at the cost of a higher resident peak.
    reuse_memory: bool = True


@dataclass(frozen=True)
class EncodedDocument:
    """One document's place in the bundle's token sequence.

    `offsets[i]` is the character span of token `token_start + i` in the document text and
    `sentence_of_token[i]` the index of its sentence in `seg.sentences` (-1: none).
    """

    seg: Segmented
    token_start: int
    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]
    sentence_of_token: tuple[int, ...]

    @property
    def n_tokens(self) -> int:
        return len(self.ids)

    def sentence_tokens(self, sentence: int) -> list[int]:
        """Bundle positions of the tokens of one sentence."""
        return [self.token_start + i for i, s in enumerate(self.sentence_of_token) if s == sentence]


@dataclass(frozen=True)
class EncodedBundle:
    """Encoder memory `(N, d)` of a whole bundle and the map from tokens back to sentences."""

    ids: torch.Tensor
    memory: torch.Tensor | None
    documents: tuple[EncodedDocument, ...]


def map_tokens_to_sentences(
    seg: Segmented, offsets: tuple[tuple[int, int], ...]
) -> tuple[int, ...]:
    """Sentence index of each token (by the token's start offset), -1 outside every sentence."""
    starts = [s.start for s in seg.sentences]
    out = []
    for a, _ in offsets:
        i = bisect.bisect_right(starts, a) - 1
        out.append(i if i >= 0 and a < seg.sentences[i].end else -1)
    return tuple(out)


class Engine:
    """A loaded model and tokenizer; create once per process and reuse."""

    def __init__(
        self,
        model: LongBriefModel,
        tokenizer: Tokenizer,
        name: str,
        trained: tuple[str, ...],
        cfg: EngineConfig,
    ):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.trained = trained
        self.cfg = cfg
        # Identifies the weights, so caches of results never outlive a change of model.
        self.fingerprint = name
        if cfg.threads:
            torch.set_num_threads(cfg.threads)

    @staticmethod
    def resolve(cfg: EngineConfig) -> Path | None:
        """The checkpoint directory `cfg` selects, or None for the MiniLM fallback.

        An explicit `cfg.checkpoint` or `$LONGBRIEF_CHECKPOINT` that holds no checkpoint is an
        error (silently using another model would be worse); a missing default is not.
        """
        chosen = cfg.checkpoint or os.environ.get(CHECKPOINT_ENV)
        if chosen:
            directory = Path(chosen)
            if not (directory / "config.json").is_file():
                raise FileNotFoundError(f"{directory}: no checkpoint there (config.json missing)")
            return directory
        for directory in (DEFAULT_CHECKPOINT, INSTALLED_CHECKPOINT):
            if (directory / "config.json").is_file():
                return directory
        return None

    @staticmethod
    def identify(cfg: EngineConfig) -> tuple[str, tuple[str, ...]]:
        """(name, trained objectives) of the model `cfg` selects, without loading weights."""
        directory = Engine.resolve(cfg)
        if directory is None:
            return FALLBACK_NAME, ()
        return directory.name, checkpoint_info(directory).trained

    @classmethod
    def load(cls, cfg: EngineConfig = EngineConfig()) -> Engine:
        """Load the configured checkpoint (see the module docstring for the fallbacks)."""
        if cfg.reuse_memory:
            keep_freed_memory()
        tokenizer = Tokenizer.minilm()
        directory = cls.resolve(cfg)
        if directory is not None:
            info = checkpoint_info(directory)
            engine = cls(load_checkpoint(directory), tokenizer, directory.name, info.trained, cfg)
            engine.fingerprint = sha256_file(directory / "model.safetensors")
        else:
            base = ModelConfig.from_name("minilm", encoder_layers=("local",) * 6)
            engine = cls(from_minilm(base), tokenizer, FALLBACK_NAME, (), cfg)
            engine.fingerprint = "minilm-local:" + MINILM_SHA256["model.safetensors"]
        if cfg.bf16:
            # The engine owns this model: its encoder is cast once instead of autocast per call.
            engine.model.cast_encoder(torch.bfloat16)
        return engine

    @property
    def has_extractive_head(self) -> bool:
        return "extractive" in self.trained

    @property
    def has_decoder(self) -> bool:
        return "abstractive" in self.trained

    def autocast(self):
        """bf16 autocast on CPU when enabled (a 50k-token encode runs ~1.7x faster than fp32)."""
        if self.cfg.bf16:
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return nullcontext()

    def _encoder_context(self):
        """Autocast for a float32 encoder; none for one already cast to bf16 (`Engine.load`)."""
        return self.autocast() if self.model.encoder_dtype == torch.float32 else nullcontext()

    def tokenize(self, segs: list[Segmented]) -> tuple[EncodedDocument, ...]:
        """Tokenize each document; lay them out as [CLS] doc [SEP] doc [SEP] ..."""
        encodings = self.tokenizer.encode_batch([s.doc.text for s in segs])
        docs, position = [], 1
        for seg, enc in zip(segs, encodings, strict=True):
            docs.append(
                EncodedDocument(
                    seg, position, enc.ids, enc.offsets, map_tokens_to_sentences(seg, enc.offsets)
                )
            )
            position += len(enc.ids) + 1
        return tuple(docs)

    def _bundle_ids(self, docs: tuple[EncodedDocument, ...]) -> torch.Tensor:
        ids = [self.tokenizer.cls_id]
        for d in docs:
            ids += [*d.ids, self.tokenizer.sep_id]
        return torch.tensor(ids, dtype=torch.long)

    @torch.inference_mode()
    def encode(self, segs: list[Segmented], with_memory: bool = True) -> EncodedBundle:
        """Tokenize and (with `with_memory`) run the encoder over the whole bundle."""
        docs = self.tokenize(segs)
        ids = self._bundle_ids(docs)
        if not with_memory:
            return EncodedBundle(ids, None, docs)
        pieces, start = [], 0
        # One pass when the bundle fits; otherwise consecutive passes of whole documents.
        for end in self._pass_ends(docs, len(ids)):
            with self._encoder_context():
                memory = self.model.encode(ids[None, start:end])[0]
            pieces.append(memory.float())
            start = end
        return EncodedBundle(ids, torch.cat(pieces, dim=0), docs)

    @torch.inference_mode()
    def encode_alone(self, text: str) -> tuple[torch.Tensor, torch.Tensor]:
        """`text` encoded as a bundle of its own, [CLS] text [SEP]: ids `(n + 2,)` and memory
        `(n + 2, d)` float32, what `encode` gives for a one-document bundle of this text.

        For short texts that are not in a bundle (chunks of a library's earlier documents).
        """
        ids = torch.tensor(
            [self.tokenizer.cls_id, *self.tokenizer.encode(text).ids, self.tokenizer.sep_id]
        )
        with self._encoder_context():
            memory = self.model.encode(ids[None])[0]  # (n + 2, d)
        return ids, memory.float()

    def _pass_ends(self, docs: tuple[EncodedDocument, ...], total: int) -> list[int]:
        """End positions of encoder passes: whole documents packed up to `max_tokens`."""
        ends, pass_start, prev_end = [], 0, 0
        for d in docs:
            end = d.token_start + d.n_tokens + 1  # past its [SEP]
            if end - pass_start > self.cfg.max_tokens and prev_end > pass_start:
                ends.append(prev_end)
                pass_start = prev_end
            prev_end = end
        return [*ends, total]
