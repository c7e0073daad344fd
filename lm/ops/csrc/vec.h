// Vector helpers shared by the CPU kernels (hedgehog.cpp, window.cpp): 16-float registers as
// GCC/Clang vector extensions, a bounded exponential, lane reductions, bf16 conversions.
#pragma once

#include <ATen/ATen.h>
#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace longbrief {

// 16 floats: one AVX-512 register, or several narrower ones where the CPU lacks AVX-512 (GCC and
// Clang vector extensions; the build targets the machine it runs on).
typedef float v16 __attribute__((vector_size(64)));
typedef int32_t i16 __attribute__((vector_size(64)));
typedef uint16_t h16 __attribute__((vector_size(32)));
constexpr int kLanes = 16;

inline v16 splat(float x) { return v16{} + x; }

// The lane numbers 0..15, for masks of the first n lanes (kIota < n).
const v16 kIota = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// e^x for x <= 88 (x below -87 counts as -87): x = n·ln2 + r with |r| <= ln2/2 and a Taylor
// polynomial for e^r. Without AVX-512: degree 6 (relative error < 3e-7), n rounded with the
// 1.5·2^23 trick (which the build's flags, no -ffast-math, keep) and 2^n built in the exponent
// bits.
inline v16 exp_bounded(v16 x) {
#ifdef __AVX512F__
  // The same reduction with AVX-512's rounding and scaling instructions, and a degree-5
  // polynomial (relative error < 3e-6, far below bf16's 4e-3 and the tests' 1e-3): 10
  // instructions instead of 16, for the kernels' most frequent operation.
  const __m512 y = _mm512_max_ps((__m512)x, _mm512_set1_ps(-87.0f));
  const __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(y, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0.693145751953125f), y);
  r = _mm512_fnmadd_ps(k, _mm512_set1_ps(1.42860682030941723e-6f), r);
  __m512 q = _mm512_set1_ps(1.0f / 120.0f);
  q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(1.0f / 24.0f));
  q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(1.0f / 6.0f));
  q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(0.5f));
  q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(1.0f));
  q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(1.0f));
  return (v16)_mm512_scalef_ps(q, k);
#else
  x = x < -87.0f ? splat(-87.0f) : x;
  const v16 n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const v16 r = x - n * 0.693145751953125f - n * 1.42860682030941723e-6f;
  v16 p = splat(1.0f / 720.0f);
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const i16 bits = (__builtin_convertvector(n, i16) + 127) << 23;
  return p * reinterpret_cast<const v16&>(bits);
#endif
}

// Lane reductions as trees of shuffles: log2(16) dependent steps instead of 15.
template <typename Op>
inline float reduce(v16 x, Op op) {
  x = op(x, __builtin_shuffle(x, i16{8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7}));
  x = op(x, __builtin_shuffle(x, i16{4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11}));
  x = op(x, __builtin_shuffle(x, i16{2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13}));
  x = op(x, __builtin_shuffle(x, i16{1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14}));
  return x[0];
}

inline v16 vmax(v16 a, v16 b) { return a > b ? a : b; }
inline v16 vmin(v16 a, v16 b) { return a < b ? a : b; }
inline v16 vadd(v16 a, v16 b) { return a + b; }
inline v16 vabs(v16 a) { return a < 0.0f ? -a : a; }

// Whether any lane of x exceeds `bound`.
inline bool any_above(v16 x, float bound) {
#ifdef __AVX512F__
  return _mm512_cmp_ps_mask((__m512)x, _mm512_set1_ps(bound), _CMP_GT_OQ) != 0;
#else
  const i16 above = x > bound;
  int folded = 0;
  for (int i = 0; i < kLanes; ++i) folded |= above[i];
  return folded != 0;
#endif
}

inline float to_float(float x) { return x; }
inline float to_float(at::BFloat16 x) {
  const uint32_t bits = static_cast<uint32_t>(x.x) << 16;
  float out;
  std::memcpy(&out, &bits, sizeof(out));
  return out;
}

// Loads 16 values as floats.
inline v16 load(const float* src) {
  v16 x;
  std::memcpy(&x, src, sizeof(x));
  return x;
}
inline v16 load(const at::BFloat16* src) {
  h16 half;
  std::memcpy(&half, src, sizeof(half));
  const i16 bits = __builtin_convertvector(half, i16) << 16;
  return reinterpret_cast<const v16&>(bits);
}

// Loads the first n values (all 16 when n >= 16) as floats, the lanes past n as zeros.
template <typename scalar_t>
inline v16 load_n(const scalar_t* src, int64_t n) {
  if (n >= kLanes) return load(src);
  v16 x = splat(0.0f);
  for (int64_t i = 0; i < n; ++i) x[i] = to_float(src[i]);
  return x;
}

// Stores 16 finite values and returns them as stored: bfloat16 rounds to nearest even, and a
// caller that goes on computing with them must read what the reference reads.
inline v16 store(float* dst, v16 x) {
  std::memcpy(dst, &x, sizeof(x));
  return x;
}
inline v16 store(at::BFloat16* dst, v16 x) {
#ifdef __AVX512BF16__
  // One instruction rounds to nearest even (treating float32 denormals as zero, which only
  // changes values below 1.2e-38).
  const __m256bh half = _mm512_cvtneps_pbh((__m512)x);
  std::memcpy(dst, &half, sizeof(half));
  return (v16)_mm512_slli_epi32(_mm512_cvtepu16_epi32((__m256i)half), 16);
#else
  i16 bits = reinterpret_cast<const i16&>(x);
  bits += 0x7FFF + ((bits >> 16) & 1);
  const h16 half = __builtin_convertvector(
      reinterpret_cast<const i16&>(bits) >> 16 & 0xFFFF, h16);
  std::memcpy(dst, &half, sizeof(half));
  bits &= static_cast<int32_t>(0xFFFF0000u);
  return reinterpret_cast<const v16&>(bits);
#endif
}

}  // namespace longbrief
