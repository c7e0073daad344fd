"""The fast attention ops in `lm.ops` against their slow references in `lm.ops.naive`.

Every fast op is compared with its reference on outputs and on gradients of every input, in fp32
against a float64 reference, with a relative RMS error below 1e-3. Padded batch rows are compared
on their real query positions only (what a padding query sees is the op's business).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import torch

from lm.ops import (
    EluFeatureMap,
    FavorFeatureMap,
    FeatureMaps,
    HedgehogFeatureMap,
    LinearState,
    ReluFeatureMap,
    block_softmax_attention,
    causal_linear_attention,
    linear_attention,
    linear_readout,
    linear_state,
    local_attention,
    normalize,
    recurrent_step,
    softmax_plus_linear,
    window_linear_attention,
)
from lm.ops.naive import (
    naive_block_softmax_attention,
    naive_linear_attention,
    naive_recurrent_linear_attention,
    naive_softmax_plus_linear,
    naive_window_linear_attention,
)

TOL = 1e-3
B, H = 2, 2
LENGTHS = [1, 63, 500, 1000]
# (head dim D, feature dim F): odd, and different from each other.
DIMS = [pytest.param(7, 5, id="D7-F5"), pytest.param(33, 17, id="D33-F17")]


@pytest.fixture(autouse=True)
def _seed() -> None:
    torch.manual_seed(0)


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Iterator[None]:
    """These tensors are small: one thread is faster, and far faster on a busy 2-core machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def rms(x: torch.Tensor) -> float:
    """Root mean square, in float64."""
    return x.detach().double().pow(2).mean().sqrt().item()


def rel_rms(actual: torch.Tensor, expected: torch.Tensor) -> float:
    """RMS of `actual - expected` over RMS of `expected`."""
    return rms(actual.detach().double() - expected.detach().double()) / max(rms(expected), 1e-30)


def assert_rms_close(
    actual: torch.Tensor, expected: torch.Tensor, what: str, tol: float = TOL, atol: float = 1e-6
) -> None:
    """RMS(actual - expected) <= tol * RMS(expected) + atol.

    The `atol` floor only matters where the exact value is (near) zero, e.g. the gradient of a
    query that sees a single key: float32 rounding is then all that is left to compare.
    """
    diff = rms(actual.detach().double() - expected.detach().double())
    bound = tol * rms(expected) + atol
    rel = rel_rms(actual, expected)
    assert diff <= bound, f"{what}: RMS error {diff:.2e} > {bound:.2e} (relative {rel:.2e})"


def features(*shape: int) -> torch.Tensor:
    """Positive feature-mapped values, as any feature map returns."""
    return torch.rand(*shape) + 0.05


def padding_mask(t: int, real_length: int) -> torch.Tensor:
    """`(B, t)` key mask: row 0 all real, the last row real for its first `real_length` tokens."""
    mask = torch.ones(B, t, dtype=torch.bool)
    mask[-1, real_length:] = False
    return mask


def check_against_reference(
    fast: Callable[..., torch.Tensor],
    naive: Callable[..., torch.Tensor],
    inputs: dict[str, torch.Tensor],
    query_mask: torch.Tensor | None = None,
    tol: float = TOL,
) -> None:
    """Assert `fast(**inputs)` matches `naive(**inputs in float64)` in outputs and all gradients.

    Outputs are `(B, H, T, D)`; `query_mask` `(B, T)` selects the positions compared, and only
    those positions feed the gradients (through a fixed random upstream gradient).
    """
    leaves = {name: x.detach().clone().requires_grad_() for name, x in inputs.items()}
    ref_leaves = {name: x.detach().double().requires_grad_() for name, x in inputs.items()}
    out = fast(**leaves)
    ref = naive(**ref_leaves)
    assert out.dtype == torch.float32
    assert out.shape == ref.shape

    upstream = torch.randn(ref.shape, dtype=torch.float64)
    if query_mask is not None:
        upstream = upstream * query_mask[:, None, :, None]
        real = query_mask[:, None, :].expand(ref.shape[:3])
        assert_rms_close(out[real], ref[real], "output", tol)
    else:
        assert_rms_close(out, ref, "output", tol)

    grads = torch.autograd.grad((out * upstream.float()).sum(), list(leaves.values()))
    ref_grads = torch.autograd.grad((ref * upstream).sum(), list(ref_leaves.values()))
    for name, grad, ref_grad in zip(leaves, grads, ref_grads, strict=True):
        assert torch.isfinite(grad).all(), f"non-finite gradient for {name}"
        assert_rms_close(grad, ref_grad, f"gradient of {name}", tol)


@pytest.mark.parametrize("d, f", DIMS)
@pytest.mark.parametrize("t", LENGTHS)
def test_linear_attention_matches_naive(t: int, d: int, f: int) -> None:
    mask = padding_mask(t, max(1, 2 * t // 3))
    check_against_reference(
        lambda q, k, v: linear_attention(q, k, v, key_mask=mask),
        lambda q, k, v: naive_linear_attention(q, k, v, key_mask=mask),
        {"q": features(B, H, t, f), "k": features(B, H, t, f), "v": torch.randn(B, H, t, d)},
        query_mask=mask,
    )


@pytest.mark.parametrize("chunk", [16, 64, 7])
@pytest.mark.parametrize("d, f", DIMS)
@pytest.mark.parametrize("t", LENGTHS)
def test_causal_linear_attention_matches_naive(t: int, d: int, f: int, chunk: int) -> None:
    check_against_reference(
        lambda q, k, v: causal_linear_attention(q, k, v, chunk_size=chunk),
        lambda q, k, v: naive_linear_attention(q, k, v, causal=True),
        {"q": features(B, H, t, f), "k": features(B, H, t, f), "v": torch.randn(B, H, t, d)},
    )


def _block_cases() -> list:
    cases = []
    for t in LENGTHS:
        for block in (64, 512):
            boundary = (t - 1) // block * block
            mid = max(1, 2 * t // 3)
            if mid % block == 0:
                mid -= 1
            lengths = {"nomask": None, "mid": mid, "boundary": boundary if boundary else None}
            for kind, length in lengths.items():
                if kind == "nomask" or length is not None:
                    cases.append(pytest.param(t, block, length, id=f"T{t}-b{block}-{kind}"))
    cases.append(pytest.param(63, 64, 0, id="T63-b64-allpadding"))
    return cases


@pytest.mark.parametrize("t, block, real_length", _block_cases())
@pytest.mark.parametrize("d", [7, 33])
def test_block_softmax_matches_naive(t: int, block: int, real_length: int | None, d: int) -> None:
    mask = None if real_length is None else padding_mask(t, real_length)
    check_against_reference(
        lambda q, k, v: block_softmax_attention(q, k, v, block, key_mask=mask),
        lambda q, k, v: naive_block_softmax_attention(q, k, v, block, key_mask=mask),
        {name: torch.randn(B, H, t, d) for name in "qkv"},
        query_mask=mask,
    )


def test_block_softmax_all_padding_row_is_finite_and_inert() -> None:
    t, d = 100, 7
    mask = padding_mask(t, 0)
    q, k, v = (torch.randn(B, H, t, d, requires_grad=True) for _ in range(3))
    out = block_softmax_attention(q, k, v, 64, key_mask=mask)
    assert torch.isfinite(out).all()
    (out[0] * torch.randn_like(out[0])).sum().backward()
    assert torch.count_nonzero(k.grad[-1]) == 0
    assert torch.count_nonzero(v.grad[-1]) == 0


def test_block_softmax_left_padding_matches_naive() -> None:
    t, d = 128, 7
    mask = torch.ones(B, t, dtype=torch.bool)
    mask[-1, :10] = False
    check_against_reference(
        lambda q, k, v: block_softmax_attention(q, k, v, 64, key_mask=mask),
        lambda q, k, v: naive_block_softmax_attention(q, k, v, 64, key_mask=mask),
        {name: torch.randn(B, H, t, d) for name in "qkv"},
        query_mask=mask,
    )


def _window_inputs(t: int, d: int, f: int) -> dict[str, torch.Tensor]:
    return {
        "q": torch.randn(B, H, t, d),
        "k": torch.randn(B, H, t, d),
        "v": torch.randn(B, H, t, d),
        "fq": features(B, H, t, f),
        "fk": features(B, H, t, f),
        "log_scale": torch.randn(H),
    }


@pytest.mark.parametrize("window", [4, 8, 64])
@pytest.mark.parametrize("d, f", DIMS)
@pytest.mark.parametrize("t", LENGTHS)
def test_window_linear_matches_naive(t: int, d: int, f: int, window: int) -> None:
    mask = padding_mask(t, max(1, 2 * t // 3 + 1))
    check_against_reference(
        lambda **x: window_linear_attention(**x, window=window, key_mask=mask),
        lambda **x: naive_window_linear_attention(**x, window=window, key_mask=mask),
        _window_inputs(t, d, f),
        query_mask=mask,
    )


@pytest.mark.parametrize("blocks_per_group", [1, 5])
def test_window_linear_in_groups_of_blocks(
    monkeypatch: pytest.MonkeyPatch, blocks_per_group: int
) -> None:
    """Windows computed in several groups of blocks (`GROUP_SCORES`) match the reference.

    13 blocks: one per group, and 5 per group (a ragged last group of 3).
    """
    t, d, f, window = 100, 7, 5, 8
    group_scores = blocks_per_group * H * window * 3 * window
    monkeypatch.setattr(local_attention, "GROUP_SCORES", group_scores)
    mask = padding_mask(t, 61)
    check_against_reference(
        lambda **x: window_linear_attention(**x, window=window, key_mask=mask),
        lambda **x: naive_window_linear_attention(**x, window=window, key_mask=mask),
        _window_inputs(t, d, f),
        query_mask=mask,
    )


@pytest.mark.parametrize("window", [4, 8, 64])
@pytest.mark.parametrize("d, f", DIMS)
@pytest.mark.parametrize("t", LENGTHS)
def test_window_linear_inference_path_matches_naive(t: int, d: int, f: int, window: int) -> None:
    """Without autograd the op takes its one-call SDPA path: same outputs as the reference."""
    mask = padding_mask(t, max(1, 2 * t // 3 + 1))
    x = _window_inputs(t, d, f)
    with torch.no_grad():
        out = window_linear_attention(**x, window=window, key_mask=mask)
    ref = naive_window_linear_attention(
        **{name: v.double() for name, v in x.items()}, window=window, key_mask=mask
    )
    assert torch.isfinite(out).all()
    real = mask[:, None, :].expand(ref.shape[:3])
    assert_rms_close(out[real], ref[real], "output")


def test_window_linear_paths_agree_in_bf16() -> None:
    """The fused (inference) and grouped (autograd) paths agree on bf16 inputs, padding included."""
    t, d, f, window = 300, 32, 16, 32
    mask = padding_mask(t, 190)
    x = {name: v.bfloat16() for name, v in _window_inputs(t, d, f).items()}
    with torch.no_grad():
        fused = window_linear_attention(**x, window=window, key_mask=mask)
    grouped = window_linear_attention(
        **{**x, "q": x["q"].clone().requires_grad_()}, window=window, key_mask=mask
    )
    assert fused.dtype == grouped.dtype == torch.bfloat16
    assert torch.isfinite(fused).all()
    real = mask[:, None, :].expand(fused.shape[:3])
    assert rel_rms(fused[real], grouped[real]) < 1e-2


def test_window_linear_with_precomputed_state() -> None:
    t, d, f = 100, 7, 5
    x = _window_inputs(t, d, f)
    mask = padding_mask(t, 70)
    state = linear_state(x["fk"], x["v"], mask)
    with_state = window_linear_attention(**x, window=8, key_mask=mask, state=state)
    torch.testing.assert_close(with_state, window_linear_attention(**x, window=8, key_mask=mask))


@pytest.mark.parametrize("d, f", DIMS)
@pytest.mark.parametrize(
    "tq, n_exact, n_linear", [(5, 63, 500), (63, 1, 1000), (1, 17, 63), (40, 300, 1)]
)
def test_softmax_plus_linear_cross_attention(
    tq: int, n_exact: int, n_linear: int, d: int, f: int
) -> None:
    exact = torch.rand(B, 1, tq, n_exact) < 0.7
    exact[..., 0] = True
    lin_keys = padding_mask(n_linear, max(1, n_linear // 2))

    def fast(q, k, v, fq, fk, lin_v, log_scale):
        scores = torch.matmul(q, k.transpose(-1, -2)) * d**-0.5
        lin_num, lin_den = linear_readout(fq, linear_state(fk, lin_v, lin_keys))
        return softmax_plus_linear(scores, exact, v, lin_num, lin_den, log_scale)

    def naive(q, k, v, fq, fk, lin_v, log_scale):
        return naive_softmax_plus_linear(q, k, v, exact, fq, fk, lin_v, lin_keys, log_scale)

    inputs = {
        "q": torch.randn(B, H, tq, d),
        "k": torch.randn(B, H, n_exact, d),
        "v": torch.randn(B, H, n_exact, d),
        "fq": features(B, H, tq, f),
        "fk": features(B, H, n_linear, f),
        "lin_v": torch.randn(B, H, n_linear, d),
        "log_scale": torch.randn(H),
    }
    check_against_reference(fast, naive, inputs)


def test_softmax_plus_linear_is_stable_for_large_scores() -> None:
    scores = torch.full((1, H, 4, 3), 200.0)
    valid = torch.ones(1, 1, 4, 3, dtype=torch.bool)
    v = torch.randn(1, H, 3, 7)
    out = softmax_plus_linear(
        scores, valid, v, torch.randn(1, H, 4, 7), torch.rand(1, H, 4), torch.zeros(H)
    )
    torch.testing.assert_close(out, v.mean(dim=2, keepdim=True).expand_as(out))


def _past_after_changing_future(
    chunk: int, position: int, scale: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Causal outputs at positions <= `position`, before and after redrawing every later token.

    The redrawn q, k, v are `scale` times the size of the originals.
    """
    t, d, f = 200, 7, 5
    q, k = features(B, H, t, f), features(B, H, t, f)
    v = torch.randn(B, H, t, d)
    before = causal_linear_attention(q, k, v, chunk_size=chunk)
    n_future = t - position - 1
    q2, k2, v2 = q.clone(), k.clone(), v.clone()
    q2[:, :, position + 1 :] = features(B, H, n_future, f) * scale
    k2[:, :, position + 1 :] = features(B, H, n_future, f) * scale
    v2[:, :, position + 1 :] = torch.randn(B, H, n_future, d) * scale
    after = causal_linear_attention(q2, k2, v2, chunk_size=chunk)
    if n_future:
        assert not torch.allclose(after[:, :, position + 1 :], before[:, :, position + 1 :])
    return after[:, :, : position + 1], before[:, :, : position + 1]


@pytest.mark.parametrize("chunk", [16, 64, 7])
@pytest.mark.parametrize("position", [0, 15, 16, 100, 198])
def test_causal_chunked_ignores_future_tokens(chunk: int, position: int) -> None:
    after, before = _past_after_changing_future(chunk, position, scale=1.0)
    torch.testing.assert_close(after, before, rtol=0, atol=1e-6)


@pytest.mark.parametrize("chunk", [16, 64])
def test_causal_chunked_past_is_bit_identical_for_large_future(chunk: int) -> None:
    after, before = _past_after_changing_future(chunk, position=chunk + 3, scale=1000.0)
    torch.testing.assert_close(after, before, rtol=0, atol=0)


@pytest.mark.parametrize("d, f", DIMS)
def test_recurrent_steps_reproduce_parallel_causal(d: int, f: int) -> None:
    t = 63
    q, k = features(B, H, t, f), features(B, H, t, f)
    v = torch.randn(B, H, t, d)
    state = None
    outs = []
    for i in range(t):
        step = slice(i, i + 1)
        num, den, state = recurrent_step(q[:, :, step], k[:, :, step], v[:, :, step], state)
        assert state.s.shape == (B, H, f, d)
        assert state.z.shape == (B, H, f)
        outs.append(normalize(num, den))
    stepped = torch.cat(outs, dim=2)
    assert rel_rms(stepped, causal_linear_attention(q, k, v, chunk_size=16)) < 1e-5
    assert rel_rms(stepped, naive_recurrent_linear_attention(q, k, v)) < 1e-5


def test_naive_recurrent_matches_naive_quadratic() -> None:
    q, k = features(B, H, 50, 5), features(B, H, 50, 5)
    v = torch.randn(B, H, 50, 7)
    expected = naive_linear_attention(q.double(), k.double(), v.double(), causal=True)
    assert rel_rms(naive_recurrent_linear_attention(q, k, v), expected) < 1e-5


def test_linear_state_index_select_reorders_batch() -> None:
    k, v = features(3, H, 10, 5), torch.randn(3, H, 10, 7)
    state = linear_state(k, v)
    index = torch.tensor([2, 0, 0])
    picked = state.index_select(index)
    assert isinstance(picked, LinearState)
    for row, source in enumerate(index.tolist()):
        torch.testing.assert_close(picked.s[row], state.s[source], rtol=0, atol=0)
        torch.testing.assert_close(picked.z[row], state.z[source], rtol=0, atol=0)


def _feature_map(kind: str, d: int) -> torch.nn.Module:
    if kind == "elu":
        return EluFeatureMap(d)
    if kind == "relu":
        return ReluFeatureMap(d)
    if kind == "favor":
        return FavorFeatureMap(d, n_features=24, seed=3)
    return HedgehogFeatureMap(H, d, feature_dim=6)


@pytest.mark.parametrize(
    "kind, out_dim", [("elu", 7), ("relu", 7), ("favor", 24), ("hedgehog", 12)]
)
def test_feature_map_shape_and_sign(kind: str, out_dim: int) -> None:
    fmap = _feature_map(kind, 7)
    assert fmap.out_dim == out_dim
    out = fmap(torch.randn(B, H, 11, 7) * 3)
    assert out.shape == (B, H, 11, out_dim)
    assert (out >= 0).all()
    assert torch.isfinite(out).all()


def test_favor_is_seeded_and_redraws_only_on_request() -> None:
    x = torch.randn(B, H, 9, 16)
    first = FavorFeatureMap(16, 32, seed=5)
    twin = FavorFeatureMap(16, 32, seed=5)
    reference = first(x)
    torch.testing.assert_close(twin(x), reference, rtol=0, atol=0)
    torch.testing.assert_close(first(x), reference, rtol=0, atol=0)
    first.redraw(6)
    assert not torch.allclose(first(x), reference)
    first.redraw(5)
    torch.testing.assert_close(first(x), reference, rtol=0, atol=0)


def test_favor_estimates_softmax_kernel() -> None:
    d = 16
    fmap = FavorFeatureMap(d, 4096, seed=1)
    x, y = torch.randn(1, 1, 200, d) * 0.3, torch.randn(1, 1, 200, d) * 0.3
    estimate = (fmap(x) * fmap(y)).sum(dim=-1)
    exact = torch.exp((x * y).sum(dim=-1) / d**0.5)
    relative = (estimate - exact).abs() / exact
    assert relative.mean() < 0.06
    assert relative.max() < 0.25


def test_hedgehog_is_softmax_of_projection_and_its_negation() -> None:
    """φ(x) = [softmax(xW + b), softmax(-(xW + b))] per head, as in Zhang et al. 2024."""
    fmap = HedgehogFeatureMap(H, 7, feature_dim=6)
    with torch.no_grad():
        fmap.weight.add_(torch.randn_like(fmap.weight))
        fmap.bias.add_(torch.randn_like(fmap.bias))
    x = torch.randn(B, H, 11, 7)
    proj = torch.einsum("bhtd,hdf->bhtf", x, fmap.weight) + fmap.bias
    expected = torch.cat([proj.softmax(dim=-1), (-proj).softmax(dim=-1)], dim=-1)
    torch.testing.assert_close(fmap(x), expected)


def test_hedgehog_gradients_reach_parameters() -> None:
    fmap = HedgehogFeatureMap(H, 7, feature_dim=6)
    out = fmap(torch.randn(B, H, 11, 7))
    (out * torch.randn_like(out)).sum().backward()
    for param in (fmap.weight, fmap.bias):
        assert param.grad is not None
        assert torch.isfinite(param.grad).all()
        assert param.grad.abs().sum() > 0


def test_feature_maps_favor_shares_one_map() -> None:
    maps = FeatureMaps("favor", H, 16, 32, seed=2)
    assert maps.out_dim == 32
    x = torch.randn(B, H, 9, 16)
    torch.testing.assert_close(maps.key(x), maps.query(x), rtol=0, atol=0)


def test_feature_maps_hedgehog_has_two_maps() -> None:
    maps = FeatureMaps("hedgehog", H, 16, 8)
    assert maps.out_dim == 16
    assert maps.q_map is not maps.k_map
    q_ptrs = {p.data_ptr() for p in maps.q_map.parameters()}
    assert not q_ptrs & {p.data_ptr() for p in maps.k_map.parameters()}
    x = torch.randn(B, H, 9, 16)
    query = maps.query(x)
    with torch.no_grad():
        maps.k_map.weight.add_(torch.randn_like(maps.k_map.weight))
    torch.testing.assert_close(maps.query(x), query, rtol=0, atol=0)
    assert not torch.allclose(maps.key(x), query)


def test_feature_maps_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError):
        FeatureMaps("cosformer", H, 16, 8)


BF16_MASK = padding_mask(500, 300)
BF16_OPS: dict[str, Callable[[dict[str, torch.Tensor]], torch.Tensor]] = {
    "linear": lambda x: linear_attention(x["fq"], x["fk"], x["v"], BF16_MASK),
    "causal": lambda x: causal_linear_attention(x["fq"], x["fk"], x["v"], 64),
    "window": lambda x: window_linear_attention(**x, window=64, key_mask=BF16_MASK),
    "block": lambda x: block_softmax_attention(x["q"], x["k"], x["v"], 64, BF16_MASK),
}


@pytest.mark.parametrize("name", list(BF16_OPS))
def test_bf16_autocast_smoke(name: str) -> None:
    inputs = _window_inputs(500, 33, 17)
    expected = BF16_OPS[name](inputs)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = BF16_OPS[name](inputs)
    assert torch.isfinite(out).all()
    real = BF16_MASK[:, None, :].expand(out.shape[:3])
    assert rel_rms(out[real], expected[real]) < 3e-2
