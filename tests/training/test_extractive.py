"""Tests for the extractive head's training: splits, the growing cache, collation, the Lightning
module, export and the development ROUGE. A tiny random model and generated corpora: no
../shared/data, a few seconds."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from lm.checkpoint import checkpoint_info, load_checkpoint, save_checkpoint
from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from pipeline.engine import Engine, EngineConfig
from pipeline.sentence_features import DEFAULT_FEATURES
from training import extractive as ext
from training.splits import is_validation

FEATURES = ("textrank", "amount", "heading")
FIGURES = (
    "Revenue for the quarter rose 12% to $1.4 billion.",
    "Adjusted earnings per share were $0.85, up from $0.61.",
    "We expect full-year revenue of $5.2 billion to $5.4 billion.",
)
FILLER = (
    "Our teams continued to work closely with customers across every region.",
    "We remain focused on execution and on the long-term strategy we set out.",
    "Thank you all for joining the call this morning and for your questions.",
    "Operator, please open the line for the next question from the analysts.",
)


def corpus(path: Path, n: int, figures: tuple[str, ...] = FIGURES, prefix: str = "call") -> Path:
    """`n` small earnings-call-like records whose summaries restate the figures."""
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(n):
            sentences = [*FILLER[: 1 + i % 3], *figures, *FILLER[i % 3 :]]
            summary = "q3 revenue rose 12 percent to $1.4 billion.\nadjusted eps $0.85."
            row = {"id": f"{prefix}-{i}", "text": "\n".join(sentences), "summary": summary}
            f.write(json.dumps(row) + "\n")
    return path


@pytest.fixture(scope="module")
def tiny_engine() -> Engine:
    torch.manual_seed(0)
    model = LongBriefModel(ModelConfig.from_name("tiny"))
    return Engine(model, Tokenizer.minilm(), "tiny", (), EngineConfig(bf16=False))


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory, tiny_engine) -> Path:
    directory = tmp_path_factory.mktemp("base") / "tiny"
    return save_checkpoint(tiny_engine.model, directory)


# --- splits ----------------------------------------------------------------------------------


def test_dev_slice_is_inside_the_training_split_and_disjoint_from_validation():
    ids = [f"doc-{i}" for i in range(3000)]
    splits = {i: ext.split_of(i) for i in ids}
    assert set(splits.values()) == {"train", "dev", "val"}
    for doc_id, split in splits.items():
        assert (split == "val") == is_validation(doc_id)
        assert split == ext.split_of(doc_id)  # deterministic
    share = sum(s == "dev" for s in splits.values()) / len(ids)
    assert 0.07 < share < 0.13  # buckets 100..199 of 1000
    assert ext.split_of("doc-1", dev_permille=0) != "dev"


# --- the cache ---------------------------------------------------------------------------------


def test_cache_holds_states_labels_and_features_and_skips_validation(tmp_path, tiny_engine):
    data = corpus(tmp_path / "calls.jsonl.gz", 30)
    docs = ext.build_cache(tiny_engine, [str(data)], tmp_path / "cache", 12, FEATURES)
    assert len(docs) == 12 and {d.split for d in docs} <= {"train", "dev"}
    assert not any(is_validation(d.record.doc_id) for d in docs)
    assert len({d.path for d in docs}) == 12
    for d in docs:
        t = load_file(str(d.path))
        s = t["labels"].shape[0]
        assert t["sent"].shape == (s, tiny_engine.model.cfg.d_model)
        assert t["counts"].shape == (s,) and (t["counts"] > 0).all()
        assert t["features"].shape == (s, len(FEATURES))
        # The oracle labels the figures, the only sentences the reference restates.
        labelled = {i for i in range(s) if t["labels"][i] > 0}
        assert labelled and labelled <= {i for i in range(s) if t["features"][i, 1] == 1.0}


@pytest.fixture
def encoded(monkeypatch) -> list[str]:
    """The ids of the documents `training.extractive` encodes from here on, in order."""
    ids: list[str] = []
    real = ext.encode_example

    def counting(engine, record, features=(), seg=None):
        ids.append(record.doc_id)
        return real(engine, record, features, seg)

    monkeypatch.setattr(ext, "encode_example", counting)
    return ids


def test_cache_grows_and_refreshes_features_without_re_encoding(tmp_path, tiny_engine, encoded):
    data = corpus(tmp_path / "calls.jsonl.gz", 20)
    cache = tmp_path / "cache"
    first = ext.build_cache(tiny_engine, [str(data)], cache, 4, FEATURES)
    assert len(encoded) == 4
    states = {d.path: load_file(str(d.path))["sent"] for d in first}

    grown = ext.build_cache(tiny_engine, [str(data)], cache, 7, FEATURES)
    assert [d.path for d in grown[:4]] == [d.path for d in first]
    assert len(encoded) == 7  # only the three new documents

    ext.build_cache(tiny_engine, [str(data)], cache, 7, ("numbers",))
    assert len(encoded) == 7  # a new feature set re-encodes nothing
    for path, sent in states.items():
        t = load_file(str(path))
        assert t["features"].shape[1] == 1
        assert torch.equal(t["sent"], sent)


def test_cache_re_encodes_a_document_segmented_differently(tmp_path, tiny_engine):
    data = corpus(tmp_path / "calls.jsonl.gz", 5)
    (doc, *_) = ext.build_cache(tiny_engine, [str(data)], tmp_path / "cache", 1, FEATURES)
    stale = load_file(str(doc.path))
    view = ext.example_view(ext.segment(ext.as_document(doc.record)), doc.record, FEATURES)
    ext._save({k: v[:-1] for k, v in stale.items()}, doc.path, FEATURES, view)  # one short
    ext.build_cache(tiny_engine, [str(data)], tmp_path / "cache", 1, FEATURES)
    assert load_file(str(doc.path))["labels"].shape == stale["labels"].shape


LONG_FIGURES = (
    "In the quarter, we delivered comparable store sales growth of 5.8%, and adjusted operating "
    "income margin of 11.4%, an increase of 11 basis points versus the prior year.",
    "Revenue for the quarter rose 12% to $1.4 billion; adjusted earnings per share were $0.85 "
    "compared with $0.61 a year ago in the same quarter.",
)
UNIT_FEATURES = ("amount", "heading", "unit_share")


def long_corpus(path: Path, n: int) -> Path:
    """Records of long sentences with a terse summary: the pipeline selects clause units."""
    return corpus(path, n, LONG_FIGURES, "long")


def test_unit_head_caches_clause_units_with_unit_level_oracle_labels(tmp_path, tiny_engine):
    data = long_corpus(tmp_path / "long.jsonl.gz", 4)
    (doc, *_) = ext.build_cache(tiny_engine, [str(data)], tmp_path / "cache", 1, UNIT_FEATURES)
    seg = ext.segment(ext.as_document(doc.record))
    view = ext.example_view(seg, doc.record, UNIT_FEATURES)
    assert view.split
    t = load_file(str(doc.path))
    units = view.seg.sentences
    assert t["labels"].shape[0] == len(units) > len(seg.sentences)
    assert (t["counts"] > 0).all() and t["features"].shape == (len(units), 3)
    chosen = [units[i].text for i in range(len(units)) if t["labels"][i] > 0]
    # The oracle picks the clause with the revenue figure, not its whole sentence.
    assert "Revenue for the quarter rose 12% to $1.4 billion" in chosen
    assert all(u in seg.doc.text for u in chosen)
    # Pooled over the unit's own tokens: each unit's count is its token count.
    bundle = tiny_engine.encode([seg])
    ids = ext.map_tokens_to_sentences(view.seg, bundle.documents[0].offsets)
    assert t["counts"].tolist() == [float(ids.count(i)) for i in range(len(units))]


def test_cache_switches_units_by_re_encoding_and_appends_new_features(
    tmp_path, tiny_engine, encoded
):
    data = long_corpus(tmp_path / "long.jsonl.gz", 4)
    cache = tmp_path / "cache"
    (doc,) = ext.build_cache(tiny_engine, [str(data)], cache, 1, ("amount", "heading"))
    sentences = load_file(str(doc.path))
    ext.build_cache(tiny_engine, [str(data)], cache, 1, UNIT_FEATURES)
    assert len(encoded) == 2  # sentences -> clause units: encoded again
    units = load_file(str(doc.path))
    assert units["labels"].shape[0] > sentences["labels"].shape[0]

    ext.build_cache(tiny_engine, [str(data)], cache, 1, (*UNIT_FEATURES, "numbers"))
    assert len(encoded) == 2  # one more feature: a column appended, nothing re-encoded
    grown = load_file(str(doc.path))
    assert torch.equal(grown["features"][:, :3], units["features"])
    assert torch.equal(grown["sent"], units["sent"])
    assert grown["features"].shape[1] == 4

    # Clause units cut elsewhere (the cutting rules changed): the same count is not enough.
    view = ext.example_view(ext.segment(ext.as_document(doc.record)), doc.record, UNIT_FEATURES)
    moved = dataclasses.replace(
        view, seg=dataclasses.replace(view.seg, sentences=view.seg.sentences[::-1])
    )
    ext._save(grown, doc.path, (*UNIT_FEATURES, "numbers"), moved)
    ext.build_cache(tiny_engine, [str(data)], cache, 1, (*UNIT_FEATURES, "numbers"))
    assert len(encoded) == 3


def test_collate_pads_states_counts_labels_and_features():
    items = [
        {
            "sent": torch.ones(n, 4).half(),
            "counts": torch.full((n,), 3.0),
            "labels": torch.ones(n),
            "features": torch.full((n, 2), 0.5),
        }
        for n in (2, 5)
    ]
    batch = ext.collate(items)
    assert batch["sent"].shape == (2, 5, 4) and batch["features"].shape == (2, 5, 2)
    assert batch["counts"][0].tolist() == [3, 3, 0, 0, 0]
    assert batch["features"][0, 2:].abs().sum() == 0 and batch["labels"][0, 2:].sum() == 0


# --- training, export, development ROUGE --------------------------------------------------------


def test_module_trains_a_fresh_head_that_reads_its_features(tmp_path, tiny_engine, tiny_base):
    data = corpus(tmp_path / "calls.jsonl.gz", 24)
    docs = ext.build_cache(tiny_engine, [str(data)], tmp_path / "cache", 20, FEATURES)
    torch.manual_seed(0)
    module = ext.ExtractiveHeadModule(str(tiny_base), lr=1e-2, features=FEATURES)
    assert module.model.cfg.extractive_features == FEATURES
    trainable = {n for n, p in module.model.named_parameters() if p.requires_grad}
    assert trainable and all(n.startswith("extractive.") for n in trainable)
    batch = ext.collate([load_file(str(d.path)) for d in docs])
    optimizer = module.configure_optimizers()
    before = float(module._loss(batch).detach())
    for _ in range(30):
        optimizer.zero_grad()
        module._loss(batch).backward()
        optimizer.step()
    assert float(module._loss(batch).detach()) < 0.5 * before

    out = ext.export_with_head(module, tmp_path / "exported", notes="test")
    info = checkpoint_info(out)
    assert info.trained == ("extractive",) and info.config.extractive_features == FEATURES
    loaded = load_checkpoint(out)
    torch.testing.assert_close(
        loaded.extractive.score_pooled(batch["sent"], batch["counts"], batch["features"]),
        module.model.extractive.eval().score_pooled(
            batch["sent"], batch["counts"], batch["features"]
        ),
    )

    (score,) = ext.dev_rouge(module.model.extractive, docs)
    assert score.corpus == "calls.jsonl.gz" and score.documents == len(docs)
    # The trained head picks the figures the reference restates; a fresh one does not.
    fresh_head = ext.ExtractiveHeadModule(str(tiny_base), features=FEATURES).model.extractive
    (fresh,) = ext.dev_rouge(fresh_head, docs)
    assert score.rouge2 > fresh.rouge2 + 5.0


def test_main_caches_trains_exports_and_reports_dev_rouge(tmp_path, tiny_base, monkeypatch):
    data = corpus(tmp_path / "calls.jsonl.gz", 24)
    out = tmp_path / "head"
    ext.main(
        [
            "--data",
            str(data),
            "--checkpoint",
            str(tiny_base),
            "--out",
            str(out),
            "--cache",
            str(tmp_path / "cache"),
            "--train-per-file",
            "20",
            "--epochs",
            "2",
            "--features",
            ",".join(FEATURES),
        ]
    )
    info = checkpoint_info(out)
    assert info.config.extractive_features == FEATURES and "extractive" in info.trained
    assert "sentence features: textrank, amount, heading" in info.notes
    (dev,) = json.loads((out / "dev_rouge.json").read_text())
    assert dev["corpus"] == "calls.jsonl.gz" and dev["documents"] >= 1
    assert 0.0 <= dev["rouge2"] <= 100.0


def test_default_features_parse_and_none_means_the_plain_head():
    assert ext._features("none") == ()
    assert ext._features("textrank, amount") == ("textrank", "amount")
    assert set(FEATURES) <= set(DEFAULT_FEATURES)


def test_sampled_negatives_are_weighted_to_stand_for_all_of_them(tiny_base):
    module = ext.ExtractiveHeadModule(str(tiny_base), features=(), negatives_per_doc=2)
    labels = torch.tensor([[1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0]]).float()
    counts = torch.tensor([[3, 3, 3, 3, 3, 3, 3, 0], [2, 2, 2, 0, 0, 0, 0, 0]]).float()
    batch = {"sent": torch.randn(2, 8, 32), "counts": counts, "labels": labels}
    torch.manual_seed(0)
    total = torch.zeros(2, 8)
    for _ in range(300):
        w = module._negative_weights(batch)
        assert w[0, 0] == 1.0 and w[1, 1] == 1.0  # positives always
        assert w[0, 7] == 0.0 and (w[1, 3:] == 0).all()  # padding never
        assert sorted(w[0, 1:7].tolist()) == [0, 0, 0, 0, 3.0, 3.0]  # 2 of 6 negatives, x3
        assert sorted(w[1, [0, 2]].tolist()) == [1.0, 1.0]  # fewer negatives than 2: all
        total += w
    # Every negative is drawn about as often: in expectation each counts once.
    torch.testing.assert_close(total[0, 1:7] / 300, torch.ones(6), atol=0.25, rtol=0)
    loss = module._loss(batch, sample=True)
    assert torch.isfinite(loss) and loss.requires_grad


def test_per_document_loss_weighs_a_short_document_like_a_long_one(tiny_base):
    module = ext.ExtractiveHeadModule(str(tiny_base), features=(), per_document=True)
    torch.manual_seed(0)
    long_doc = {"sent": torch.randn(1, 40, 32), "counts": torch.ones(1, 40)}
    long_doc["labels"] = (torch.arange(40) < 4).float()[None]
    short = {"sent": torch.randn(1, 40, 32), "counts": torch.zeros(1, 40)}
    short["counts"][0, :5] = 1.0
    short["labels"] = (torch.arange(40) < 1).float()[None]
    both = {k: torch.cat([long_doc[k], short[k]]) for k in long_doc}
    expected = (module._loss(long_doc) + module._loss(short)) / 2
    torch.testing.assert_close(module._loss(both), expected)
    module.hparams.per_document = False
    assert not torch.allclose(module._loss(both), expected)
