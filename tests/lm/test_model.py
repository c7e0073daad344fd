"""LongBriefModel: incremental decoding, padding/batching invariance, heads, gradients."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

import lm.model
from lm.layers.heads import CopySource, ExtractiveHead
from lm.model import LongBriefModel, Passages

pytestmark = pytest.mark.usefixtures("single_thread")

B = 2
SOURCE_LENGTHS = (23, 41)  # not multiples of the tiny block (16), window (4) or chunk (8)


def stepwise(model: LongBriefModel, target: torch.Tensor, inputs) -> torch.Tensor:
    """Log-probs `(B, T, V)` from `start` + `decode_step`, one token at a time."""
    state = model.start(inputs)
    steps = []
    for t in range(target.shape[1]):
        logprobs, state = model.decode_step(target[:, t], state)
        steps.append(logprobs)
    assert state.position == target.shape[1]
    return torch.stack(steps, dim=1)


# ---------------------------------------------------------------------------------------------
# Decoder: incremental == parallel


@pytest.mark.parametrize("with_passages", [False, True], ids=["no-passages", "passages"])
@pytest.mark.parametrize("length", [13, 37])  # 37 crosses chunk_size 8 and block_size 16
@torch.no_grad()
def test_incremental_decoding_matches_parallel(
    length: int, with_passages: bool, tiny_model, make_source, prepare_source
) -> None:
    src = make_source(SOURCE_LENGTHS, passage_counts=(5, 9) if with_passages else None)
    inputs = prepare_source(tiny_model, src)
    assert (inputs.copy is not None) == with_passages
    target = torch.randint(1000, 30000, (B, length))
    target[:, 0] = tiny_model.cfg.bos_id
    parallel = tiny_model.decode(target, inputs)
    incremental = stepwise(tiny_model, target, inputs)
    assert parallel.shape == incremental.shape == (B, length, tiny_model.cfg.vocab_size)
    assert torch.isfinite(parallel).all()
    torch.testing.assert_close(incremental, parallel, atol=1e-4, rtol=0)


# ---------------------------------------------------------------------------------------------
# Padding and batching do not change a sequence's output


@pytest.mark.parametrize(
    ("layers", "feature_map"),
    [
        (("local", "hybrid", "linear"), "hedgehog"),  # the tiny preset
        (("softmax", "hybrid", "linear"), "favor"),
        (("hybrid", "local", "linear"), "elu"),
        (("linear", "hybrid"), "relu"),
    ],
)
def test_encoder_padding_invariance(
    layers: tuple[str, ...], feature_map: str, make_model, make_source
) -> None:
    tiny_model = make_model(encoder_layers=layers, feature_map=feature_map)
    both = make_source(SOURCE_LENGTHS)
    n = SOURCE_LENGTHS[0]
    with torch.no_grad():
        alone = tiny_model.encode(both.ids[:1, :n], both.mask[:1, :n])
        alone_unmasked = tiny_model.encode(both.ids[:1, :n])
        batched = tiny_model.encode(both.ids, both.mask)
        # The longer sequence first, the shorter padded behind it.
        flipped = tiny_model.encode(both.ids.flip(0), both.mask.flip(0))
    torch.testing.assert_close(alone_unmasked, alone, atol=1e-5, rtol=0)
    torch.testing.assert_close(batched[0, :n], alone[0], atol=1e-5, rtol=0)
    torch.testing.assert_close(flipped[1, :n], alone[0], atol=1e-5, rtol=0)
    torch.testing.assert_close(flipped[0], batched[1], atol=1e-5, rtol=0)


def test_encoder_padding_content_is_ignored(tiny_model, make_source) -> None:
    src = make_source(SOURCE_LENGTHS)
    n = SOURCE_LENGTHS[0]
    junk = src.ids.clone()
    junk[0, n:] = torch.randint(1000, 30000, (junk.shape[1] - n,))
    with torch.no_grad():
        a = tiny_model.encode(src.ids, src.mask)
        b = tiny_model.encode(junk, src.mask)
    torch.testing.assert_close(b[0, :n], a[0, :n], atol=1e-5, rtol=0)


@pytest.mark.parametrize("with_passages", [False, True], ids=["no-passages", "passages"])
@torch.no_grad()
def test_decoder_padding_invariance(
    with_passages: bool, tiny_model, make_source, prepare_source
) -> None:
    counts = (4, 7) if with_passages else None
    both = make_source(SOURCE_LENGTHS, passage_counts=counts)
    n = SOURCE_LENGTHS[0]
    alone_passages = None
    if with_passages:
        p = both.passages
        alone_passages = Passages(p.positions[:1, : counts[0]], p.mask[:1, : counts[0]])
    alone_src = type(both)(both.ids[:1, :n], both.mask[:1, :n], (n,), alone_passages)

    t_short, t_long = 9, 14
    target = torch.randint(1000, 30000, (B, t_long))
    target[0, t_short:] = 0  # the shorter target is padded too
    alone = tiny_model.decode(target[:1, :t_short], prepare_source(tiny_model, alone_src))
    batched = tiny_model.decode(target, prepare_source(tiny_model, both))
    # Log-probs reach ~-20: allow fp32 rounding relative to their size.
    torch.testing.assert_close(batched[0, :t_short], alone[0], atol=1e-5, rtol=2e-6)
    # The whole forward agrees as well.
    forward = tiny_model(both.ids, both.mask, target, both.passages)
    torch.testing.assert_close(forward, batched, atol=1e-5, rtol=0)


@torch.no_grad()
def test_extractive_scores_padding_invariance(tiny_model, make_source) -> None:
    both = make_source(SOURCE_LENGTHS)
    n = SOURCE_LENGTHS[0]
    # Document A: 3 sentences (and a token outside any sentence); document B: 5 sentences.
    sent_a = torch.tensor([-1] + [0] * 7 + [1] * 9 + [2] * 6)
    sent_b = torch.arange(SOURCE_LENGTHS[1]) // 9  # 0..4
    sentence_ids = torch.full((B, SOURCE_LENGTHS[1]), -1)
    sentence_ids[0, :n] = sent_a
    sentence_ids[1] = sent_b

    alone = tiny_model.score_sentences(
        tiny_model.encode(both.ids[:1, :n], both.mask[:1, :n]), sent_a[None], 3
    )
    batched = tiny_model.score_sentences(tiny_model.encode(both.ids, both.mask), sentence_ids, 5)
    assert alone.shape == (1, 3) and batched.shape == (B, 5)
    torch.testing.assert_close(batched[0, :3], alone[0], atol=1e-5, rtol=0)
    b_alone = tiny_model.score_sentences(tiny_model.encode(both.ids[1:]), sent_b[None], 5)
    torch.testing.assert_close(batched[1], b_alone[0], atol=1e-5, rtol=0)


# ---------------------------------------------------------------------------------------------
# Extractive head


def test_extractive_pool_is_sentence_mean() -> None:
    memory = torch.randn(2, 11, 6)
    sentence_ids = torch.tensor(
        [
            [0, 0, 1, 1, 1, -1, 2, 2, 2, 2, -1],
            [-1, 0, 0, 0, 0, 0, 0, 1, 1, -1, -1],
        ]
    )
    # The second result says which sentences have tokens (a token count, or a boolean).
    pooled, counts = ExtractiveHead.pool(memory, sentence_ids, 4)
    assert pooled.shape == (2, 4, 6) and counts.shape == (2, 4)
    for b in range(2):
        for s in range(4):
            members = sentence_ids[b] == s
            if members.any():
                torch.testing.assert_close(pooled[b, s], memory[b, members].mean(dim=0))
            else:
                assert torch.equal(pooled[b, s], torch.zeros(6))
            if counts.dtype != torch.bool:
                assert counts[b, s] == members.sum()
    assert (counts > 0).tolist() == [[True, True, True, False], [True, True, False, False]]


def test_extractive_scores_shape_and_gradients(tiny_model, make_source) -> None:
    src = make_source(SOURCE_LENGTHS)
    sentence_ids = (torch.arange(SOURCE_LENGTHS[1]) // 6).expand(B, -1).clone()
    sentence_ids[~src.mask] = -1
    scores = tiny_model.score_sentences(tiny_model.encode(src.ids, src.mask), sentence_ids, 7)
    assert scores.shape == (B, 7)
    assert torch.isfinite(scores).all()
    scores[0, :4].sum().backward()
    for name in (
        "embeddings.word.weight",
        "encoder.0.attn.proj.query.weight",
        "encoder.2.ffn.fc2.bias",
    ):
        grad = tiny_model.get_parameter(name).grad
        assert grad is not None and grad.abs().sum() > 0, name


# ---------------------------------------------------------------------------------------------
# Gradients


def _loss(model: LongBriefModel, src, target: torch.Tensor) -> torch.Tensor:
    """Teacher-forced NLL plus an extractive loss, so every head takes part."""
    memory = model.encode(src.ids, src.mask)
    inputs = model.prepare(memory, src.mask, src.ids, src.passages)
    logprobs = model.decode(target[:, :-1], inputs)
    nll = -logprobs.gather(-1, target[:, 1:, None]).mean()
    sentence_ids = (torch.arange(src.ids.shape[1]) // 5).expand(src.ids.shape[0], -1).clone()
    sentence_ids[~src.mask] = -1
    n_sent = int(sentence_ids.max()) + 1
    scores = model.score_sentences(memory, sentence_ids, n_sent)
    labels = (torch.arange(n_sent) % 2).float().expand_as(scores)
    return nll + F.binary_cross_entropy_with_logits(scores, labels)


def _copyable_target(src, length: int = 12) -> torch.Tensor:
    """Targets that partly copy passage tokens, so that the copy distribution matters."""
    target = torch.randint(1000, 30000, (src.ids.shape[0], length))
    target[:, 0] = 101
    for row in range(src.ids.shape[0]):
        pos = src.passages.positions[row][src.passages.mask[row]]
        if len(pos):
            target[row, 1 : 1 + min(len(pos), 4)] = src.ids[row, pos[:4]]
    return target


def test_all_parameters_get_finite_gradients(tiny_model, make_source) -> None:
    src = make_source(SOURCE_LENGTHS, passage_counts=(5, 9))
    tiny_model.train()
    _loss(tiny_model, src, _copyable_target(src)).backward()
    for name, p in tiny_model.named_parameters():
        assert p.grad is not None, f"{name} takes no part in the loss"
        assert torch.isfinite(p.grad).all(), name
    must_learn = [
        "embeddings.block_gain",
        "encoder.1.attn.log_scale",
        "encoder.1.attn.features.q_map.weight",
        "encoder.2.attn.features.k_map.bias",
        "decoder.0.self_attn.features.q_map.weight",
        "decoder.1.cross_attn.features.k_map.weight",
        "decoder.1.cross_attn.log_scale",
        "copy_head.gate.weight",
        "copy_head.gate.bias",
        "copy_head.query.weight",
        "extractive.mlp.0.weight",
        "lm_head.bias",
    ]
    for name in must_learn:
        assert tiny_model.get_parameter(name).grad.abs().sum() > 0, name


@pytest.mark.parametrize("case", ["row-without-passages", "saturated-gate"])
def test_copy_gate_edge_cases_keep_gradients_finite(case: str, tiny_model, make_source) -> None:
    if case == "row-without-passages":
        src = make_source(SOURCE_LENGTHS, passage_counts=(0, 9))
        assert not src.passages.mask[0].any()
    else:
        src = make_source(SOURCE_LENGTHS, passage_counts=(5, 9))
        with torch.no_grad():
            tiny_model.copy_head.gate.bias.fill_(30.0)
    tiny_model.train()
    loss = _loss(tiny_model, src, _copyable_target(src))
    assert torch.isfinite(loss)
    loss.backward()
    bad = [n for n, p in tiny_model.named_parameters() if not torch.isfinite(p.grad).all()]
    assert not bad, f"non-finite gradients in {len(bad)} parameters, e.g. {bad[:3]}"


def test_gradient_checkpointing_is_exact(
    make_model, make_source, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def counting_checkpoint(*args, **kwargs):
        calls.append(args[0])
        return checkpoint(*args, **kwargs)

    monkeypatch.setattr(lm.model, "checkpoint", counting_checkpoint)
    plain = make_model().train()
    ckpt = make_model(gradient_checkpointing=True).train()
    assert ckpt.cfg.gradient_checkpointing and ckpt.cfg.dropout == 0.0
    ckpt.load_state_dict(plain.state_dict())
    src = make_source(SOURCE_LENGTHS, passage_counts=(5, 9))
    target = _copyable_target(src)
    loss_plain = _loss(plain, src, target)
    loss_ckpt = _loss(ckpt, src, target)
    loss_plain.backward()
    loss_ckpt.backward()
    torch.testing.assert_close(loss_ckpt, loss_plain, atol=1e-6, rtol=0)
    # Every encoder and decoder block ran checkpointed, and only ckpt's.
    assert calls == [*ckpt.encoder, *ckpt.decoder]
    grads = dict(ckpt.named_parameters())
    for name, p in plain.named_parameters():
        torch.testing.assert_close(grads[name].grad, p.grad, atol=1e-6, rtol=1e-5, msg=name)
    # The switch is off in eval mode and under no_grad, and can be flipped on a built model.
    calls.clear()
    with torch.no_grad():
        _loss(ckpt, src, target)
    ckpt.eval()
    _loss(ckpt, src, target)
    assert calls == []
    plain.set_gradient_checkpointing(True)
    assert plain.cfg.gradient_checkpointing
    _loss(plain, src, target)
    assert calls == [*plain.encoder, *plain.decoder]


# ---------------------------------------------------------------------------------------------
# Copy head


@torch.no_grad()
def test_copy_output_is_normalized(tiny_model, make_source, prepare_source) -> None:
    # Row 0 has no real passage at all: its output must still be a distribution.
    src = make_source(SOURCE_LENGTHS, passage_counts=(0, 6))
    inputs = prepare_source(tiny_model, src)
    target = torch.randint(1000, 30000, (B, 10))
    logprobs = tiny_model.decode(target, inputs)
    assert torch.isfinite(logprobs).all()
    torch.testing.assert_close(logprobs.logsumexp(dim=-1), torch.zeros(B, 10), atol=1e-5, rtol=0)


@torch.no_grad()
def test_copy_gate_forced_open_puts_all_mass_on_passages(
    tiny_model, make_source, prepare_source
) -> None:
    tiny_model.copy_head.gate.weight.zero_()
    tiny_model.copy_head.gate.bias.fill_(50.0)
    src = make_source(SOURCE_LENGTHS, passage_counts=(5, 9))
    inputs = prepare_source(tiny_model, src)
    target = torch.randint(1000, 30000, (B, 7))
    probs = tiny_model.decode(target, inputs).exp()
    for row in range(B):
        allowed = src.ids[row, src.passages.positions[row][src.passages.mask[row]]].unique()
        on_passages = probs[row][:, allowed].sum(dim=-1)
        torch.testing.assert_close(on_passages, torch.ones(7), atol=1e-5, rtol=0)
        others = torch.ones(probs.shape[-1], dtype=torch.bool)
        others[allowed] = False
        assert probs[row][:, others].max() < 1e-12


@torch.no_grad()
def test_without_passages_output_is_vocabulary_softmax(
    tiny_model, make_model, make_source, prepare_source
) -> None:
    src = make_source(SOURCE_LENGTHS)
    target = torch.randint(1000, 30000, (B, 8))
    with_copy = tiny_model.decode(target, prepare_source(tiny_model, src))
    no_copy_model = make_model(copy=False)
    missing = no_copy_model.load_state_dict(tiny_model.state_dict(), strict=False)
    assert not missing.missing_keys
    assert {k.split(".")[0] for k in missing.unexpected_keys} == {"copy_head"}
    plain = no_copy_model.decode(target, prepare_source(no_copy_model, src))
    torch.testing.assert_close(with_copy, plain, atol=1e-6, rtol=0)


def test_copy_head_with_empty_source_is_vocabulary_softmax(tiny_model) -> None:
    h = torch.randn(B, 5, tiny_model.cfg.d_model)
    logits = torch.randn(B, 5, tiny_model.cfg.vocab_size)
    source = CopySource(
        torch.randn(B, 3, tiny_model.cfg.d_model),
        torch.randint(1000, 30000, (B, 3)),
        torch.zeros(B, 3, dtype=torch.bool),
    )
    out = tiny_model.copy_head(h, logits, source)
    torch.testing.assert_close(out, logits.log_softmax(dim=-1), atol=1e-6, rtol=0)


def test_copy_head_adds_mass_to_copied_ids(tiny_model) -> None:
    vocab = tiny_model.cfg.vocab_size
    h = torch.randn(1, 1, tiny_model.cfg.d_model)
    logits = torch.zeros(1, 1, vocab)  # a uniform vocabulary distribution
    ids = torch.tensor([[4242, 4242, 777]])
    source = CopySource(torch.randn(1, 3, tiny_model.cfg.d_model), ids, torch.ones(1, 3).bool())
    probs = tiny_model.copy_head(h, logits, source).double().exp()[0, 0]
    others = torch.ones_like(probs, dtype=torch.bool)
    others[[4242, 777]] = False
    # Every token that cannot be copied keeps the same (1 - g) share of the uniform distribution.
    rest = probs[others]
    torch.testing.assert_close(rest, rest[0].expand_as(rest), atol=0, rtol=1e-5)
    gate = 1.0 - rest[0].item() * vocab
    assert 0.0 < gate < 1.0
    # The copied ids get their vocabulary share plus the whole gate g, split by attention.
    for tid in (4242, 777):
        assert probs[tid] > rest[0]
    copied = (probs[4242] + probs[777]).item()
    assert copied == pytest.approx(2 * (1 - gate) / vocab + gate, rel=1e-5)


# ---------------------------------------------------------------------------------------------
# Encoder locality


@torch.no_grad()
def test_local_layers_keep_blocks_apart(make_model) -> None:
    model = make_model(encoder_layers=("local", "local"), perturb=False)
    assert torch.equal(model.embeddings.block_gain, torch.zeros_like(model.embeddings.block_gain))
    bs = model.cfg.block_size
    ids = torch.randint(1000, 30000, (1, 3 * bs - 5))
    changed = ids.clone()
    changed[0, bs : 2 * bs] = torch.randint(1000, 30000, (bs,))
    a, b = model.encode(ids), model.encode(changed)
    assert torch.equal(a[:, :bs], b[:, :bs])  # block 1 untouched
    assert torch.equal(a[:, 2 * bs :], b[:, 2 * bs :])  # block 3 untouched
    assert not torch.allclose(a[:, bs : 2 * bs], b[:, bs : 2 * bs])
    # The same change does reach block 1 through a global (hybrid or linear) layer.
    for kind in ("hybrid", "linear"):
        mixing = make_model(encoder_layers=("local", kind), perturb=False)
        assert not torch.allclose(mixing.encode(ids)[:, :bs], mixing.encode(changed)[:, :bs])


@torch.no_grad()
def test_block_positions_repeat_with_zero_gain(make_model) -> None:
    """With block_gain 0, positions are block-relative: the same block at two offsets agrees."""
    model = make_model(encoder_layers=("local",), perturb=False)
    bs = model.cfg.block_size
    block = torch.randint(1000, 30000, (1, bs))
    memory = model.encode(torch.cat([block, block], dim=1))
    torch.testing.assert_close(memory[:, bs:], memory[:, :bs], atol=1e-6, rtol=0)
    with torch.no_grad():
        model.embeddings.block_gain.fill_(1.0)
    memory = model.encode(torch.cat([block, block], dim=1))
    assert not torch.allclose(memory[:, bs:], memory[:, :bs], atol=1e-3)


@torch.no_grad()
def test_bf16_encoder_matches_float32(make_model, make_source) -> None:
    """`cast_encoder(bf16)` (the engine's inference setting) keeps the memory within bf16 rounding
    of the float32 encoder, padding included, and leaves the decoder and heads in float32."""
    model = make_model(encoder_layers=("local", "hybrid", "linear"))
    src = make_source(SOURCE_LENGTHS)
    expected = model.encode(src.ids, src.mask)
    assert model.encoder_dtype == torch.float32
    model.cast_encoder(torch.bfloat16)
    memory = model.encode(src.ids, src.mask)
    assert model.encoder_dtype == memory.dtype == torch.bfloat16
    assert all(p.dtype == torch.float32 for p in model.decoder.parameters())
    assert model.embeddings.word.weight.dtype == torch.float32
    for row, n in enumerate(src.lengths):
        cos = torch.nn.functional.cosine_similarity(memory[row, :n].float(), expected[row, :n], -1)
        assert cos.min() > 0.999
