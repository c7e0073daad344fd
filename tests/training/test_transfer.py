"""Attention transfer and its data plumbing: corpora, id splits, blocks, the loss, the CLI.

Nothing here needs the shared data; the MiniLM files only where marked. The corpus is generated
and its tokenizer built from it, so block and split tests run on any machine.
"""

from __future__ import annotations

import copy
import gzip
import json
import random
from pathlib import Path

import pytest
import torch
from datasets import Dataset
from tokenizers import Tokenizer as WordTokenizer
from tokenizers import models, normalizers, pre_tokenizers
from torch.utils.checkpoint import checkpoint

from lm.checkpoint import load_checkpoint
from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.ops.naive import linear_attention_weights, window_linear_weights
from lm.tokenizer import Tokenizer
from lm.weights import minilm_available
from training.data import (
    BlockDataModule,
    BlockSpec,
    block_ids,
    collate_blocks,
    corpus_format,
    leading_tokens,
    load_corpus,
    split_by_id,
    tokenize_blocks,
)
from training.splits import is_validation
from training.transfer import (
    AttentionTransfer,
    linear_rows,
    sample_rows,
    select_rows,
    softmax_weights,
    teacher_encode,
    token_cosines,
    window_linear_rows,
)

ROOT = Path(__file__).resolve().parents[2]
TINY_CONFIG = ROOT / "configs" / "train" / "transfer_tiny.yaml"
needs_minilm = pytest.mark.skipif(
    not minilm_available(), reason="verified MiniLM base files are not installed"
)


WORDS = [
    "agreement",
    "party",
    "licensee",
    "licensor",
    "term",
    "notice",
    "shall",
    "may",
    "section",
    "clause",
    "payment",
    "days",
    "governing",
    "law",
    "delaware",
    "york",
    "liability",
    "cap",
    "amendment",
    "schedule",
    "work",
    "order",
    "invoice",
    "net",
    "thirty",
    "forty",
    "five",
    "renewal",
    "termination",
    "breach",
    "cure",
    "period",
    "confidential",
    "information",
]
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def make_docs(n: int = 40, seed: int = 0) -> list[dict[str, str]]:
    """`n` documents of 3..120 random words, ids `doc-000`.., a `title` and a `body` field."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 120))]
        docs.append({"id": f"doc-{i:03d}", "text": " ".join(words), "title": f"Doc {i}"})
    return docs


@pytest.fixture
def docs() -> list[dict[str, str]]:
    return make_docs()


@pytest.fixture
def corpus_file(tmp_path: Path, docs: list[dict[str, str]]) -> Path:
    """The documents as JSON Lines."""
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def tokenizer_file(tmp_path: Path) -> Path:
    """A lower-casing word-level tokenizer.json over WORDS with BERT's special tokens."""
    vocab = {tok: i for i, tok in enumerate([*SPECIALS, *WORDS])}
    tok = WordTokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    return path


def rows_of(ds: Dataset) -> list[tuple[str, str]]:
    return sorted(zip(ds["id"], ds["text"], strict=True))


def test_corpus_formats_load_the_same_rows(tmp_path: Path, docs, corpus_file: Path) -> None:
    expected = sorted((d["id"], d["text"]) for d in docs)
    gz = tmp_path / "corpus.jsonl.gz"
    gz.write_bytes(gzip.compress(corpus_file.read_bytes()))
    table = Dataset.from_list(docs)
    table.to_parquet(str(tmp_path / "corpus.parquet"))
    table.to_csv(str(tmp_path / "corpus.csv"), index=False)
    cache = str(tmp_path / "cache")
    for name in ("corpus.jsonl", "corpus.jsonl.gz", "corpus.parquet", "corpus.csv"):
        assert rows_of(load_corpus(tmp_path / name, cache_dir=cache)) == expected, name
    # A configurable text field, and files combined.
    titles = load_corpus(
        [corpus_file, tmp_path / "corpus.csv"], text_field="title", cache_dir=cache
    )
    assert len(titles) == 2 * len(docs)
    assert set(titles["text"]) == {d["title"] for d in docs}


def test_unsupported_inputs_are_refused(tmp_path: Path, corpus_file: Path) -> None:
    with pytest.raises(ValueError, match="folder"):
        corpus_format(tmp_path)
    with pytest.raises(ValueError, match="unknown corpus format"):
        corpus_format(tmp_path / "corpus.docx")
    assert corpus_format("a/b.JSONL.GZ") == "json"
    with pytest.raises(ValueError, match="no field"):
        load_corpus(corpus_file, text_field="body", cache_dir=str(tmp_path / "cache"))


def test_split_is_deterministic_and_disjoint_by_id(tmp_path: Path, docs) -> None:
    corpus = Dataset.from_list([{"id": d["id"], "text": d["text"]} for d in docs])
    train, val = split_by_id(corpus, val_permille=300)
    train_ids, val_ids = set(train["id"]), set(val["id"])
    assert train_ids.isdisjoint(val_ids)
    assert train_ids | val_ids == {d["id"] for d in docs}
    assert val_ids == {d["id"] for d in docs if is_validation(d["id"], 300)}
    assert 0 < len(val_ids) < len(docs)
    # Another file order, and a corpus with more documents: nobody changes sides.
    shuffled = list(docs)
    random.Random(1).shuffle(shuffled)
    more = [*shuffled, {"id": "doc-new", "text": "new words"}]
    train2, val2 = split_by_id(Dataset.from_list(more), val_permille=300)
    assert set(val2["id"]) - {"doc-new"} == val_ids
    assert set(train2["id"]) - {"doc-new"} == train_ids
    # Both parts come in a fixed (id-hash) order whatever the file order.
    train3, _ = split_by_id(Dataset.from_list(shuffled), val_permille=300)
    assert train3["id"] == train["id"]


def test_blocks_are_cls_piece_sep() -> None:
    tokens = list(range(1000, 1040))  # 40 tokens
    spec = BlockSpec(block_size=16, min_block_tokens=1)
    blocks = block_ids(tokens, spec, cls_id=101, sep_id=102)
    assert [len(b) for b in blocks] == [16, 16, 16 - 14 + 40 - 28]
    assert all(b[0] == 101 and b[-1] == 102 for b in blocks)
    assert [t for b in blocks for t in b[1:-1]] == tokens
    capped = block_ids(tokens, BlockSpec(16, 2, min_block_tokens=1), 101, 102)
    assert capped == blocks[:2]
    # The 12-token tail is dropped when pieces must hold at least 13 tokens.
    assert len(block_ids(tokens, BlockSpec(16, min_block_tokens=13), 101, 102)) == 2


def test_leading_tokens_equal_the_full_encodings_prefix(tokenizer_file: Path, docs) -> None:
    tok = Tokenizer.from_file(tokenizer_file)
    text = "  ".join(d["text"] for d in docs)
    full = tok.encode(text).ids
    for limit in (1, 7, 100, len(full) - 1, len(full), len(full) + 5):
        assert leading_tokens(tok, text, limit) == full[:limit]
    assert leading_tokens(tok, text, None) == full


def test_collate_pads_and_masks() -> None:
    ids, mask = collate_blocks([{"ids": [101, 5, 102]}, {"ids": list(range(16))}], 16, pad_id=0)
    assert ids.shape == mask.shape == (2, 16)
    assert ids.dtype == torch.long and mask.dtype == torch.bool
    assert mask[0].tolist() == [True] * 3 + [False] * 13
    assert ids[0, 3:].eq(0).all() and mask[1].all()
    with pytest.raises(ValueError, match="exceeds"):
        collate_blocks([{"ids": list(range(17))}], 16, pad_id=0)


def test_datamodule_gives_fixed_width_blocks(
    tmp_path: Path, corpus_file: Path, tokenizer_file: Path
) -> None:
    def build(**kw) -> BlockDataModule:
        dm = BlockDataModule(
            paths=[str(corpus_file)],
            block_size=16,
            min_block_tokens=2,
            val_permille=200,
            batch_size=4,
            tokenizer=str(tokenizer_file),
            cache_dir=str(tmp_path / "cache"),
            **kw,
        )
        dm.setup("fit")
        return dm

    dm = build()
    tok = Tokenizer.from_file(tokenizer_file)
    ids, mask = next(iter(dm.val_dataloader()))
    assert ids.shape == mask.shape == (4, 16)
    assert (ids[:, 0] == tok.cls_id).all()
    lengths = mask.sum(dim=1)
    assert (ids[torch.arange(4), lengths - 1] == tok.sep_id).all()
    assert set(dm.train_set["doc_id"]).isdisjoint(dm.val_set["doc_id"])
    # A cap takes the first blocks in id-hash order: a prefix of the uncapped sequence.
    capped = build(max_blocks=10, max_val_blocks=3)
    assert len(capped.train_set) == 10 and len(capped.val_set) == 3
    assert capped.train_set["ids"] == dm.train_set["ids"][:10]
    assert build(max_blocks=10, max_val_blocks=3).train_set["ids"] == capped.train_set["ids"]


@needs_minilm
def test_minilm_blocks_are_512_with_cls_and_sep(tmp_path: Path) -> None:
    tok = Tokenizer.minilm()
    text = "The Licensee shall pay the Licensor net thirty days after invoice. " * 200
    docs = Dataset.from_list([{"id": "a", "text": text}])
    blocks = tokenize_blocks(docs, BlockSpec(512), str(_minilm_tokenizer_file()))
    assert len(blocks) > 2
    for row in blocks.select(range(len(blocks) - 1)):
        assert len(row["ids"]) == 512
        assert row["ids"][0] == tok.cls_id == 101 and row["ids"][-1] == tok.sep_id == 102
    assert blocks[-1]["ids"][-1] == 102


def _minilm_tokenizer_file() -> Path:
    from lm.weights import minilm_files

    return minilm_files().tokenizer


def test_row_weights_match_the_naive_matrices() -> None:
    torch.manual_seed(1)
    b, h, t, d, f = 2, 3, 20, 8, 6
    q, k = torch.randn(b, h, t, d), torch.randn(b, h, t, d)
    fq, fk = torch.rand(b, h, t, f), torch.rand(b, h, t, f)
    log_scale = torch.randn(h)
    mask = torch.ones(b, t, dtype=torch.bool)
    mask[1, 13:] = False
    everything = sample_rows(mask, None)
    assert everything.tolist() == [list(range(t))] * b
    window = window_linear_weights(q, k, fq, fk, log_scale, 3, mask)
    torch.testing.assert_close(
        window_linear_rows(q, everything, k, fq, fk, log_scale, 3, mask), window
    )
    for causal in (False, True):
        torch.testing.assert_close(
            linear_rows(fq, everything, fk, mask, causal),
            linear_attention_weights(fq, fk, mask, causal),
        )
        scores = (q @ k.transpose(-1, -2)) / d**0.5
        allowed = mask[:, None, None, :] & (torch.ones(t, t).tril().bool() if causal else True)
        exact = scores.masked_fill(~allowed, float("-inf")).softmax(dim=-1)
        torch.testing.assert_close(softmax_weights(q, everything, k, mask, causal), exact)
    # A sample of rows is those rows of the full matrices, and only real positions are drawn.
    rows = sample_rows(mask, 5)
    assert rows.shape == (b, 5) and mask.gather(1, rows).all()
    assert len(set(rows[0].tolist())) == 5
    picked = window_linear_rows(
        select_rows(q, rows), rows, k, select_rows(fq, rows), fk, log_scale, 3, mask
    )
    torch.testing.assert_close(picked, select_rows(window, rows))


def test_teacher_is_the_exact_softmax_encoder() -> None:
    cfg = ModelConfig.from_name("tiny")
    student = LongBriefModel(cfg).eval()
    exact = LongBriefModel(cfg.replace(encoder_layers=("softmax",) * 3)).eval()
    exact.load_state_dict(student.state_dict(), strict=False)
    ids = torch.randint(5, 40, (2, 16))
    mask = torch.ones(2, 16, dtype=torch.bool)
    mask[0, 11:] = False
    teacher = teacher_encode(student, ids, mask)
    assert len(teacher.inputs) == 3
    reference = exact.encode(ids, mask)
    torch.testing.assert_close(teacher.output[mask], reference[mask])
    torch.testing.assert_close(teacher.inputs[0], student.embeddings(ids))
    cos_token, cos_pooled = token_cosines(reference, teacher.output, mask)
    assert cos_token.shape == (int(mask.sum()),) and cos_pooled.shape == (2,)
    assert torch.allclose(cos_token, torch.ones(())) and torch.allclose(cos_pooled, torch.ones(()))


def tiny_batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    ids = torch.randint(5, 40, (4, 16), generator=gen)
    mask = torch.ones(4, 16, dtype=torch.bool)
    mask[1, 9:] = False
    return ids, mask


def test_only_feature_maps_and_scales_are_trained() -> None:
    module = AttentionTransfer(preset="tiny", warm_start=False)
    assert [t.name for t in module.targets] == ["enc1", "enc2", "dec0", "dec1"]
    # The network stays in eval mode (no dropout in teacher or student) whatever the mode.
    assert not module.model.training
    module.train()
    assert module.training and not module.model.training
    loss = module.total_loss(module.layer_losses(*tiny_batch(), n_rows=None))
    loss.backward()
    trained = {n for n, p in module.named_parameters() if p.grad is not None}
    expected = {
        n
        for n, _ in module.named_parameters()
        if (n.startswith(("model.encoder.1.attn.features.", "model.encoder.2.attn.features.")))
        or n.startswith(
            ("model.decoder.0.self_attn.features.", "model.decoder.1.self_attn.features.")
        )
        or n == "model.encoder.1.attn.log_scale"
    }
    assert trained == expected
    assert {n for n, p in module.named_parameters() if p.requires_grad} == expected
    assert all(module.get_parameter(n).grad.abs().sum() > 0 for n in expected)


def test_gradient_checkpointing_gives_the_same_gradients(monkeypatch: pytest.MonkeyPatch) -> None:
    import training.transfer

    calls = []

    def counting_checkpoint(*args, **kwargs):
        calls.append(args[1].name)
        return checkpoint(*args, **kwargs)

    monkeypatch.setattr(training.transfer, "checkpoint", counting_checkpoint)
    grads = []
    for enabled in (False, True):
        torch.manual_seed(3)  # the same random weights and sampled query rows in both runs
        module = AttentionTransfer(preset="tiny", warm_start=False)
        module.model.set_gradient_checkpointing(enabled)
        loss = module.total_loss(module.layer_losses(*tiny_batch(), n_rows=8))
        loss.backward()
        grads.append({n: p.grad for n, p in module.named_parameters() if p.requires_grad})
    assert calls == [t.name for t in module.targets]  # only the checkpointed run, every layer
    assert grads[0].keys() == grads[1].keys() and grads[0]
    for name, grad in grads[0].items():
        torch.testing.assert_close(grads[1][name], grad, atol=1e-5, rtol=0, msg=name)


def test_a_few_steps_decrease_the_transfer_loss() -> None:
    module = AttentionTransfer(preset="tiny", warm_start=False, lr=3e-2)
    params = [p for p in module.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=3e-2, weight_decay=0.0)
    batch = tiny_batch()
    losses = []
    for _ in range(15):
        per_layer = module.layer_losses(*batch, n_rows=None)
        loss = module.total_loss(per_layer)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    final = module.total_loss(module.layer_losses(*batch, n_rows=None)).item()
    assert final < 0.7 * losses[0], losses
    # Per layer too: the KL of every target falls.
    before = AttentionTransfer(preset="tiny", warm_start=False).layer_losses(*batch)
    after = module.layer_losses(*batch)
    assert all(after[n].kl < before[n].kl for n in before)


def run_cli(*argv: str) -> None:
    from training.cli import main

    main(list(argv))


def probe_fit(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Record, in-process, what a CLI `fit` of AttentionTransfer does.

    `start`: the state at `on_train_start` (after Lightning restored a checkpoint); `clip`:
    (clip value, gradient norm after clipping) per optimizer step; `checkpointed`: layers run
    under activation checkpointing.
    """
    import training.transfer

    seen: dict[str, list] = {"start": [], "clip": [], "checkpointed": []}

    def on_train_start(self: AttentionTransfer) -> None:
        seen["start"].append(
            {
                "step": self.trainer.global_step,
                "precision": self.trainer.precision,
                "checkpointing": self.cfg.gradient_checkpointing,
                "params": {
                    n: p.detach().clone() for n, p in self.named_parameters() if p.requires_grad
                },
                "optimizer": copy.deepcopy(self.trainer.optimizers[0].state_dict()),
                "scheduler": self.trainer.lr_scheduler_configs[0].scheduler.state_dict(),
            }
        )

    clip = AttentionTransfer.configure_gradient_clipping

    def clip_and_measure(self, optimizer, gradient_clip_val=None, gradient_clip_algorithm=None):
        clip(self, optimizer, gradient_clip_val, gradient_clip_algorithm)
        norms = [p.grad.norm() for p in self.parameters() if p.grad is not None]
        seen["clip"].append((gradient_clip_val, torch.stack(norms).norm().item()))

    def counting_checkpoint(*args, **kwargs):
        seen["checkpointed"].append(args[1].name)
        return checkpoint(*args, **kwargs)

    monkeypatch.setattr(AttentionTransfer, "on_train_start", on_train_start)
    monkeypatch.setattr(AttentionTransfer, "configure_gradient_clipping", clip_and_measure)
    monkeypatch.setattr(training.transfer, "checkpoint", counting_checkpoint)
    return seen


def batches_done(ckpt: dict) -> int:
    return ckpt["loops"]["fit_loop"]["epoch_loop.batch_progress"]["total"]["completed"]


def test_cli_fit_resume_and_export(
    tmp_path: Path, corpus_file: Path, tokenizer_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt_dir = tmp_path / "ckpt"
    common = [
        "--config",
        str(TINY_CONFIG),
        "--data.init_args.paths",
        json.dumps([str(corpus_file)]),
        "--data.init_args.tokenizer",
        str(tokenizer_file),
        "--data.init_args.cache_dir",
        str(tmp_path / "cache"),
        "--trainer.logger.init_args.save_dir",
        str(tmp_path / "runs"),
        "--checkpoint.dirpath",
        str(ckpt_dir),
        # The run options of issue 4, all at once: they are Trainer/CLI options, not the module's.
        "--trainer.precision",
        "bf16-mixed",
        "--trainer.accumulate_grad_batches",
        "2",
        "--gradient_checkpointing",
        "true",
    ]
    seen = probe_fit(monkeypatch)
    # A second logger (as TensorBoard would be, where installed): the curves still get drawn.
    second = ["--trainer.logger+=CSVLogger", "--trainer.logger.save_dir", str(tmp_path / "second")]
    run_cli("fit", *common, *second, "--trainer.max_steps", "3")
    assert next((tmp_path / "second").rglob("metrics.csv")).stat().st_size > 0
    names = sorted(p.name for p in ckpt_dir.glob("*.ckpt"))
    assert "last.ckpt" in names and len(names) >= 2, names
    first = torch.load(ckpt_dir / "last.ckpt", map_location="cpu", weights_only=False)
    assert first["global_step"] == 3
    assert batches_done(first) == 6  # two batches accumulated into each optimizer step
    fresh = seen["start"][0]
    assert fresh["step"] == 0 and fresh["precision"] == "bf16-mixed" and fresh["checkpointing"]
    assert len(seen["clip"]) == 3
    assert all(value == 1.0 and norm <= 1.0 + 1e-4 for value, norm in seen["clip"])
    n_targets = len(AttentionTransfer(preset="tiny", warm_start=False).targets)
    assert len(seen["checkpointed"]) == 6 * n_targets  # every layer of every batch
    logs = next((tmp_path / "runs" / "transfer_tiny").glob("version_*"))
    assert (logs / "metrics.csv").read_text().count("\n") > 1
    if _has_matplotlib():
        assert (logs / "learning_curve.png").stat().st_size > 0

    run_cli("fit", *common, "--trainer.max_steps", "5", "--ckpt_path", "last")
    # Lightning restored step 3's weights, optimizer moments and schedule before training on.
    restored = seen["start"][1]
    assert restored["step"] == 3
    saved = first["state_dict"]
    assert any(not torch.equal(p, saved[n]) for n, p in fresh["params"].items())  # it trained
    for name, param in restored["params"].items():
        torch.testing.assert_close(param, saved[name], rtol=0, atol=0)
    saved_opt = first["optimizer_states"][0]
    assert restored["optimizer"]["state"].keys() == saved_opt["state"].keys()
    for index, state in saved_opt["state"].items():
        for key, tensor in state.items():
            torch.testing.assert_close(restored["optimizer"]["state"][index][key], tensor)
    assert restored["scheduler"]["last_epoch"] == first["lr_schedulers"][0]["last_epoch"] == 3
    resumed = torch.load(ckpt_dir / "last.ckpt", map_location="cpu", weights_only=False)
    assert resumed["global_step"] == 5 and batches_done(resumed) == 10
    assert len(seen["clip"]) == 5

    out = tmp_path / "export"
    run_cli("export", "--ckpt", str(ckpt_dir / "last.ckpt"), "--out", str(out))
    model = load_checkpoint(out)
    # A training switch: the exported config is the preset's (checkpointing off).
    assert model.cfg == ModelConfig.from_name("tiny")
    state = resumed["state_dict"]
    for name, tensor in model.state_dict().items():
        torch.testing.assert_close(tensor, state[f"model.{name}"], rtol=0, atol=0)


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


@needs_minilm
def test_checkpoints_leave_out_the_minilm_tensors() -> None:
    module = AttentionTransfer(query_rows=8)
    with torch.no_grad():
        for p in module.parameters():
            if p.requires_grad:
                p.add_(0.01)
    checkpoint = {"state_dict": module.state_dict()}
    module.on_save_checkpoint(checkpoint)
    kept = checkpoint["state_dict"]
    assert "model.embeddings.word.weight" not in kept
    assert "model.encoder.2.attn.features.q_map.weight" in kept
    assert "model.lm_head.dense.weight" in kept  # new (random) modules are kept
    assert sum(t.numel() for t in kept.values()) < 3_000_000
    fresh = AttentionTransfer(query_rows=8)
    fresh.on_load_checkpoint(checkpoint)
    fresh.load_state_dict(checkpoint["state_dict"])
    for name, tensor in module.state_dict().items():
        assert torch.equal(fresh.state_dict()[name], tensor), name
