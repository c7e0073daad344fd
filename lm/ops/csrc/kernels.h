// The entry points of the compiled CPU kernels (bound to Python in module.cpp).
#pragma once

#include <ATen/ATen.h>

#include <vector>

namespace longbrief {

// hedgehog.cpp: the Hedgehog feature map with its feature sums or denominators.
std::vector<at::Tensor> hedgehog_map(const at::Tensor& x, const at::Tensor& weight,
                                     const at::Tensor& bias, const at::Tensor& mask,
                                     const at::Tensor& z, bool with_sums);

// window.cpp: exact sliding-window softmax attention joined with a read-out linear term.
at::Tensor window_linear(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                         const at::Tensor& lin_num, const at::Tensor& lin_den,
                         const at::Tensor& log_scale, const at::Tensor& mask, int64_t window);

// layernorm.cpp: LayerNorm(x + update), the post-norm residual, in one pass.
at::Tensor add_layer_norm(const at::Tensor& x, const at::Tensor& update,
                          const at::Tensor& weight, const at::Tensor& bias, double eps);

}  // namespace longbrief
