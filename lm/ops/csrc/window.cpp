// Exact sliding-window softmax attention (|i - j| <= w) joined with an already read-out linear
// term, for the encoder's hybrid layers at inference:
//
//   out_i = (Σ_j e^{s_ij - m} v_j + c e^{-m} num_i) / (Σ_j e^{s_ij - m} + c e^{-m} den_i + eps)
//
// with s_ij = q_i·k_j / sqrt(D) over the real keys of the window, m = max(0, max_j s_ij) and
// c = e^{log_scale} per head: `softmax_plus_linear` in lm/ops/local_attention.py, the reference
// tests/lm/test_fused_window.py holds it to.
//
// Why a kernel: with w = 32 a window holds 65 keys, and PyTorch's flash kernel, called with
// blocks of 32 queries as its batch, spends most of its time on per-block setup and the additive
// mask (~90 ms per layer at 32k tokens for ~5 GFLOP); the join with the linear term is then three
// more passes over (T, D). Here a task is a block of queries of one batch row, all heads: the
// block's keys and values are converted once into float buffers that stay in L1, each query's
// scores over its band are vectors of 16 keys, and the output is written joined, in the
// projections' time-major layout (B, T, H, D), so the output projection reads it without a copy.

#include "kernels.h"
#include "vec.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

namespace {

using namespace longbrief;

// Queries per task.
constexpr int64_t kQueries = 64;
// Score vectors (16 keys each) computed per pass over the head dimension.
constexpr int kChunk = 8;
// Independent accumulator sets in the weighted sum of values.
constexpr int kWays = 4;
// lm.ops.linear_attention.EPS.
constexpr float kEps = 1e-6f;
constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Per-thread buffers of one task: keys transposed (D, K) so that 16 neighbouring keys are one
// vector, values (K, 16·kV) padded with zeros, 0 / -inf per key (padding), and one query's
// scores, then weights, over its band.
struct Scratch {
  std::vector<float> keys, values, bias;
  std::vector<v16> scores;
};

// Whether keys are kept as bf16 pairs for vdpbf16ps (bf16 inputs on a CPU with AVX512-BF16):
// half the multiply instructions of float32 keys, and products as exact (a bf16 product fits
// in float32; the sums accumulate in float32 either way).
template <typename scalar_t>
constexpr bool kPairs = false;
#ifdef __AVX512BF16__
template <>
constexpr bool kPairs<at::BFloat16> = true;
#endif

// Key j of a head into the transposed buffer: floats (D, stride), or with kPairs 32-bit words
// (ceil(D/2), stride) holding the bf16 pair (d, d + 1), an odd D's last paired with zero.
template <typename scalar_t>
inline void pack_key(const scalar_t* kr, int64_t D, int64_t stride, int64_t j, float* keys) {
  if constexpr (kPairs<scalar_t>) {
    uint32_t* words = reinterpret_cast<uint32_t*>(keys);
    for (int64_t p = 0; p < D / 2; ++p) std::memcpy(words + p * stride + j, kr + 2 * p, 4);
    if (D % 2) words[(D / 2) * stride + j] = kr[D - 1].x;
  } else {
    for (int64_t d = 0; d < D; ++d) keys[d * stride + j] = to_float(kr[d]);
  }
}

// Dot products of query row `qr` with NV vectors of 16 consecutive keys from j0, into acc. NV
// is a compile-time count so that the NV independent multiply-add chains stay in registers.
template <int NV, typename scalar_t>
inline void dots_n(const scalar_t* qr, int64_t D, const float* keys, int64_t stride, int64_t j0,
                   v16* out) {
  v16 acc[NV];
  for (int i = 0; i < NV; ++i) acc[i] = splat(0.0f);
#ifdef __AVX512BF16__
  if constexpr (kPairs<scalar_t>) {
    const uint32_t* words = reinterpret_cast<const uint32_t*>(keys);
    for (int64_t p = 0; p < (D + 1) / 2; ++p) {
      uint32_t qw = qr[2 * p].x;
      if (2 * p + 1 < D) qw |= static_cast<uint32_t>(qr[2 * p + 1].x) << 16;
      const __m512bh x = (__m512bh)_mm512_set1_epi32(static_cast<int>(qw));
      const uint32_t* row = words + p * stride + j0;
      for (int i = 0; i < NV; ++i) {
        const __m512bh kv = (__m512bh)_mm512_loadu_si512(row + i * kLanes);
        acc[i] = (v16)_mm512_dpbf16_ps((__m512)acc[i], x, kv);
      }
    }
  } else
#endif
  {
    for (int64_t d = 0; d < D; ++d) {
      const float qd = to_float(qr[d]);
      const float* row = keys + d * stride + j0;
      for (int i = 0; i < NV; ++i) acc[i] += qd * load(row + i * kLanes);
    }
  }
  for (int i = 0; i < NV; ++i) out[i] = acc[i];
}

// `dots_n` for a run-time count nv in 1..kChunk.
template <typename scalar_t>
inline void dots(const scalar_t* qr, int64_t D, const float* keys, int64_t stride, int64_t j0,
                 int64_t nv, v16* out) {
  switch (nv) {
    case 1: return dots_n<1>(qr, D, keys, stride, j0, out);
    case 2: return dots_n<2>(qr, D, keys, stride, j0, out);
    case 3: return dots_n<3>(qr, D, keys, stride, j0, out);
    case 4: return dots_n<4>(qr, D, keys, stride, j0, out);
    case 5: return dots_n<5>(qr, D, keys, stride, j0, out);
    case 6: return dots_n<6>(qr, D, keys, stride, j0, out);
    case 7: return dots_n<7>(qr, D, keys, stride, j0, out);
    default: return dots_n<kChunk>(qr, D, keys, stride, j0, out);
  }
}

template <typename scalar_t, int kV>
void window_rows(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                 const at::Tensor& lin_num, const float* lin_den, const float* scale_h,
                 const bool* mask, int64_t w, at::Tensor& out) {
  const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
  constexpr int64_t Dp = kV * kLanes;
  const float scale = 1.0f / std::sqrt(static_cast<float>(D));
  const scalar_t *qp = q.data_ptr<scalar_t>(), *kp = k.data_ptr<scalar_t>(),
                 *vp = v.data_ptr<scalar_t>(), *np = lin_num.data_ptr<scalar_t>();
  scalar_t* op = out.data_ptr<scalar_t>();  // (B, T, H, D)
  // Keys a task can see: its queries and w on each side; rounded up for whole-vector loads.
  const int64_t span = kQueries + 2 * w, stride = span + kLanes;
  const int64_t band_vectors = (2 * w + kLanes) / kLanes;
  const int64_t n_blocks = (T + kQueries - 1) / kQueries;

  at::parallel_for(0, B * n_blocks, 1, [&](int64_t begin, int64_t end) {
    Scratch s;
    s.keys.resize(D * stride);
    s.values.resize(span * Dp);
    s.bias.resize(stride);
    s.scores.resize(band_vectors);
    for (int64_t task = begin; task < end; ++task) {
      const int64_t b = task / n_blocks, t0 = (task % n_blocks) * kQueries;
      const int64_t t1 = std::min(T, t0 + kQueries);
      const int64_t k0 = std::max<int64_t>(0, t0 - w), k1 = std::min(T, t1 + w), nk = k1 - k0;
      for (int64_t j = 0; j < stride; ++j) {
        s.bias[j] = j >= nk || (mask && !mask[b * T + k0 + j]) ? kNegInf : 0.0f;
      }
      for (int64_t h = 0; h < H; ++h) {
        // The block's keys (transposed) and values for this head.
        for (int64_t j = 0; j < nk; ++j) {
          const scalar_t* kr = kp + b * k.stride(0) + h * k.stride(1) + (k0 + j) * k.stride(2);
          const scalar_t* vr = vp + b * v.stride(0) + h * v.stride(1) + (k0 + j) * v.stride(2);
          pack_key(kr, D, stride, j, s.keys.data());
          float* vrow = s.values.data() + j * Dp;
          for (int i = 0; i < kV; ++i) {
            store(vrow + i * kLanes, load_n(vr + i * kLanes, D - i * kLanes));
          }
        }
        const float c = scale_h[h];
        for (int64_t t = t0; t < t1; ++t) {
          const scalar_t* qr = qp + b * q.stride(0) + h * q.stride(1) + t * q.stride(2);
          const int64_t lo = std::max(t - w, k0) - k0, hi = std::min(t + w, k1 - 1) - k0;
          const int64_t n_vec = (hi - lo + kLanes) / kLanes;
          // Scores of the band's keys, 16 at a time, up to kChunk vectors per pass over d;
          // lanes past the band are -inf.
          v16 top = splat(0.0f);
          v16* sc = s.scores.data();
          for (int64_t c0 = 0; c0 < n_vec; c0 += kChunk) {
            const int64_t nv = std::min<int64_t>(kChunk, n_vec - c0), j0 = lo + c0 * kLanes;
            v16 acc[kChunk];
            dots(qr, D, s.keys.data(), stride, j0, nv, acc);
            for (int64_t i = 0; i < nv; ++i) {
              const int64_t j = j0 + i * kLanes;
              const v16 score = acc[i] * scale + load(&s.bias[j]);
              sc[c0 + i] = kIota > static_cast<float>(hi - j) ? splat(kNegInf) : score;
              top = vmax(top, sc[c0 + i]);
            }
          }
          const float m = reduce(top, vmax);  // max(0, max s): e^{s-m} <= 1 and e^{-m} <= 1
          v16 total = splat(0.0f);
          for (int64_t i = 0; i < n_vec; ++i) {
            const v16 e = exp_bounded(sc[i] - m);
            sc[i] = sc[i] == kNegInf ? splat(0.0f) : e;
            total += sc[i];
          }
          // Σ p_j v_j with kWays sets of accumulators: independent chains of multiply-adds.
          v16 acc[kWays][kV];
          for (auto& set : acc) {
            for (auto& a : set) a = splat(0.0f);
          }
          const float* weights = reinterpret_cast<const float*>(sc);
          for (int64_t j = lo; j <= hi; j += kWays) {
#pragma GCC unroll 4
            for (int u = 0; u < kWays; ++u) {
              if (j + u > hi) break;
              const float p = weights[j + u - lo];
              const float* vrow = s.values.data() + (j + u) * Dp;
              for (int i = 0; i < kV; ++i) acc[u][i] += p * load(vrow + i * kLanes);
            }
          }
          for (int u = 1; u < kWays; ++u) {
            for (int i = 0; i < kV; ++i) acc[0][i] += acc[u][i];
          }
          // The linear term's weight against the window's: c·e^{-m}, one normalization.
          const int64_t bht = (b * H + h) * T + t;
          const float cm = c * std::exp(-m);
          const float inv = 1.0f / (reduce(total, vadd) + cm * lin_den[bht] + kEps);
          const scalar_t* nr =
              np + b * lin_num.stride(0) + h * lin_num.stride(1) + t * lin_num.stride(2);
          scalar_t* orow = op + ((b * T + t) * H + h) * D;
          alignas(64) scalar_t tmp[Dp];
          for (int i = 0; i < kV; ++i) {
            const v16 num = load_n(nr + i * kLanes, D - i * kLanes);
            store(tmp + i * kLanes, (acc[0][i] + cm * num) * inv);
          }
          std::copy(tmp, tmp + D, orow);
        }
      }
    }
  });
}

template <typename scalar_t>
void dispatch(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
              const at::Tensor& lin_num, const float* lin_den, const float* scale_h,
              const bool* mask, int64_t w, at::Tensor& out) {
  switch ((q.size(3) + kLanes - 1) / kLanes) {
    case 1: return window_rows<scalar_t, 1>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    case 2: return window_rows<scalar_t, 2>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    case 3: return window_rows<scalar_t, 3>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    case 4: return window_rows<scalar_t, 4>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    case 5: return window_rows<scalar_t, 5>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    case 6: return window_rows<scalar_t, 6>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    case 7: return window_rows<scalar_t, 7>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    case 8: return window_rows<scalar_t, 8>(q, k, v, lin_num, lin_den, scale_h, mask, w, out);
    default: TORCH_CHECK(false, "head_dim must be at most 128, got ", q.size(3));
  }
}

}  // namespace

namespace longbrief {

// q, k, v, lin_num (B, H, T, D) float32 or bfloat16 (one dtype), any strides with a unit stride
// along D; lin_den (B, H, T) float32; log_scale (H) float32; mask (B, T) bool or empty (False =
// padding, never a key). Returns (B, T, H, D) in q's dtype.
at::Tensor window_linear(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                         const at::Tensor& lin_num, const at::Tensor& lin_den,
                         const at::Tensor& log_scale, const at::Tensor& mask, int64_t window) {
  TORCH_CHECK(q.dim() == 4 && k.sizes() == q.sizes() && v.sizes() == q.sizes() &&
                  lin_num.sizes() == q.sizes(),
              "q, k, v and lin_num must be (B, H, T, D) of one shape");
  TORCH_CHECK(q.scalar_type() == at::kFloat || q.scalar_type() == at::kBFloat16,
              "q must be float32 or bfloat16");
  for (const at::Tensor* x : {&q, &k, &v, &lin_num}) {
    TORCH_CHECK(x->scalar_type() == q.scalar_type(), "q, k, v and lin_num must share a dtype");
    TORCH_CHECK(x->stride(3) == 1, "q, k, v and lin_num need a unit stride along D");
  }
  TORCH_CHECK(window >= 0, "window must not be negative");
  const int64_t B = q.size(0), H = q.size(1), T = q.size(2);
  TORCH_CHECK(lin_den.scalar_type() == at::kFloat && lin_den.is_contiguous() &&
                  lin_den.numel() == B * H * T,
              "lin_den (B, H, T) float32");
  TORCH_CHECK(log_scale.numel() == H, "log_scale (H)");
  const at::Tensor scale_h = log_scale.to(at::kFloat).exp().contiguous();
  const bool* mask_p = nullptr;
  if (mask.numel()) {
    TORCH_CHECK(mask.scalar_type() == at::kBool && mask.is_contiguous(), "mask (B, T) bool");
    TORCH_CHECK(mask.size(0) == B && mask.size(1) == T, "mask shape");
    mask_p = mask.data_ptr<bool>();
  }
  at::Tensor out = at::empty({B, T, H, q.size(3)}, q.options());
  if (q.scalar_type() == at::kFloat) {
    dispatch<float>(q, k, v, lin_num, lin_den.data_ptr<float>(), scale_h.data_ptr<float>(),
                    mask_p, window, out);
  } else {
    dispatch<at::BFloat16>(q, k, v, lin_num, lin_den.data_ptr<float>(),
                           scale_h.data_ptr<float>(), mask_p, window, out);
  }
  return out;
}

}  // namespace longbrief
