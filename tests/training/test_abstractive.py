"""Objective 3 (abstractive): the decoder trained on the pipeline's own inputs.

Tiny preset, random weights, a generated corpus (no shared data); the MiniLM tokenizer is the
only installed file used (the pipeline's engine always reads text with it).
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from lm.checkpoint import checkpoint_info, save_checkpoint
from lm.weights import minilm_available
from pipeline.engine import Engine, EngineConfig
from pipeline.summarize import SummaryOptions, summarize_documents
from training.abstractive import (
    AbstractiveSummarizer,
    LengthBuckets,
    label_smoothed_nll,
    select_records,
    teacher_forcing,
)
from training.extractive import SummaryRecord, as_document
from training.splits import is_validation

ROOT = Path(__file__).resolve().parents[2]
TINY_CONFIG = ROOT / "configs" / "train" / "abstractive_tiny.yaml"
pytestmark = pytest.mark.skipif(
    not minilm_available(), reason="verified MiniLM tokenizer files are not installed"
)

COMPANIES = ["Acme", "Borealis", "Cobalt", "Dunmore", "Everline", "Fairhaven"]
FILLER = [
    "Thank you for joining the call today.",
    "We remain focused on our customers and on disciplined execution.",
    "Let me now turn to the outlook for the rest of the year.",
    "Our teams delivered well across every region.",
    "We will take questions after the prepared remarks.",
]


def make_record(i: int, rng: random.Random) -> dict[str, str]:
    """An earnings-call-like record whose summary restates two of its numbered sentences."""
    name = COMPANIES[i % len(COMPANIES)]
    revenue = f"${rng.randint(10, 99)}.{rng.randint(1, 9)} million"
    growth = f"{rng.randint(2, 40)}%"
    facts = [
        f"{name} reported quarterly revenue of {revenue}.",
        f"Net income grew {growth} compared with last year.",
    ]
    sentences = FILLER[:2] + facts[:1] + FILLER[2:4] + facts[1:] + FILLER[4:]
    return {
        "id": f"call-{i:03d}",
        "text": "\n".join(sentences),
        "summary": f"{name} revenue of {revenue}.\nNet income up {growth}.",
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "calls_train.jsonl.gz"
    rng = random.Random(0)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(24):
            fh.write(json.dumps(make_record(i, rng)) + "\n")
    return path


def records(corpus: Path, n: int) -> list[SummaryRecord]:
    return select_records([str(corpus)], False, n, 200)


def tiny(**overrides) -> AbstractiveSummarizer:
    """A tiny module with deterministic random weights (the same for the same seed)."""
    torch.manual_seed(0)
    options = {
        "preset": "tiny",
        "warm_start": False,
        "cache_dir": None,
        "cache_dtype": "float32",
        "bf16_encode": False,
        "max_target_tokens": 24,
        "passage_tokens": 64,
    }
    return AbstractiveSummarizer(**{**options, **overrides})


def test_label_smoothing_and_teacher_forcing() -> None:
    x, y, mask = teacher_forcing([[5, 6], [7]], bos=1, eos=2, pad=0)
    assert x.tolist() == [[1, 5, 6], [1, 7, 0]]
    assert y.tolist() == [[5, 6, 2], [7, 2, 0]]
    assert mask.tolist() == [[True, True, True], [True, True, False]]
    logprobs = torch.randn(2, 3, 11).log_softmax(-1)
    loss0, nll = label_smoothed_nll(logprobs, y, mask, 0.0)
    expected = -logprobs.gather(-1, y[..., None]).squeeze(-1)[mask].mean()
    torch.testing.assert_close(loss0, expected)
    torch.testing.assert_close(nll, expected)
    loss1, _ = label_smoothed_nll(logprobs, y, mask, 1.0)
    torch.testing.assert_close(loss1, -logprobs.mean(-1)[mask].mean())


def test_length_buckets_cover_every_document_once_with_similar_lengths() -> None:
    lengths = [random.Random(i).randint(1, 1000) for i in range(103)]
    sampler = LengthBuckets(lengths, batch_size=4, window=100)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 26
    assert sorted(i for b in batches for i in b) == list(range(103))
    # One window holds every document: a batch spans neighbours in the sorted lengths.
    spread = max(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches)
    assert spread < 200
    assert list(sampler) != batches  # a new order every epoch


def test_training_never_sees_validation_ids(corpus: Path) -> None:
    train = records(corpus, 100)
    assert train and not any(is_validation(r.doc_id, 200) for r in train)
    held_out = select_records([str(corpus)], True, 100, 200)
    assert held_out and all(is_validation(r.doc_id, 200) for r in held_out)


def test_a_few_steps_lower_the_loss(corpus: Path, tmp_path: Path) -> None:
    module = tiny(cache_dir=str(tmp_path / "cache"))
    batch = records(corpus, 2)
    params = [p for p in module.parameters() if p.requires_grad]
    assert params and not any(p.requires_grad for p in module.model.encoder.parameters())
    optimizer = torch.optim.AdamW(params, lr=1e-2)
    with torch.no_grad():
        before = module.losses(batch, "hybrid")[0].item()
    for _ in range(8):
        loss, _ = module.losses(batch, "hybrid")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        after = module.losses(batch, "hybrid")[0].item()
    assert after < before - 0.5, (before, after)


def test_hybrid_inputs_hold_the_oracle_sentences_tokens(corpus: Path) -> None:
    module = tiny()
    record = records(corpus, 1)[0]
    example = module.example(record, "hybrid")
    assert example.source.passages is not None
    copied = module.engine.tokenizer.decode(example.source.ids[example.source.passages].tolist())
    # The oracle picks what the summary restates (up to its length), none of the filler.
    assert "revenue" in copied
    assert not any(f.lower().rstrip(".") in copied for f in FILLER)
    assert module.example(record, "abstractive").source.passages is None


def test_cached_encoder_outputs_give_the_uncached_loss(corpus: Path, tmp_path: Path) -> None:
    batch = records(corpus, 3)
    plain = tiny().eval()
    cached = tiny(cache_dir=str(tmp_path / "cache")).eval()
    with torch.no_grad():
        expected = plain.losses(batch, "hybrid")[0]
        first = cached.losses(batch, "hybrid")[0]  # encodes and writes the cache
        files = sorted((tmp_path / "cache").glob("*/*.safetensors"))
        assert len(files) == 3
        # Prove the second pass reads the cache: a changed file changes the loss.
        second = cached.losses(batch, "hybrid")[0]
    assert first.item() == expected.item() == second.item()
    sha = as_document(batch[0]).sha256
    assert any(f.name.startswith(sha[:32]) for f in files)
    tensors = load_file(str(files[0]))
    assert set(tensors) == {"ids", "memory"} and tensors["memory"].dtype == torch.float32
    tensors["memory"] = tensors["memory"] + 1.0
    save_file(tensors, str(files[0]))
    with torch.no_grad():
        changed = cached.losses(batch, "hybrid")[0]
    assert changed.item() != expected.item()


def run_cli(*argv: str) -> None:
    from training.cli import main

    main(list(argv))


def test_fit_export_and_the_pipeline_runs_the_decoder_modes(corpus: Path, tmp_path: Path) -> None:
    ckpt_dir = tmp_path / "ckpt"
    run_cli(
        "fit",
        "--config",
        str(TINY_CONFIG),
        "--data.init_args.paths",
        json.dumps([str(corpus)]),
        "--model.init_args.cache_dir",
        str(tmp_path / "cache"),
        "--trainer.logger.init_args.save_dir",
        str(tmp_path / "runs"),
        "--checkpoint.dirpath",
        str(ckpt_dir),
    )
    metrics = next((tmp_path / "runs").rglob("metrics.csv")).read_text()
    assert "train/loss" in metrics and "val/loss_hybrid" in metrics
    out = tmp_path / "export"
    run_cli(
        "export",
        "--ckpt",
        str(ckpt_dir / "last.ckpt"),
        "--module",
        "training.abstractive.AbstractiveSummarizer",
        "--out",
        str(out),
    )
    assert checkpoint_info(out).trained == ("abstractive",)
    engine = Engine.load(EngineConfig(checkpoint=out, bf16=False))
    assert engine.has_decoder
    doc = as_document(records(corpus, 1)[0])
    for mode in ("hybrid", "abstractive"):
        options = SummaryOptions(
            mode=mode, terms=False, summary_words=20, num_beams=2, max_new_tokens=6
        )
        report = summarize_documents(engine, [doc], options)
        assert report.mode == mode
        assert report.guard.checked >= 1
        # Generated or replaced, every sentence cites the document.
        assert all(
            c.doc_id == doc.doc_id for s in report.documents[0].sentences for c in s.citations
        )


def test_a_checkpoint_refuses_a_changed_start(tmp_path: Path) -> None:
    start = tmp_path / "start"
    save_checkpoint(tiny().model, start)
    module = tiny(checkpoint=str(start))
    saved = {"state_dict": module.state_dict()}
    module.on_save_checkpoint(saved)
    assert (
        saved["longbrief_omitted"] and "model.encoder.0.ffn.fc1.weight" not in saved["state_dict"]
    )
    tiny(checkpoint=str(start)).on_load_checkpoint(saved)  # the same start: restored
    assert torch.equal(
        saved["state_dict"]["model.encoder.0.ffn.fc1.weight"],
        module.model.encoder[0].ffn.fc1.weight,
    )
    changed = tiny().model
    with torch.no_grad():
        changed.encoder[0].ffn.fc1.weight.add_(1.0)
    save_checkpoint(changed, start)
    again = {"state_dict": module.state_dict()}
    module.on_save_checkpoint(again)
    again["longbrief_start_sha256"] = saved["longbrief_start_sha256"]
    with pytest.raises(ValueError, match="not the start checkpoint"):
        tiny(checkpoint=str(start)).on_load_checkpoint(again)
