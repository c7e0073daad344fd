// Hedgehog feature map φ(x) = [softmax(xW + b), softmax(-(xW + b))] in one pass per token,
// with the two reductions linear attention needs next to it.
//
// Why a kernel: in PyTorch the map is a batched matmul with an inner size of 33 (D + 1 with the
// bias column) followed by a softmax over (2, 64) rows, ~70 ms per map at 32k tokens on the
// 2-core development CPU, 8 maps per encoder forward, plus a sum and an einsum over the features.
// Here the 64 logits of a token stay in registers, both softmaxes are taken from them, and the
// key side's feature sums (z = Σφ(k)) and the query side's denominators φ(q)·z come out of the
// same pass. bf16 inputs are multiplied in bf16 with float32 accumulation (vdpbf16ps where the
// CPU has AVX512-BF16), as autocast would. The reference is `HedgehogFeatureMap.forward` with
// `linear_state` / `linear_readout` (lm/ops); tests/lm/test_fused_hedgehog.py holds them equal.

#include "kernels.h"
#include "vec.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <type_traits>
#include <vector>

namespace {

using namespace longbrief;

// Tokens per parallel task.
constexpr int64_t kBlock = 256;
// Largest |logit| for which e^a and e^-a are taken without subtracting the maximum (e^80 is far
// from float32's overflow at e^88.7, and a sum of 128 such terms stays finite).
constexpr float kNoShift = 80.0f;

// The logits a = x·W + b of one token (P = 16·kV of them), float32 products. Two sets of
// accumulators (even and odd d) halve the chain of dependent multiply-adds.
template <typename scalar_t, int kV>
inline void logits(const scalar_t* xr, int64_t D, const float* w, const v16* bias, v16* a) {
  constexpr int64_t P = kV * kLanes;
  v16 odd[kV];
  for (int j = 0; j < kV; ++j) {
    a[j] = bias[j];
    odd[j] = splat(0.0f);
  }
  int64_t d = 0;
  for (; d + 1 < D; d += 2) {
    const float x0 = to_float(xr[d]), x1 = to_float(xr[d + 1]);
    const float* w0 = w + d * P;
    for (int j = 0; j < kV; ++j) {
      v16 wa, wb;
      std::memcpy(&wa, w0 + j * kLanes, sizeof(wa));
      std::memcpy(&wb, w0 + P + j * kLanes, sizeof(wb));
      a[j] += x0 * wa;
      odd[j] += x1 * wb;
    }
  }
  if (d < D) {
    const float xd = to_float(xr[d]);
    for (int j = 0; j < kV; ++j) {
      v16 wj;
      std::memcpy(&wj, w + d * P + j * kLanes, sizeof(wj));
      a[j] += xd * wj;
    }
  }
  for (int j = 0; j < kV; ++j) a[j] += odd[j];
}

#ifdef __AVX512BF16__
// bf16 tokens against bf16 weights: vdpbf16ps multiplies two d at once (accumulating in float32),
// half the instructions of `logits`. `wpair` (ceil(D/2), P) 32-bit words, each holding
// (W[2i][p], W[2i+1][p]); an odd D's last word pairs x[D-1] with a zero.
template <int kV>
inline void logits_bf16(const at::BFloat16* xr, int64_t D, const uint32_t* wpair,
                        const v16* bias, v16* a) {
  constexpr int64_t P = kV * kLanes;
  __m512 even[kV], odd[kV];
  for (int j = 0; j < kV; ++j) {
    even[j] = (__m512)bias[j];
    odd[j] = _mm512_setzero_ps();
  }
  const int64_t pairs = (D + 1) / 2;
  auto pair = [&](int64_t i) {
    uint32_t word = xr[2 * i].x;
    if (2 * i + 1 < D) word |= static_cast<uint32_t>(xr[2 * i + 1].x) << 16;
    return (__m512bh)_mm512_set1_epi32(static_cast<int>(word));
  };
  auto weights = [&](int64_t i, int j) {
    return (__m512bh)_mm512_loadu_si512(wpair + i * P + j * kLanes);
  };
  int64_t i = 0;
  for (; i + 1 < pairs; i += 2) {
    const __m512bh x0 = pair(i), x1 = pair(i + 1);
    for (int j = 0; j < kV; ++j) {
      even[j] = _mm512_dpbf16_ps(even[j], x0, weights(i, j));
      odd[j] = _mm512_dpbf16_ps(odd[j], x1, weights(i + 1, j));
    }
  }
  if (i < pairs) {
    const __m512bh x0 = pair(i);
    for (int j = 0; j < kV; ++j) even[j] = _mm512_dpbf16_ps(even[j], x0, weights(i, j));
  }
  for (int j = 0; j < kV; ++j) a[j] = (v16)(even[j] + odd[j]);
}
#endif

// One head's parameters as the per-token code reads them.
template <int kV>
struct Head {
  const float* w;  // (D, P) float32
  const uint32_t* wpair;  // (ceil(D/2), P) pairs of bf16
  v16 bias[kV];
};

// φ of one token into `row` (P = 16·kV features per softmax half, 2P in all). Adds the stored
// features to `acc` when given, and returns φ·z when `zh` is given (else 0).
template <typename scalar_t, int kV>
inline float token(const scalar_t* xr, int64_t D, const Head<kV>& head, scalar_t* row,
                   v16* acc, const v16* zh) {
  constexpr int64_t P = kV * kLanes;
  v16 a[kV];
#ifdef __AVX512BF16__
  if constexpr (std::is_same_v<scalar_t, at::BFloat16>) {
    logits_bf16<kV>(xr, D, head.wpair, head.bias, a);
  } else {
    logits<scalar_t, kV>(xr, D, head.w, head.bias, a);
  }
#else
  logits<scalar_t, kV>(xr, D, head.w, head.bias, a);
#endif
  // Softmax subtracts the largest logit only to keep e^a finite; while every |a| is at most
  // kNoShift (the usual case), e^a and e^-a are exact enough as they are, which saves two lane
  // reductions per token.
  float top = 0.0f, bottom = 0.0f;
  v16 widest = vabs(a[0]);
  for (int j = 1; j < kV; ++j) widest = vmax(widest, vabs(a[j]));
  if (any_above(widest, kNoShift)) {
    v16 hi = a[0], lo = a[0];
    for (int j = 1; j < kV; ++j) {
      hi = vmax(hi, a[j]);
      lo = vmin(lo, a[j]);
    }
    top = reduce(hi, vmax);
    bottom = reduce(lo, vmin);
  }
  v16 e1[kV], e2[kV], s1 = splat(0.0f), s2 = splat(0.0f);
  for (int j = 0; j < kV; ++j) {
    e1[j] = exp_bounded(a[j] - top);
    e2[j] = exp_bounded(bottom - a[j]);
    s1 += e1[j];
    s2 += e2[j];
  }
  const float inv1 = 1.0f / reduce(s1, vadd), inv2 = 1.0f / reduce(s2, vadd);
  v16 dot = splat(0.0f);
  for (int j = 0; j < kV; ++j) {
    const v16 f1 = store(row + j * kLanes, e1[j] * inv1);
    const v16 f2 = store(row + P + j * kLanes, e2[j] * inv2);
    if (acc) {
      acc[j] += f1;
      acc[kV + j] += f2;
    }
    if (zh) dot += f1 * zh[j] + f2 * zh[kV + j];
  }
  return zh ? reduce(dot, vadd) : 0.0f;
}

template <typename scalar_t, int kV>
void map_rows(
    const at::Tensor& x,
    const at::Tensor& weight,
    const at::Tensor& bias,
    const bool* mask,
    const float* z,
    at::Tensor& phi,
    float* sums,
    float* den) {
  constexpr int64_t P = kV * kLanes, F = 2 * P;
  const int64_t B = x.size(0), H = x.size(1), T = x.size(2), D = x.size(3);
  const int64_t sb = x.stride(0), sh = x.stride(1), st = x.stride(2);
  const scalar_t* xp = x.data_ptr<scalar_t>();
  scalar_t* out = phi.data_ptr<scalar_t>();  // (B, H, T, F)

  std::vector<Head<kV>> heads(H);
  // (H, ceil(D/2), P, 2) bf16: the weight pairs `logits_bf16` reads, d padded to even.
  const at::Tensor pairs = at::constant_pad_nd(weight, {0, 0, 0, D % 2})
                               .view({H, (D + 1) / 2, 2, P})
                               .permute({0, 1, 3, 2})
                               .contiguous()
                               .to(at::kBFloat16);
  for (int64_t h = 0; h < H; ++h) {
    heads[h].w = weight.data_ptr<float>() + h * D * P;
    heads[h].wpair = reinterpret_cast<const uint32_t*>(pairs.data_ptr<at::BFloat16>()) +
                     h * ((D + 1) / 2) * P;
    std::memcpy(heads[h].bias, bias.data_ptr<float>() + h * P, sizeof(heads[h].bias));
  }

  // Tasks are blocks of kBlock tokens of one batch row, all heads: the block's rows of x (all
  // heads side by side in the projections' time-major layout) come from memory once and stay
  // in cache while each head's weights stay in L1. Sums are kept per block and added up in
  // block order afterwards, so they do not depend on the thread count.
  const int64_t n_blocks = (T + kBlock - 1) / kBlock;
  std::vector<float> partial(sums ? B * n_blocks * H * F : 0);
  at::parallel_for(0, B * n_blocks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t task = begin; task < end; ++task) {
      const int64_t b = task / n_blocks, t0 = (task % n_blocks) * kBlock;
      const int64_t t1 = std::min(T, t0 + kBlock);
      for (int64_t h = 0; h < H; ++h) {
        const int64_t bh = b * H + h;
        v16 zh[2 * kV], acc[2 * kV];
        if (z) std::memcpy(zh, z + bh * F, sizeof(zh));
        for (auto& v : acc) v = splat(0.0f);
        for (int64_t t = t0; t < t1; ++t) {
          scalar_t* row = out + (bh * T + t) * F;
          float dot = 0.0f;
          if (mask && !mask[b * T + t]) {
            std::fill(row, row + F, scalar_t(0));
          } else {
            dot = token<scalar_t, kV>(xp + b * sb + h * sh + t * st, D, heads[h], row,
                                      sums ? acc : nullptr, z ? zh : nullptr);
          }
          if (den) den[bh * T + t] = dot;
        }
        if (sums) std::memcpy(partial.data() + (task * H + h) * F, acc, sizeof(acc));
      }
    }
  });
  if (sums) {
    std::fill(sums, sums + B * H * F, 0.0f);
    for (int64_t task = 0; task < B * n_blocks; ++task) {
      float* dst = sums + (task / n_blocks) * H * F;
      for (int64_t i = 0; i < H * F; ++i) dst[i] += partial[task * H * F + i];
    }
  }
}

template <typename scalar_t>
void dispatch(int64_t p, const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
              const bool* mask, const float* z, at::Tensor& phi, float* sums, float* den) {
  switch (p) {
    case 16: return map_rows<scalar_t, 1>(x, weight, bias, mask, z, phi, sums, den);
    case 32: return map_rows<scalar_t, 2>(x, weight, bias, mask, z, phi, sums, den);
    case 64: return map_rows<scalar_t, 4>(x, weight, bias, mask, z, phi, sums, den);
    case 128: return map_rows<scalar_t, 8>(x, weight, bias, mask, z, phi, sums, den);
    default: TORCH_CHECK(false, "feature_dim must be 16, 32, 64 or 128, got ", p);
  }
}

}  // namespace

namespace longbrief {

// x (B, H, T, D) float32 or bfloat16, any strides with a unit stride along D; weight (H, D, P)
// and bias (H, P) float32; mask (B, T) bool or empty (False rows get φ = 0 and add nothing to the
// sums); z (B, H, 2P) float32 or empty. Returns φ (B, H, T, 2P) in x's dtype, the feature sums
// (B, H, 2P) float32 when `with_sums`, and φ·z (B, H, T) float32 when z is given (else empty).
std::vector<at::Tensor> hedgehog_map(
    const at::Tensor& x,
    const at::Tensor& weight,
    const at::Tensor& bias,
    const at::Tensor& mask,
    const at::Tensor& z,
    bool with_sums) {
  TORCH_CHECK(x.dim() == 4 && x.stride(3) == 1, "x must be (B, H, T, D) with unit stride on D");
  TORCH_CHECK(x.scalar_type() == at::kFloat || x.scalar_type() == at::kBFloat16,
              "x must be float32 or bfloat16");
  TORCH_CHECK(weight.scalar_type() == at::kFloat && weight.is_contiguous(), "weight (H, D, P)");
  TORCH_CHECK(bias.scalar_type() == at::kFloat && bias.is_contiguous(), "bias (H, P)");
  const int64_t B = x.size(0), H = x.size(1), T = x.size(2), F = 2 * weight.size(2);
  TORCH_CHECK(weight.size(0) == H && weight.size(1) == x.size(3), "weight shape");
  const bool* mask_p = nullptr;
  if (mask.numel()) {
    TORCH_CHECK(mask.scalar_type() == at::kBool && mask.is_contiguous(), "mask (B, T) bool");
    TORCH_CHECK(mask.size(0) == B && mask.size(1) == T, "mask shape");
    mask_p = mask.data_ptr<bool>();
  }
  const float* z_p = nullptr;
  at::Tensor den;
  if (z.numel()) {
    TORCH_CHECK(z.scalar_type() == at::kFloat && z.is_contiguous(), "z (B, H, F) float32");
    TORCH_CHECK(z.size(0) == B && z.size(1) == H && z.size(2) == F, "z shape");
    z_p = z.data_ptr<float>();
    den = at::empty({B, H, T}, x.options().dtype(at::kFloat));
  }
  at::Tensor phi = at::empty({B, H, T, F}, x.options());
  at::Tensor sums = with_sums ? at::empty({B, H, F}, x.options().dtype(at::kFloat)) : at::Tensor();
  float* sums_p = with_sums ? sums.data_ptr<float>() : nullptr;
  float* den_p = z_p ? den.data_ptr<float>() : nullptr;
  if (x.scalar_type() == at::kFloat) {
    dispatch<float>(weight.size(2), x, weight, bias, mask_p, z_p, phi, sums_p, den_p);
  } else {
    dispatch<at::BFloat16>(weight.size(2), x, weight, bias, mask_p, z_p, phi, sums_p, den_p);
  }
  return {phi, with_sums ? sums : at::empty({0}), z_p ? den : at::empty({0})};
}

}  // namespace longbrief
