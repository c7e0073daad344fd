"""Tests for the extractive head's architecture: text features as configured inputs, and
checkpoints whose head does not match their config refused with a CheckpointError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lm.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from lm.config import ModelConfig
from lm.layers.heads import ExtractiveHead
from lm.model import LongBriefModel

FEATURES = ("textrank", "number_share", "heading")


def tiny(features: tuple[str, ...] = ()) -> ModelConfig:
    return ModelConfig.from_name("tiny", extractive_features=features)


def pooled(b: int = 2, s: int = 6, d: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    """Pooled states `(b, s, d)` and token counts; the last row ends in two padded sentences
    (count 0, zero state, as `ExtractiveHead.pool` leaves them)."""
    torch.manual_seed(1)
    counts = torch.randint(1, 9, (b, s)).float()
    sent = torch.randn(b, s, d)
    if b > 1:
        counts[-1, -2:] = 0
        sent[-1, -2:] = 0
    return sent, counts


def test_config_names_the_features_and_round_trips():
    assert ModelConfig.from_name("tiny").extractive_features == ()
    cfg = tiny(list(FEATURES))
    assert cfg.extractive_features == FEATURES  # a tuple, whatever was given
    again = ModelConfig.from_dict(json.loads(json.dumps(cfg.to_dict())))
    assert again == cfg


def test_first_layer_width_follows_the_features():
    plain, rich = ExtractiveHead(tiny()), ExtractiveHead(tiny(FEATURES))
    assert plain.mlp[0].in_features == 4 * 32 + ExtractiveHead.N_SCALARS
    assert rich.mlp[0].in_features == plain.mlp[0].in_features + len(FEATURES)


def test_plain_head_is_the_original_computation():
    head = ExtractiveHead(tiny()).eval()
    sent, counts = pooled(1)
    n = sent.shape[1]
    doc = sent.mean(dim=1, keepdim=True).expand_as(sent)
    scalars = torch.stack(
        [
            torch.arange(n).float()[None] / n,
            torch.log1p(counts) / 5.0,
            F.cosine_similarity(sent, doc, dim=-1),
        ],
        dim=-1,
    )
    prev = torch.cat([torch.zeros(1, 1, 32), sent[:, :-1]], dim=1)
    nxt = torch.cat([sent[:, 1:], torch.zeros(1, 1, 32)], dim=1)
    expected = head.mlp(torch.cat([sent, prev, nxt, doc, scalars], dim=-1)).squeeze(-1)
    torch.testing.assert_close(head.score_pooled(sent, counts), expected)


def test_head_with_features_requires_them_and_reads_them():
    head = ExtractiveHead(tiny(FEATURES)).eval()
    sent, counts = pooled()
    with pytest.raises(ValueError, match="reads 3 sentence features"):
        head.score_pooled(sent, counts)
    with pytest.raises(ValueError, match="got 2"):
        head.score_pooled(sent, counts, torch.zeros(2, 6, 2))
    features = torch.zeros(2, 6, 3)
    base = head.score_pooled(sent, counts, features)
    features[0, 2, 0] = 1.0
    moved = head.score_pooled(sent, counts, features)
    assert moved[0, 2] != base[0, 2]
    torch.testing.assert_close(moved[1], base[1])


def test_features_of_padded_sentences_do_not_change_real_scores():
    head = ExtractiveHead(tiny(FEATURES)).eval()
    sent, counts = pooled()
    features = torch.rand(2, 6, 3)
    alone = head.score_pooled(sent[1:, :4], counts[1:, :4], features[1:, :4])
    features[1, 4:] = 99.0  # padding rows
    batched = head.score_pooled(sent, counts, features)
    torch.testing.assert_close(batched[1, :4], alone[0])


def test_gradients_reach_the_feature_weights():
    head = ExtractiveHead(tiny(FEATURES))
    sent, counts = pooled()
    head.score_pooled(sent, counts, torch.rand(2, 6, 3)).sum().backward()
    assert head.mlp[0].weight.grad[:, -3:].abs().sum() > 0


def _save(tmp_path: Path, features: tuple[str, ...], name: str) -> Path:
    torch.manual_seed(0)
    return save_checkpoint(LongBriefModel(tiny(features)), tmp_path / name, trained=("extractive",))


def _edit_config(directory: Path, **model_fields) -> None:
    path = directory / "config.json"
    meta = json.loads(path.read_text())
    for k, v in model_fields.items():
        if v is None:
            meta["model"].pop(k)
        else:
            meta["model"][k] = v
    path.write_text(json.dumps(meta))


def test_old_format_head_under_a_feature_config_is_refused(tmp_path):
    old = _save(tmp_path, (), "old")
    _edit_config(old, extractive_features=list(FEATURES))
    with pytest.raises(CheckpointError, match="weights do not match config"):
        load_checkpoint(old)


def test_feature_head_under_a_plain_config_is_refused(tmp_path):
    new = _save(tmp_path, FEATURES, "new")
    _edit_config(new, extractive_features=[])
    with pytest.raises(CheckpointError, match=r"extractive\.mlp\.0\.weight"):
        load_checkpoint(new)


def test_checkpoint_saved_before_features_existed_loads_as_the_plain_head(tmp_path):
    old = _save(tmp_path, (), "old")
    _edit_config(old, extractive_features=None)  # config.json written before the field
    model = load_checkpoint(old)
    assert model.extractive.features == ()
    sent, counts = pooled()
    reference = LongBriefModel(tiny())
    reference.load_state_dict(model.state_dict())
    torch.testing.assert_close(
        model.extractive.score_pooled(sent, counts),
        reference.extractive.eval().score_pooled(sent, counts),
    )


def test_feature_head_round_trips_through_a_checkpoint(tmp_path):
    new = _save(tmp_path, FEATURES, "new")
    model = load_checkpoint(new)
    assert model.cfg.extractive_features == FEATURES
    sent, counts = pooled()
    features = torch.rand(2, 6, 3)
    torch.manual_seed(0)
    original = LongBriefModel(tiny(FEATURES)).eval()
    torch.testing.assert_close(
        model.extractive.score_pooled(sent, counts, features),
        original.extractive.score_pooled(sent, counts, features),
    )
