"""Warm start from all-MiniLM-L6-v2 against an independent, plain BERT forward.

The reference below is written from the raw safetensors tensors and shares no code with lm/
beyond locating the verified file: word + position + token_type[0] embeddings, LayerNorm
(eps 1e-12), six post-LN layers of 12-head softmax attention and an exact-erf GELU FFN,
computed in float64.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from safetensors.torch import load_file

from lm.config import ModelConfig
from lm.model import LongBriefModel
from lm.warmstart import from_minilm, minilm_state, parameter_map, warm_start
from lm.weights import minilm_files

pytestmark = pytest.mark.usefixtures("single_thread")

LEGAL = (
    "This Master Services Agreement is made between ACME Corporation, a Delaware corporation "
    "(the Customer), and Widget Works LLC (the Supplier). The Supplier shall provide the "
    "services described in each Statement of Work. Fees are payable within thirty days of "
    "receipt of a valid invoice. Either party may terminate this Agreement on ninety days "
    "written notice. The aggregate liability of either party shall not exceed one million "
    "dollars. This Agreement is governed by the laws of the State of New York. "
)
N_HEADS, EPS = 12, 1e-12


# ---------------------------------------------------------------------------------------------
# The independent reference


def _layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    mean = x.mean(dim=-1, keepdim=True)
    var = (x - mean).pow(2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + EPS) * weight + bias


def _gelu(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def bert_reference(w: dict[str, torch.Tensor], ids: list[int]) -> torch.Tensor:
    """Token embeddings `(T, 384)` of the MiniLM BERT for one unpadded sequence, in float64."""
    t = len(ids)
    idx = torch.tensor(ids)
    x = (
        w["embeddings.word_embeddings.weight"][idx]
        + w["embeddings.position_embeddings.weight"][:t]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    d = x.shape[-1]
    dh = d // N_HEADS
    for i in range(6):
        p = f"encoder.layer.{i}."

        def lin(h: torch.Tensor, name: str, p: str = p) -> torch.Tensor:
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (
            lin(x, f"attention.self.{n}").reshape(t, N_HEADS, dh).transpose(0, 1)
            for n in ("query", "key", "value")
        )
        attn = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh), dim=-1)
        context = (attn @ v).transpose(0, 1).reshape(t, d)
        x = _layer_norm(
            x + lin(context, "attention.output.dense"),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        ffn = lin(_gelu(lin(x, "intermediate.dense")), "output.dense")
        x = _layer_norm(x + ffn, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    return x


@pytest.fixture(scope="module")
def reference_weights() -> dict[str, torch.Tensor]:
    return {k: v.double() for k, v in load_file(str(minilm_files().weights)).items()}


@pytest.fixture(scope="module")
def local_model() -> LongBriefModel:
    """Every encoder layer exact softmax over one 512-token block, warm-started."""
    cfg = ModelConfig.from_name("minilm", encoder_layers=("local",) * 6)
    return from_minilm(cfg).eval()


@pytest.fixture(scope="module")
def block_ids(minilm_tokenizer) -> list[int]:
    """[CLS] + 510 tokens of contract text + [SEP]: one full 512-token block."""
    body = minilm_tokenizer.encode(LEGAL * 8).ids
    assert len(body) >= 510
    return [minilm_tokenizer.cls_id, *body[:510], minilm_tokenizer.sep_id]


def per_token_cosine(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return F.cosine_similarity(a.double(), b.double(), dim=-1)


# ---------------------------------------------------------------------------------------------
# Reproducing MiniLM


@pytest.mark.minilm_required
def test_local_encoder_reproduces_minilm(local_model, reference_weights, block_ids) -> None:
    assert len(block_ids) == 512 == local_model.cfg.block_size
    with torch.no_grad():
        ours = local_model.encode(torch.tensor([block_ids]))[0]
    reference = bert_reference(reference_weights, block_ids)
    cos = per_token_cosine(ours, reference)
    assert cos.shape == (512,)
    assert cos.min() >= 0.9999, f"worst token {int(cos.argmin())}: cosine {cos.min():.6f}"
    torch.testing.assert_close(ours.double(), reference, atol=1e-4, rtol=0)


@pytest.mark.minilm_required
@pytest.mark.parametrize("length", [512, 77])
def test_softmax_kind_equals_local_within_a_block(length: int, local_model, block_ids) -> None:
    softmax_model = LongBriefModel(local_model.cfg.replace(encoder_layers=("softmax",) * 6))
    softmax_model.load_state_dict(local_model.state_dict())
    ids = torch.tensor([block_ids[:length]])
    with torch.no_grad():
        a = local_model.encode(ids)
        b = softmax_model.eval().encode(ids)
    torch.testing.assert_close(b, a, atol=1e-5, rtol=0)


@pytest.mark.minilm_required
def test_sentence_embedding_matches_reference(
    local_model, reference_weights, minilm_tokenizer
) -> None:
    sentence = "The lessee shall pay the monthly rent of $2,500 on the first day of each month."
    ids = [minilm_tokenizer.cls_id, *minilm_tokenizer.encode(sentence).ids, minilm_tokenizer.sep_id]
    with torch.no_grad():
        ours = local_model.encode(torch.tensor([ids]))[0].mean(dim=0)
    reference = bert_reference(reference_weights, ids).mean(dim=0)
    assert per_token_cosine(ours, reference).item() >= 0.9999


@pytest.mark.minilm_required
def test_padding_does_not_change_warm_started_embeddings(local_model, block_ids) -> None:
    short = block_ids[:40]
    ids = torch.zeros(2, 100, dtype=torch.long)
    mask = torch.zeros(2, 100, dtype=torch.bool)
    ids[0, :40], mask[0, :40] = torch.tensor(short), True
    ids[1], mask[1] = torch.tensor(block_ids[:100]), True
    with torch.no_grad():
        alone = local_model.encode(torch.tensor([short]))[0]
        batched = local_model.encode(ids, mask)[0, :40]
    torch.testing.assert_close(batched, alone, atol=1e-5, rtol=0)


# ---------------------------------------------------------------------------------------------
# What warm start copies, and what it refuses


def test_warm_start_refuses_tiny() -> None:
    tiny = LongBriefModel(ModelConfig.from_name("tiny"))
    with pytest.raises(ValueError, match=r"'tiny' cannot warm-start from MiniLM.*d_model"):
        warm_start(tiny)
    with pytest.raises(ValueError, match="cannot warm-start"):
        minilm_state(tiny.cfg)


def test_warm_start_refuses_too_many_layers() -> None:
    cfg = ModelConfig.from_name("minilm", encoder_layers=("local",) * 7)
    with pytest.raises(ValueError, match="MiniLM has 6 layers"):
        minilm_state(cfg)


@pytest.mark.minilm_required
def test_decoder_cross_attention_starts_as_self_attention(local_model, reference_weights) -> None:
    cfg = local_model.cfg
    params = dict(local_model.named_parameters())
    for i in range(cfg.n_decoder_layers):
        for proj in ("query", "key", "value", "out"):
            for p in ("weight", "bias"):
                cross = params[f"decoder.{i}.cross_attn.proj.{proj}.{p}"]
                self_ = params[f"decoder.{i}.self_attn.proj.{proj}.{p}"]
                assert torch.equal(cross, self_), (i, proj, p)
                assert cross.data_ptr() != self_.data_ptr()  # a copy, not a shared tensor
        for p in ("weight", "bias"):
            assert torch.equal(
                params[f"decoder.{i}.cross_res.norm.{p}"], params[f"decoder.{i}.self_res.norm.{p}"]
            )
        # ... and both are MiniLM layer i's attention.
        assert torch.equal(
            params[f"decoder.{i}.self_attn.proj.query.weight"].double(),
            reference_weights[f"encoder.layer.{i}.attention.self.query.weight"],
        )
        assert torch.equal(
            params[f"decoder.{i}.ffn.fc2.bias"].double(),
            reference_weights[f"encoder.layer.{i}.output.dense.bias"],
        )


@pytest.mark.minilm_required
def test_warm_start_leaves_new_parameters_alone(local_model) -> None:
    fresh = LongBriefModel(ModelConfig.from_name("minilm"))
    loaded = warm_start(fresh)
    assert loaded == set(minilm_state(fresh.cfg))
    assert len(loaded) == len(parameter_map(fresh.cfg))
    own = set(fresh.state_dict())
    assert loaded < own
    untouched = own - loaded
    assert "embeddings.block_gain" in untouched and "lm_head.bias" in untouched
    assert any(".features." in name for name in untouched)
    assert torch.equal(fresh.embeddings.block_gain, torch.zeros(fresh.cfg.d_model))
