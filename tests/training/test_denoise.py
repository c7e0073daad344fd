"""Span-corruption denoising: corruption invariants, the loss, a few steps, the CLI on PDFs."""

from __future__ import annotations

import itertools
import json
import logging
import random
import shutil
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lm.checkpoint import checkpoint_info, load_checkpoint, save_checkpoint
from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from training.bpe import BPESpec, config_overrides, train_bpe
from training.denoise import (
    IGNORE,
    NoiseSpec,
    SpanCorruption,
    corrupt,
    corrupt_batch,
    denoise_loss,
    noise_spans,
    reassemble,
)

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "examples" / "bundle"
TINY_CONFIG = ROOT / "configs" / "train" / "denoise_tiny.yaml"
SENTINELS = tuple(range(5, 15))
EOS = 3


@pytest.fixture(scope="module")
def tokenizer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A byte-level BPE (10 sentinels) trained on the sample bundle's sources."""
    texts = [p.read_text("utf-8") for p in sorted((BUNDLE / "src").glob("*.txt"))]
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    train_bpe(texts, BPESpec(vocab_size=400, n_sentinels=10)).save(path)
    return path


def test_spans_mask_the_share_in_separated_runs() -> None:
    spec = NoiseSpec(0.15, 3.0)
    rng = random.Random(0)
    span_lengths = []
    for length in [2, 3, 5, 14, 20, 100, 511, 1000, 4093]:
        for _ in range(5):
            spans = noise_spans(length, spec, rng)
            masked = sum(e - s for s, e in spans)
            assert masked == min(max(round(length * 0.15), 1), length - 1)
            assert len(spans) == min(max(round(masked / 3.0), 1), length - masked)
            assert spans[0][0] >= 1  # kept-first: the first token is never masked
            assert all(s < e for s, e in spans)
            # In order, never touching: a kept token separates consecutive spans.
            assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
            assert spans[-1][1] <= length
            span_lengths.extend(e - s for s, e in spans)
    assert noise_spans(1, spec, rng) == []
    assert 2.7 < sum(span_lengths) / len(span_lengths) < 3.3


def test_sentinel_layout_and_the_target_reassembles_the_original() -> None:
    tokens = list(range(100, 160))
    spans = [(3, 5), (10, 13), (40, 41)]
    c = corrupt(tokens, spans, SENTINELS, EOS)
    assert c.inputs == (*tokens[:3], 5, *tokens[5:10], 6, *tokens[13:40], 7, *tokens[41:])
    assert c.targets == (5, *tokens[3:5], 6, *tokens[10:13], 7, tokens[40], EOS)
    assert reassemble(c.inputs, c.targets, SENTINELS, EOS) == tokens
    # Random spans, and more spans than sentinels (they repeat): still exactly the original.
    rng = random.Random(1)
    for length in (30, 400, 2000):
        tokens = [rng.randrange(100, 400) for _ in range(length)]
        spans = noise_spans(length, NoiseSpec(), rng)
        c = corrupt(tokens, spans, SENTINELS[:2], EOS)
        assert reassemble(c.inputs, c.targets, SENTINELS[:2], EOS) == tokens
        assert sum(t in SENTINELS[:2] for t in c.inputs) == len(spans)
        assert len(c.inputs) + len(c.targets) == length + 2 * len(spans) + 1


def test_corrupt_batch_keeps_cls_and_sep_and_shifts_the_targets() -> None:
    ids = torch.zeros(2, 40, dtype=torch.long)
    mask = torch.zeros(2, 40, dtype=torch.bool)
    for row, n in enumerate((40, 23)):
        ids[row, :n] = torch.tensor([2, *range(100, 100 + n - 2), 3])
        mask[row, :n] = True
    batch = corrupt_batch(ids, mask, NoiseSpec(), SENTINELS, 2, EOS, 0, random.Random(0))
    for row in range(2):
        real = batch.ids[row][batch.mask[row]].tolist()
        labels = batch.labels[row][batch.labels[row] != IGNORE].tolist()
        assert real[0] == 2 and real[-1] == 3
        assert labels[-1] == EOS and labels[0] in SENTINELS
        original = ids[row][mask[row]].tolist()
        assert [2, *reassemble(real[1:-1], labels, SENTINELS, EOS), 3] == original
        n = len(labels)
        assert batch.decoder_in[row, :n].tolist() == [2, *labels[:-1]]
        assert (batch.ids[row][~batch.mask[row]] == 0).all()


def test_loss_matches_cross_entropy_with_label_smoothing() -> None:
    logits = torch.randn(2, 5, 11)
    labels = torch.randint(0, 11, (2, 5))
    labels[1, 3:] = IGNORE
    for eps in (0.0, 0.1):
        loss, acc = denoise_loss(logits.log_softmax(-1), labels, eps)
        expected = F.cross_entropy(
            logits.reshape(-1, 11), labels.reshape(-1), ignore_index=IGNORE, label_smoothing=eps
        )
        torch.testing.assert_close(loss, expected)
    real = labels != IGNORE
    assert acc == (logits.argmax(-1)[real] == labels[real]).float().mean()


def test_a_few_steps_lower_the_loss(tokenizer_file: Path) -> None:
    module = SpanCorruption(
        preset="tiny", warm_start=False, tokenizer=str(tokenizer_file), n_sentinels=10
    )
    tok = Tokenizer.from_file(tokenizer_file)
    assert module.cfg.vocab_size == tok.vocab_size and module.cfg.bos_id == tok.cls_id
    text = (BUNDLE / "src" / "03_amendment_no_1.txt").read_text("utf-8")
    pieces = [tok.encode(text).ids[i : i + 62] for i in (0, 62, 124, 186)]
    ids = torch.tensor([[tok.cls_id, *p, tok.sep_id] for p in pieces])
    batch = module.corrupted(ids, torch.ones_like(ids, dtype=torch.bool), random.Random(0))
    opt = torch.optim.Adam(module.parameters(), lr=1e-2)
    losses = []
    for _ in range(25):
        loss, _ = module.step_loss(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.6 * losses[0], losses


def test_vocabulary_mismatches_are_refused(tokenizer_file: Path) -> None:
    with pytest.raises(ValueError, match="ids"):
        SpanCorruption(
            preset="tiny",
            warm_start=False,
            tokenizer=str(tokenizer_file),
            n_sentinels=10,
            overrides={"vocab_size": 50},
        )
    with pytest.raises(ValueError, match="bos_id"):
        SpanCorruption(
            preset="tiny",
            warm_start=False,
            tokenizer=str(tokenizer_file),
            n_sentinels=10,
            overrides={"bos_id": 101},
        )
    with pytest.raises(ValueError, match="sentinel"):
        SpanCorruption(
            preset="tiny", warm_start=False, tokenizer=str(tokenizer_file), n_sentinels=11
        )


def test_export_records_what_the_start_checkpoint_went_through(
    tokenizer_file: Path, tmp_path: Path
) -> None:
    tok = Tokenizer.from_file(tokenizer_file)
    start = LongBriefModel(ModelConfig.from_name("tiny", **config_overrides(tok)))
    save_checkpoint(start, tmp_path / "start", trained=("transfer",))
    module = SpanCorruption(
        init_checkpoint=str(tmp_path / "start"), tokenizer=str(tokenizer_file), n_sentinels=10
    )
    assert module.export_record() == (False, ("transfer", "denoising"))
    assert all(m.training for m in module.model.modules())  # dropout on while training
    for name, tensor in start.state_dict().items():
        assert torch.equal(module.model.state_dict()[name], tensor), name


def make_folder(root: Path) -> Path:
    """The sample bundle's three real PDFs and one truncated (corrupt) PDF."""
    root.mkdir()
    for pdf in sorted(BUNDLE.glob("*.pdf")):
        shutil.copy(pdf, root / pdf.name)
    (root / "scan_broken.pdf").write_bytes((BUNDLE / "02_statement_of_work.pdf").read_bytes()[:500])
    return root


def test_cli_fit_on_a_folder_of_pdfs_and_export(
    tokenizer_file: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from training.cli import main

    folder = make_folder(tmp_path / "firm")
    ckpt = tmp_path / "ckpt"
    args = [
        "--config", str(TINY_CONFIG),
        "--data.init_args.folder", str(folder),
        "--data.init_args.tokenizer", str(tokenizer_file),
        "--model.init_args.tokenizer", str(tokenizer_file),
        "--data.init_args.val_permille", "400",
        "--data.init_args.cache_dir", str(tmp_path / "cache"),
        "--trainer.logger.init_args.save_dir", str(tmp_path / "runs"),
        "--checkpoint.dirpath", str(ckpt),
    ]  # fmt: skip
    with caplog.at_level(logging.ERROR, logger="training.data"):
        main(["train", "fit", *args])
    # The corrupt PDF is reported with its path and reason, and the run went on without it.
    broken = str(folder / "scan_broken.pdf")
    assert any(broken in r.getMessage() and "corrupt" in r.getMessage() for r in caplog.records)
    state = torch.load(ckpt / "last.ckpt", map_location="cpu", weights_only=False)
    assert state["global_step"] == 2
    metrics = next((tmp_path / "runs" / "denoise_tiny").glob("version_*")) / "metrics.csv"
    assert "train/loss" in metrics.read_text().splitlines()[0]

    out = tmp_path / "export"
    main(["train", "export", "--module", "training.denoise.SpanCorruption",
          "--ckpt", str(ckpt / "last.ckpt"), "--out", str(out)])  # fmt: skip
    assert checkpoint_info(out).trained == ("denoising",)
    model = load_checkpoint(out)
    assert model.cfg.vocab_size == Tokenizer.from_file(tokenizer_file).vocab_size
    for name, tensor in model.state_dict().items():
        torch.testing.assert_close(tensor, state["state_dict"][f"model.{name}"], rtol=0, atol=0)
    assert json.loads((out / "config.json").read_text())["base"] is None
