// Image preprocessing exactly as SEED feeds its tokenizer (models/transforms.py
// get_transform('clip', keep_ratio=False)): torchvision Resize((S, S)) on a PIL image,
// which is PIL's Image.resize with its separable, antialiased filters in 8-bit fixed point,
// then ToTensor (/255) and Normalize(CLIP mean, std).
#pragma once

#include <ATen/core/Tensor.h>

#include <array>

#include "core/image.h"

namespace seedcanvas::vision {

enum class Resample {
  Bilinear,  // torchvision's default: SEED-LLaMA scripts, demo, training data
  Bicubic,   // ImageTokenizer.processor (interpolation=3)
};

// PIL Image.resize(size, BILINEAR/BICUBIC) for RGB: horizontal pass then vertical pass, each
// rounding to uint8; the filter support grows with the downscale factor (antialiasing).
RgbImage resize_like_pil(const RgbImage& image, int width, int height, Resample resample);

// ToTensor + Normalize: [1, 3, H, W] float32 on the CPU, ((v / 255) - mean) / std.
at::Tensor to_normalized_tensor(const RgbImage& image, const std::array<float, 3>& mean,
                                const std::array<float, 3>& std);

// Resize to size x size (aspect ratio not kept) and normalise.
at::Tensor preprocess_image(const RgbImage& image, int size, const std::array<float, 3>& mean,
                            const std::array<float, 3>& std, Resample resample = Resample::Bilinear);

}  // namespace seedcanvas::vision
