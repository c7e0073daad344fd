"""Greedy and beam search against hand-computed references on the tiny model."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
import torch

from lm.generate import GenerationConfig, banned_tokens, beam_search, generate, greedy
from lm.model import DecoderInputs, LongBriefModel

pytestmark = pytest.mark.usefixtures("single_thread")

SOURCE_LENGTHS = (23, 41)
PASSAGES = (5, 9)


@pytest.fixture
def inputs(tiny_model, make_source, prepare_source) -> DecoderInputs:
    return prepare_source(tiny_model, make_source(SOURCE_LENGTHS, passage_counts=PASSAGES))


@pytest.fixture
def uncertain_model(tiny_model) -> LongBriefModel:
    """The tiny model with a flatter next-token distribution and a plausible EOS.

    A random model's logits have a spread of ~6 (a sure argmax at every step: beam search and
    greedy then agree and never stop). Shrinking the head's scale and favouring EOS makes
    sequences of several lengths compete, so beam search has something to find.
    """
    with torch.no_grad():
        tiny_model.lm_head.norm.weight.mul_(0.3)
    bias_towards(tiny_model, tiny_model.cfg.eos_id, 10.0)
    return tiny_model


def row(inputs: DecoderInputs, b: int) -> DecoderInputs:
    return inputs.index_select(torch.tensor([b]))


def bias_towards(model: LongBriefModel, token: int, value: float) -> None:
    with torch.no_grad():
        model.lm_head.bias[token] = value


@torch.no_grad()
def sequence_score(
    model: LongBriefModel, inputs: DecoderInputs, tokens: list[int], ended: bool, penalty: float
) -> float:
    """Length-penalized log-probability of `tokens` (+ EOS if `ended`), by the parallel decoder."""
    target = torch.tensor([[model.cfg.bos_id, *tokens]])
    logprobs = model.decode(target, inputs)[0]
    total = sum(logprobs[i, t].item() for i, t in enumerate(tokens))
    if ended:
        total += logprobs[len(tokens), model.cfg.eos_id].item()
    return total / max(len(tokens), 1) ** penalty


# ---------------------------------------------------------------------------------------------
# banned_tokens


@pytest.mark.parametrize(
    ("seq", "n", "expected"),
    [
        ([], 2, set()),
        ([5], 2, set()),  # shorter than n: nothing to repeat yet
        ([1, 2, 3], 0, set()),  # disabled
        ([1, 2, 3], -1, set()),
        ([1, 2, 1], 2, {2}),  # "1 2" seen: after 1, 2 would repeat it
        ([5, 5], 2, {5}),
        ([1, 2, 3, 1, 4, 1], 2, {2, 4}),
        ([1, 2, 3, 1, 2], 3, {3}),
        ([1, 2, 3, 1, 3], 3, set()),  # prefix (1, 3) never seen
        ([7, 8, 7], 1, {7, 8}),  # n = 1: no token may appear twice
        ([1, 2, 3], 3, set()),  # one trigram, prefix (2, 3) not seen before
        ([4, 4, 4], 3, {4}),
    ],
)
def test_banned_tokens(seq: list[int], n: int, expected: set[int]) -> None:
    assert banned_tokens(seq, n) == expected


# ---------------------------------------------------------------------------------------------
# Greedy and beam search against references


@torch.no_grad()
def test_greedy_equals_argmax_chain(tiny_model, inputs) -> None:
    cfg = GenerationConfig(max_length=10)
    out = greedy(tiny_model, inputs, cfg)
    assert len(out) == 2
    eos = tiny_model.cfg.eos_id
    for b in range(2):
        one = row(inputs, b)
        chain: list[int] = []
        for _ in range(cfg.max_length):
            target = torch.tensor([[tiny_model.cfg.bos_id, *chain]])
            nxt = int(tiny_model.decode(target, one)[0, -1].argmax())
            if nxt == eos:
                break
            chain.append(nxt)
        assert out[b] == chain
        assert len(set(out[b])) > 1  # a non-degenerate chain, or the test proves little


@torch.no_grad()
def test_greedy_stops_at_eos_and_strips_it(tiny_model, inputs) -> None:
    # Make EOS the most likely token after a few steps only: favour it moderately.
    probe = greedy(tiny_model, inputs, GenerationConfig(max_length=6))
    bias_towards(tiny_model, tiny_model.cfg.eos_id, 40.0)
    out = greedy(tiny_model, inputs, GenerationConfig(max_length=6))
    assert out == [[], []]
    assert probe != out


def test_beam_search_with_one_beam_equals_greedy(tiny_model, inputs) -> None:
    cfg = GenerationConfig(max_length=12, num_beams=1)
    assert beam_search(tiny_model, inputs, cfg) == greedy(tiny_model, inputs, cfg)
    assert generate(tiny_model, inputs, cfg) == greedy(tiny_model, inputs, cfg)


@pytest.mark.parametrize("penalty", [0.0, 1.0])
def test_beam_search_scores_at_least_greedy(penalty: float, uncertain_model, inputs) -> None:
    tiny_model = uncertain_model
    max_length = 8
    greedy_cfg = GenerationConfig(max_length=max_length, length_penalty=penalty)
    beam_cfg = dataclasses.replace(greedy_cfg, num_beams=3)
    greedy_out = greedy(tiny_model, inputs, greedy_cfg)
    beam_out = beam_search(tiny_model, inputs, beam_cfg)
    assert generate(tiny_model, inputs, beam_cfg) == beam_out
    for b in range(2):
        one = row(inputs, b)

        def score(tokens: list[int], one: DecoderInputs = one) -> float:
            # An output shorter than max_length ended with EOS (which is stripped).
            return sequence_score(tiny_model, one, tokens, len(tokens) < max_length, penalty)

        assert len(beam_out[b]) <= max_length
        assert score(beam_out[b]) >= score(greedy_out[b]) - 1e-4
    assert beam_out != greedy_out  # the search did find something greedy missed


def test_batched_beam_search_equals_one_at_a_time(uncertain_model, inputs) -> None:
    tiny_model = uncertain_model
    cfg = GenerationConfig(max_length=8, num_beams=3, length_penalty=1.0)
    batched = beam_search(tiny_model, inputs, cfg)
    single = [beam_search(tiny_model, row(inputs, b), cfg)[0] for b in range(2)]
    assert batched == single
    assert batched[0] != batched[1]
    assert any(len(seq) < cfg.max_length for seq in batched)  # some hypothesis ended


# ---------------------------------------------------------------------------------------------
# Length and repetition constraints


@pytest.mark.parametrize("num_beams", [1, 3])
def test_min_length_is_respected(num_beams: int, tiny_model, inputs) -> None:
    bias_towards(tiny_model, tiny_model.cfg.eos_id, 50.0)  # logits reach ~25
    eager = generate(tiny_model, inputs, GenerationConfig(max_length=10, num_beams=num_beams))
    assert eager == [[], []]  # without min_length the biased model stops at once
    cfg = GenerationConfig(max_length=10, min_length=4, num_beams=num_beams)
    out = generate(tiny_model, inputs, cfg)
    for seq in out:
        assert len(seq) >= 4
        assert tiny_model.cfg.eos_id not in seq


@pytest.mark.parametrize("num_beams", [1, 3])
def test_no_repeat_ngram(num_beams: int, tiny_model, inputs) -> None:
    # Two strongly favoured tokens: unconstrained, the model loops on them.
    bias_towards(tiny_model, 2000, 30.0)
    bias_towards(tiny_model, 2001, 29.0)
    base = GenerationConfig(max_length=10, num_beams=num_beams)

    def bigrams(seq: list[int]) -> list[tuple[int, int]]:
        return list(itertools.pairwise(seq))

    free = generate(tiny_model, inputs, base)
    assert any(len(set(bigrams(s))) < len(bigrams(s)) for s in free)
    out = generate(tiny_model, inputs, dataclasses.replace(base, no_repeat_ngram_size=2))
    for seq in out:
        assert len(seq) == 10
        assert len(set(bigrams(seq))) == len(bigrams(seq)), seq


@pytest.mark.parametrize("num_beams", [1, 3])
@pytest.mark.parametrize("max_length", [1, 5])
def test_max_length_bounds_output(num_beams: int, max_length: int, tiny_model, inputs) -> None:
    out = generate(tiny_model, inputs, GenerationConfig(max_length=max_length, num_beams=num_beams))
    assert len(out) == 2
    assert all(1 <= len(seq) <= max_length for seq in out)
    assert all(tiny_model.cfg.eos_id not in seq and tiny_model.cfg.bos_id not in seq for seq in out)


# ---------------------------------------------------------------------------------------------
# Constant-size decoding state


def _shapes(obj) -> list[tuple[int, ...]]:
    """Shapes of every tensor inside nested dataclasses / tuples."""
    if isinstance(obj, torch.Tensor):
        return [tuple(obj.shape)]
    if obj is None:
        return [()]
    if isinstance(obj, tuple | list):
        return [s for item in obj for s in _shapes(item)]
    if dataclasses.is_dataclass(obj):
        return [s for f in dataclasses.fields(obj) for s in _shapes(getattr(obj, f.name))]
    return []


@pytest.mark.parametrize("with_passages", [False, True], ids=["no-passages", "passages"])
@torch.no_grad()
def test_decoding_state_does_not_grow_with_input(
    with_passages: bool, tiny_model, make_source, prepare_source
) -> None:
    counts = (6, 6) if with_passages else None
    states = {}
    for n in (100, 400):
        inputs = prepare_source(tiny_model, make_source((n, n - 7), passage_counts=counts))
        state = tiny_model.start(inputs)
        for token in (101, 2000, 2001):
            _, state = tiny_model.decode_step(torch.tensor([token, token]), state)
        states[n] = (inputs, state)
        assert state.position == 3
    inputs_shapes = _shapes(states[100][0])
    assert inputs_shapes == _shapes(states[400][0])
    assert all(100 not in s and 400 not in s and 393 not in s for s in inputs_shapes)
    assert _shapes(states[100][1]) == _shapes(states[400][1])
