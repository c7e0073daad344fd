// LayerNorm(x + update): BERT's post-norm residual in one pass over the rows.
//
// Why a kernel: in PyTorch the residual sum is one pass over (T, d) that writes a bf16 tensor
// and LayerNorm a second that reads it back; at 32k tokens each pass is 25 MB of bf16 and the
// encoder makes twelve pairs of them (~0.2 s of a ~2.3 s forward on the development CPU). Here
// a row of x and of the update is read once, summed in float32 (not rounded to bf16 first),
// and normalized from registers. The reference is `nn.LayerNorm` of the sum
// (tests/lm/test_fused_norm.py).

#include "kernels.h"
#include "vec.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using namespace longbrief;

// Rows per parallel task.
constexpr int64_t kRows = 64;

template <typename scalar_t>
inline void store_n(scalar_t* dst, v16 x, int64_t n) {
  if (n >= kLanes) {
    store(dst, x);
    return;
  }
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<scalar_t>(x[i]);
}

template <typename scalar_t>
void norm_rows(const at::Tensor& x, const at::Tensor& update, const float* gamma,
               const float* beta, float eps, at::Tensor& out) {
  const int64_t N = x.size(0), d = x.size(1), nv = (d + kLanes - 1) / kLanes;
  const scalar_t *xp = x.data_ptr<scalar_t>(), *up = update.data_ptr<scalar_t>();
  const int64_t xs = x.stride(0), us = update.stride(0);
  scalar_t* op = out.data_ptr<scalar_t>();
  at::parallel_for(0, (N + kRows - 1) / kRows, 1, [&](int64_t begin, int64_t end) {
    std::vector<v16> row(nv);
    for (int64_t task = begin; task < end; ++task) {
      for (int64_t r = task * kRows; r < std::min(N, (task + 1) * kRows); ++r) {
        // Padding lanes of the last vector load as zeros and add nothing to the sums.
        v16 sum = splat(0.0f);
        for (int64_t i = 0; i < nv; ++i) {
          const int64_t n = d - i * kLanes;
          row[i] = load_n(xp + r * xs + i * kLanes, n) + load_n(up + r * us + i * kLanes, n);
          sum += row[i];
        }
        const float mean = reduce(sum, vadd) / static_cast<float>(d);
        v16 sq = splat(0.0f);
        for (int64_t i = 0; i < nv; ++i) {
          const int64_t n = d - i * kLanes;
          // Padding lanes (zeros) would add mean² each: masked out of the variance.
          const v16 c = row[i] - mean;
          const v16 real = n >= kLanes ? c : (kIota < static_cast<float>(n) ? c : splat(0.0f));
          sq += real * real;
        }
        const float inv = 1.0f / std::sqrt(reduce(sq, vadd) / static_cast<float>(d) + eps);
        for (int64_t i = 0; i < nv; ++i) {
          const int64_t n = d - i * kLanes;
          const v16 g = load_n(gamma + i * kLanes, n), b = load_n(beta + i * kLanes, n);
          store_n(op + r * d + i * kLanes, (row[i] - mean) * inv * g + b, n);
        }
      }
    }
  });
}

}  // namespace

namespace longbrief {

// x, update (N, d) float32 or bfloat16 (one dtype; rows may be strided, d contiguous); weight,
// bias (d) any float dtype. Returns LayerNorm(x + update) (N, d) contiguous in x's dtype.
at::Tensor add_layer_norm(const at::Tensor& x, const at::Tensor& update,
                          const at::Tensor& weight, const at::Tensor& bias, double eps) {
  TORCH_CHECK(x.dim() == 2 && update.sizes() == x.sizes(), "x and update must be (N, d)");
  TORCH_CHECK(x.scalar_type() == update.scalar_type(), "x and update must share a dtype");
  TORCH_CHECK(x.scalar_type() == at::kFloat || x.scalar_type() == at::kBFloat16,
              "x must be float32 or bfloat16");
  TORCH_CHECK(x.stride(1) == 1 && update.stride(1) == 1, "rows need a unit stride");
  TORCH_CHECK(weight.numel() == x.size(1) && bias.numel() == x.size(1), "weight, bias (d)");
  const at::Tensor g = weight.to(at::kFloat).contiguous(), b = bias.to(at::kFloat).contiguous();
  at::Tensor out = at::empty(x.sizes(), x.options());
  if (x.scalar_type() == at::kFloat) {
    norm_rows<float>(x, update, g.data_ptr<float>(), b.data_ptr<float>(), eps, out);
  } else {
    norm_rows<at::BFloat16>(x, update, g.data_ptr<float>(), b.data_ptr<float>(), eps, out);
  }
  return out;
}

}  // namespace longbrief
